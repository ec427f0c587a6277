package zkynet.backend;

/**
 * The error function in float64 (Java has none): {@code erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x /
 * (1*3*...*(2n+1))} for {@code |x| < 1.5}, a series of positive terms (no cancellation), and {@code 1 -
 * erfc(x)} with erfc's continued fraction {@code e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x +
 * ...))))} (evaluated backwards from {@code 200 / x^2 + 10} terms, enough for float64 there) up to 6,
 * past which erf is 1 in float64. {@code e^{-x^2}} is taken with the rounding error of {@code x^2}
 * corrected (by a fused multiply-add). The error is within 5 ulp ({@code ErfTest} measures it against
 * an 80-digit reference over [-6.5, 6.5]). Odd, erf(-0) = -0, erf(+-inf) = +-1, NaN gives NaN.
 */
public final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

  public static double erf(double x) {
    if (x != x) {
      return x;
    }
    double a = Math.abs(x);
    double r;
    if (a < 1.5) {
      double x2 = a * a;
      double term = a;
      double sum = a;
      for (int n = 1; term > sum * 1e-17; n++) {
        term *= 2 * x2 / (2 * n + 1);
        sum += term;
      }
      r = TWO_OVER_SQRT_PI * expMinusSquare(a) * sum;
    } else if (a < 6) {
      double f = a;
      for (int k = (int) (200 / (a * a)) + 10; k >= 1; k--) {
        f = a + (k * 0.5) / f;
      }
      r = 1 - ONE_OVER_SQRT_PI * expMinusSquare(a) / f;
    } else {
      r = 1;
    }
    return Math.copySign(r, x);
  }

  /** {@code e^{-a^2}} with the rounding error of {@code a * a} corrected to first order. */
  private static double expMinusSquare(double a) {
    double hi = a * a;
    double lo = Math.fma(a, a, -hi);
    return Math.exp(-hi) * (1 - lo);
  }
}
