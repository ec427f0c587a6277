package zkynet.examples;

import zkynet.Operator;
import zkynet.Tensor;

/**
 * Operators calling an operator that ignores one of its inputs (its gradient there is always null),
 * for {@link CalleeGradientFlowTest}: the callers know it at compile time, so that argument gets no
 * adjoint and no null test, and what leads only to it is not differentiated.
 */
final class IgnoringCallee {
  private IgnoringCallee() {}

  /** exp(a); b is ignored. */
  @Operator
  static Tensor first(Tensor a, Tensor b) {
    return a.exp();
  }

  /** y reaches the result only through the input {@link #first} ignores: its gradient is null. */
  @Operator
  static Tensor onlyIgnored(Tensor x, Tensor y) {
    Tensor t = y.tanh();
    return first(x, t);
  }

  /** y also reaches the result directly: exp(x) + tanh(y). */
  @Operator
  static Tensor alsoDirect(Tensor x, Tensor y) {
    Tensor t = y.tanh();
    return first(x, t).add(t);
  }

  /** Two levels: exp(2x), y ignored through {@link #onlyIgnored}. */
  @Operator
  static Tensor twoLevels(Tensor x, Tensor y) {
    return onlyIgnored(x.mul(2.0), y);
  }
}
