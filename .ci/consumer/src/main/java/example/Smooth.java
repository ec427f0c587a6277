package example;

import zkynet.Operator;
import zkynet.Tensor;

/** A custom operator: the processor writes SmoothOps with its graph facade and derivative. */
public final class Smooth {
  private Smooth() {}

  /** softplus(x) = log(1 + e^x). */
  @Operator
  public static Tensor softplus(Tensor x) {
    Tensor e = x.exp();
    return e.add(1.0).log();
  }
}
