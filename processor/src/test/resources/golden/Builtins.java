package zkynet;

/**
 * Golden-test input: the three built-in operators SimpleModel uses, as in the runtime's
 * zkynet.Builtins (which the processor tests cannot compile: it is not a stub).
 */
public final class Builtins {
  private Builtins() {}

  /** a + b (broadcasting). */
  @Operator
  public static Tensor add(Tensor a, Tensor b) {
    return a.add(b);
  }

  /** a * b elementwise (broadcasting). */
  @Operator
  public static Tensor mult(Tensor a, Tensor b) {
    return a.mul(b);
  }

  /** x * x. */
  @Operator
  public static Tensor square(Tensor x) {
    return x.mul(x);
  }
}
