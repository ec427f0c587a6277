package zkynet.nn;

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
}
