package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/**
 * {@link Erf#erf} against erf's Maclaurin series summed in 80-digit decimal arithmetic (exact to far
 * beyond float64, whatever the cancellation), over a sweep of [-6.5, 6.5] that crosses both branch
 * points (1.5 and 6), plus the special values.
 */
class ErfTest {
  private static final MathContext MC = new MathContext(80);
  /** 2 / sqrt(pi) to 50 digits. */
  private static final BigDecimal TWO_OVER_SQRT_PI = new BigDecimal("1.1283791670955125738961589031215451716881012586580");

  /** sum_n (-1)^n x^(2n+1) / (n! (2n+1)), times 2/sqrt(pi). */
  private static double reference(double x) {
    BigDecimal bx = new BigDecimal(x);
    BigDecimal x2 = bx.multiply(bx, MC);
    BigDecimal term = bx; // (-1)^n x^(2n+1) / n!
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal tiny = new BigDecimal("1e-60");
    for (int n = 0; n < 2000; n++) {
      BigDecimal add = term.divide(BigDecimal.valueOf(2L * n + 1), MC);
      sum = sum.add(add, MC);
      if (add.abs().compareTo(tiny) < 0 && n > 2 * x * x) {
        break;
      }
      term = term.multiply(x2, MC).negate().divide(BigDecimal.valueOf(n + 1), MC);
    }
    return sum.multiply(TWO_OVER_SQRT_PI, MC).doubleValue();
  }

  @Test
  void withinFiveUlpOfAHighPrecisionReference() {
    double worst = 0;
    double at = 0;
    for (int i = -650; i <= 650; i++) {
      double x = i / 100.0 + 0.001 * Math.sin(i); // off the grid too
      double want = reference(x);
      double ulps = Math.abs(Erf.erf(x) - want) / Math.ulp(want);
      if (ulps > worst) {
        worst = ulps;
        at = x;
      }
    }
    assertTrue(worst <= 5, "worst error " + worst + " ulp at x = " + at);
  }

  @Test
  void specialValues() {
    assertEquals(0.0, Erf.erf(0.0));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)));
    assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    assertEquals(2 * 1e-300 / Math.sqrt(Math.PI), Erf.erf(1e-300), 1e-315);
  }
}
