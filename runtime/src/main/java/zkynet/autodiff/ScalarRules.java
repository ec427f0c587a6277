package zkynet.autodiff;

import zkynet.backend.jvm.FastMath;

/**
 * The elementwise rules of {@link Rules} at one element, for the fused loops the processor generates:
 * each method has the name of its tensor rule and returns the local derivative {@code dy/d(input)} at
 * one point, which a fused backward multiplies by the element's cotangent ({@code Rules}' {@code
 * elementwise(g, dydx)}). Parameters: {@code y} (the primitive's output), {@code self}, then the
 * primitive's other operand (an element of a tensor, or the scalar constant), all float32.
 *
 * <p>{@code RulesCoverageTest} checks that every elementwise rule of {@code Rules} has its twin here
 * and that both give the same values, so that fused and op-by-op derivatives cannot drift apart.
 */
public final class ScalarRules {
  private static final float TWO_OVER_SQRT_PI = (float) (2 / Math.sqrt(Math.PI));

  private ScalarRules() {}

  // d(-x)/dx = -1
  public static float negWrtSelf(float y, float self) {
    return -1f;
  }

  // d(a+b)/da = 1
  public static float addWrtSelf(float y, float self, float other) {
    return 1f;
  }

  // d(a+b)/db = 1
  public static float addWrtOther(float y, float self, float other) {
    return 1f;
  }

  // d(x+c)/dx = 1
  public static float addScalarWrtSelf(float y, float self, float other) {
    return 1f;
  }

  // d(a-b)/da = 1
  public static float subWrtSelf(float y, float self, float other) {
    return 1f;
  }

  // d(a-b)/db = -1
  public static float subWrtOther(float y, float self, float other) {
    return -1f;
  }

  // d(x-c)/dx = 1
  public static float subScalarWrtSelf(float y, float self, float other) {
    return 1f;
  }

  // d(c-x)/dx = -1
  public static float rsubWrtSelf(float y, float self, float other) {
    return -1f;
  }

  // d(a*b)/da = b
  public static float mulWrtSelf(float y, float self, float other) {
    return other;
  }

  // d(a*b)/db = a
  public static float mulWrtOther(float y, float self, float other) {
    return self;
  }

  // d(x*c)/dx = c
  public static float mulScalarWrtSelf(float y, float self, float other) {
    return other;
  }

  // d(a/b)/da = 1/b
  public static float divWrtSelf(float y, float self, float other) {
    return 1f / other;
  }

  // d(a/b)/db = -a/b^2 = -y/b
  public static float divWrtOther(float y, float self, float other) {
    return -(y / other);
  }

  // d(x/c)/dx = 1/c
  public static float divScalarWrtSelf(float y, float self, float other) {
    return 1f / other;
  }

  // d(c/x)/dx = -c/x^2 = -y/x
  public static float rdivWrtSelf(float y, float self, float other) {
    return -(y / self);
  }

  // d(x^c)/dx = c * x^(c-1)   (0 for c = 0, as in JAX)
  public static float powWrtSelf(float y, float self, float exponent) {
    if (exponent == 0) {
      return 0f;
    }
    float c1 = exponent - 1;
    return (c1 == 1 ? self : c1 == 2 ? self * self : (float) Math.pow(self, c1)) * exponent;
  }

  // d(e^x)/dx = e^x = y
  public static float expWrtSelf(float y, float self) {
    return y;
  }

  // d(log x)/dx = 1/x
  public static float logWrtSelf(float y, float self) {
    return 1f / self;
  }

  // d(sqrt x)/dx = 1/(2 sqrt x) = 0.5/y   (inf at 0, as in JAX)
  public static float sqrtWrtSelf(float y, float self) {
    return 0.5f / y;
  }

  // d(tanh x)/dx = 1 - tanh^2 x = 1 - y^2
  public static float tanhWrtSelf(float y, float self) {
    return 1f - y * y;
  }

  // d(sigmoid x)/dx = sigmoid x (1 - sigmoid x) = y (1 - y)
  public static float sigmoidWrtSelf(float y, float self) {
    return y * (1f - y);
  }

  // d(relu x)/dx = [x > 0]   (0 at x = 0, as in JAX)
  public static float reluWrtSelf(float y, float self) {
    return self > 0 ? 1f : 0f;
  }

  // d|x|/dx = sign(x)   (0 at x = 0, as in JAX)
  public static float absWrtSelf(float y, float self) {
    return Math.signum(self);
  }

  // d max(a,b)/da = [a > b] + 1/2 [a = b]
  public static float maximumWrtSelf(float y, float self, float other) {
    return winner(self, other);
  }

  // d max(a,b)/db = [b > a] + 1/2 [a = b]
  public static float maximumWrtOther(float y, float self, float other) {
    return winner(other, self);
  }

  // d min(a,b)/da = [a < b] + 1/2 [a = b]
  public static float minimumWrtSelf(float y, float self, float other) {
    return winner(other, self);
  }

  // d min(a,b)/db = [b < a] + 1/2 [a = b]
  public static float minimumWrtOther(float y, float self, float other) {
    return winner(self, other);
  }

  // d max(x,c)/dx = [x > c] + 1/2 [x = c]
  public static float maximumScalarWrtSelf(float y, float self, float other) {
    return winner(self, other);
  }

  // d min(x,c)/dx = [x < c] + 1/2 [x = c]
  public static float minimumScalarWrtSelf(float y, float self, float other) {
    return winner(other, self);
  }

  // d(sin x)/dx = cos x   (float64, rounded, as the backend's float32 cos)
  public static float sinWrtSelf(float y, float self) {
    return (float) Math.cos(self);
  }

  // d(cos x)/dx = -sin x
  public static float cosWrtSelf(float y, float self) {
    return -(float) Math.sin(self);
  }

  // d log(1+x)/dx = 1/(1+x)   (the tensor rule's g / (x + 1) as g * (1 / (x + 1)))
  public static float log1pWrtSelf(float y, float self) {
    return 1f / (self + 1f);
  }

  // d(e^x - 1)/dx = e^x = y + 1
  public static float expm1WrtSelf(float y, float self) {
    return y + 1f;
  }

  // d erf(x)/dx = 2/sqrt(pi) e^(-x^2)   (the backend's float32 exp, and the factor rounded to float)
  public static float erfWrtSelf(float y, float self) {
    return FastMath.exp(-(self * self)) * TWO_OVER_SQRT_PI;
  }

  // d(a^b)/da = b a^(b-1)   (0 where b = 0, as in JAX)
  public static float powTensorWrtSelf(float y, float self, float exponent) {
    return exponent == 0 ? 0f : exponent * (float) Math.pow(self, exponent - 1);
  }

  // d(a^b)/db = a^b log a = y log a   (0 where a = 0, as in JAX)
  public static float powTensorWrtExponent(float y, float self, float exponent) {
    return y * (float) Math.log(self == 0 ? 1f : self);
  }

  // d(sum_i x_i)/dx_j = 1
  public static float sumWrtSelf(float y, float self) {
    return 1f;
  }

  /** {@code [a > b] + 1/2 [a = b]}, as {@code Rules}' winnerMask. */
  private static float winner(float a, float b) {
    return a > b ? 1f : a == b ? 0.5f : 0f;
  }
}
