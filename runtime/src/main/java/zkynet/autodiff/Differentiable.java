package zkynet.autodiff;

import zkynet.Tensor;

/**
 * One evaluated operator application: its output and its reverse-mode derivative. The processor
 * generates an implementation for every {@code @Operator} method (the forward pass runs in its
 * constructor and keeps the intermediates that the derivative needs).
 */
public interface Differentiable {
  /** The forward value. */
  Tensor output();

  /**
   * The vector-Jacobian product. {@code gOut} is shaped {@code batch ++ output().shape()} (any number
   * of leading batch axes). Returns one contribution per differentiable input, in declaration order,
   * each shaped {@code batch ++ input.shape()}, or {@code null} where no gradient flows.
   */
  Tensor[] backward(Tensor gOut);
}
