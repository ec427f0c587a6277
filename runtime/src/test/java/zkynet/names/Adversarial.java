package zkynet.names;

import zkynet.Derivative;
import zkynet.Operator;
import zkynet.Tensor;

/**
 * Operators whose parameters and locals take every name zkynet's generator produces: the cotangent
 * ({@code gOut}), the needed flags ({@code needed}), the batch rank ({@code batch}), the supplied
 * forward value ({@code out}), facade nodes ({@code xNode}), adjoints ({@code gX}, {@code gAdd1}),
 * temporaries ({@code add1}, {@code mul1}), called-operator fields and their parts ({@code
 * squashCall1}, {@code gSquashCall1}), and the classes generated code calls static methods on
 * ({@code Grad}, {@code Rules}, {@code CallSession}, {@code Adversarial}).
 */
public final class Adversarial {
  private Adversarial() {}

  @Operator
  public static Tensor squash(Tensor x, Tensor gX) {
    Tensor batch = x.tanh();
    return batch.mul(gX);
  }

  @Operator
  public static Tensor clash(Tensor x, Tensor batch, Tensor out, Tensor gOut, Tensor needed,
      Tensor Grad, Tensor Rules, Tensor CallSession, Tensor xNode) {
    Tensor gX = x.mul(batch);
    Tensor add1 = gX.add(out);
    Tensor gAdd1 = add1.mul(gOut).add(needed.sigmoid());
    Tensor mul1 = gAdd1.mul(Grad).sub(Rules.tanh());
    Tensor squashCall1 = squash(mul1, CallSession);
    Tensor gSquashCall1 = squashCall1.add(xNode.mul(x));
    Tensor Adversarial = gSquashCall1.mul(gSquashCall1);
    Tensor gMul1 = Adversarial.add(gX);
    return gMul1.sum(new int[] {0}, false);
  }

  /** The supplied-derivative path: its forward value field and cotangent names are taken too. */
  @Operator
  public static Tensor scaled(Tensor out, Tensor gOut, double batch) {
    return out.mul(gOut).mul(batch);
  }

  @Derivative(of = "scaled", wrt = "out")
  public static Tensor scaledGradOut(Tensor g, Tensor y, Tensor out, Tensor gOut, double batch) {
    return g.mul(gOut).mul(batch);
  }

  @Derivative(of = "scaled", wrt = "gOut")
  public static Tensor scaledGradGOut(Tensor g, Tensor y, Tensor out, Tensor gOut, double batch) {
    return g.mul(out).mul(batch);
  }
}
