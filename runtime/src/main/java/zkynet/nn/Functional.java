package zkynet.nn;

import zkynet.NoGrad;
import zkynet.Operator;
import zkynet.Tensor;

/**
 * The layers' computations as operators on tensors (the processor derives their derivatives);
 * {@code FunctionalOps} has the graph versions that the layer modules call.
 */
public final class Functional {
  private Functional() {}

  /** {@code x weight + bias}: x {@code [..., in]}, weight {@code [in, out]}, bias {@code [out]}. */
  @Operator
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return x.matmul(weight).add(bias);
  }

  /** {@code x * mask}: dropout with a mask already scaled ({@code 0} or {@code 1 / (1 - p)}). */
  @Operator
  public static Tensor dropout(Tensor x, @NoGrad Tensor mask) {
    return x.mul(mask);
  }

  /**
   * Layer normalisation over the last axis without an affine map: {@code (x - mean) / sqrt(var +
   * eps)}, with the population variance (as PyTorch's {@code layer_norm}).
   */
  @Operator
  public static Tensor normalizeLast(Tensor x, double eps) {
    Tensor d = x.sub(x.mean(new int[] {-1}, true));
    Tensor var = d.mul(d).mean(new int[] {-1}, true);
    return d.div(var.add(eps).sqrt());
  }

  /** {@link #normalizeLast} followed by {@code * weight + bias} (weight and bias: [last axis]). */
  @Operator
  public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    return normalizeLast(x, eps).mul(weight).add(bias);
  }
}
