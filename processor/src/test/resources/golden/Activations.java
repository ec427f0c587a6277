package zkynet.examples;

import zkynet.Operator;
import zkynet.Tensor;

/** Custom operators: the processor writes ActivationsOps with their graph facades and derivatives. */
public final class Activations {
  private Activations() {}

  /** softplus(x) = log(1 + e^x). */
  @Operator
  public static Tensor softplus(Tensor x) {
    Tensor e = x.exp();
    return e.add(1.0).log();
  }

  /** A smooth ReLU built from another operator: x * sigmoid(x) (SiLU / swish). */
  @Operator
  public static Tensor swish(Tensor x) {
    return x.mul(x.sigmoid());
  }

  /** softplus(x) - swish(x): composes two operators, so its derivative composes theirs. */
  @Operator
  public static Tensor gap(Tensor x) {
    Tensor s = softplus(x);
    return s.sub(swish(x));
  }

  /** a * x^2 + b * x, with the coefficients a and b held constant. */
  @Operator
  public static Tensor quadratic(Tensor x, double a, double b) {
    Tensor x2 = x.pow(2.0).mul(a);
    return x2.add(x.mul(b));
  }
}
