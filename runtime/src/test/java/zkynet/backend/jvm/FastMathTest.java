package zkynet.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link FastMath} against {@link StrictMath} over the whole float range: every {@value #STEP}th bit
 * pattern (both signs), dense sweeps of consecutive floats around the edges, and the special values.
 * The bounds asserted are the ones the javadoc states.
 */
class FastMathTest {
  /** An odd step through the 2^32 bit patterns: 8.4 million points per function. */
  private static final int STEP = 509;

  interface FloatFn {
    float apply(float x);
  }

  /** The error of {@code f(x)} in units of the float ulp at the exact result; infinite if it must be exact and is not. */
  static double ulps(FloatFn f, DoubleUnaryOperator exact, float x) {
    float got = f.apply(x);
    double want = exact.applyAsDouble(x);
    float rounded = (float) want;
    if (Double.isNaN(want)) {
      return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Float.isInfinite(rounded) || rounded == 0 && want == 0) {
      return Float.compare(got, rounded) == 0 ? 0 : Double.POSITIVE_INFINITY; // incl. the sign of 0
    }
    if (Float.isNaN(got)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.abs(got - want) / Math.ulp(rounded);
  }

  /** The largest error over the strided sweep, the edge sweeps and the special values. */
  static double maxUlps(FloatFn f, DoubleUnaryOperator exact, float... edges) {
    double worst = 0;
    float worstAt = 0;
    for (long bits = 0; bits < (1L << 32); bits += STEP) {
      float x = Float.intBitsToFloat((int) bits);
      double e = ulps(f, exact, x);
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        1f, -1f, 0x1p-12f, -0x1p-12f, 0.625f, -0.625f, 0.0004f, -0.0004f};
    for (float x : concat(specials, edges)) {
      for (int k = -20000; k <= 20000; k++) { // 40001 consecutive floats around each
        float y = Float.isNaN(x) || Float.isInfinite(x) ? x : step(x, k);
        double e = ulps(f, exact, y);
        if (e > worst) {
          worst = e;
          worstAt = y;
        }
      }
    }
    assertTrue(worst < Double.POSITIVE_INFINITY, "special value wrong at x = " + worstAt);
    System.out.printf("max error %.3f ulp at %s%n", worst, worstAt);
    return worst;
  }

  private static float step(float x, int k) {
    int b = Float.floatToRawIntBits(x) + k;
    float y = Float.intBitsToFloat(b);
    return Math.signum(y) == Math.signum(x) || x == 0 ? y : x;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void exp() {
    assertTrue(maxUlps(FastMath::exp, StrictMath::exp, 88.72283f, -87.33655f, -103.27893f, -103.97208f)
        <= 1.0);
    assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(89f));
    assertEquals(0f, FastMath.exp(-104f));
    assertEquals(1f, FastMath.exp(-0f));
  }

  @Test
  void log() {
    assertTrue(maxUlps(FastMath::log, StrictMath::log, 0.70710678f, 1.4142135f) <= 1.0);
    assertEquals(Float.NEGATIVE_INFINITY, FastMath.log(-0f));
    assertTrue(Float.isNaN(FastMath.log(-Float.MIN_VALUE)));
    assertEquals(0f, FastMath.log(1f));
  }

  @Test
  void tanh() {
    assertTrue(maxUlps(FastMath::tanh, StrictMath::tanh, 5.9f, -5.9f, 7.9053111f, -7.9053111f) <= 7.0);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FastMath.tanh(-0f)));
    assertEquals(-1f, FastMath.tanh(Float.NEGATIVE_INFINITY));
  }

  @Test
  void sigmoid() {
    DoubleUnaryOperator exact = x -> x < 0 ? StrictMath.exp(x) / (1 + StrictMath.exp(x)) : 1 / (1 + StrictMath.exp(-x));
    assertTrue(maxUlps(FastMath::sigmoid, exact, -87.33655f, -103.27893f, 16.6f, 17.4f) <= 2.5);
    assertEquals(0.5f, FastMath.sigmoid(0f));
    assertEquals(0f, FastMath.sigmoid(Float.NEGATIVE_INFINITY));
    assertEquals(1f, FastMath.sigmoid(Float.POSITIVE_INFINITY));
  }

  @Test
  void doubleSigmoidIsAccurateInBothTails() {
    assertEquals(StrictMath.exp(-700), FastMath.sigmoid(-700.0), 1e-310);
    assertEquals(1.0, FastMath.sigmoid(40.0));
    assertEquals(0.5, FastMath.sigmoid(0.0));
  }
}
