package zkynet.fusion;

import zkynet.Operator;
import zkynet.Tensor;

/**
 * User operators whose bodies do not fuse as a whole but whose elementwise regions do, for {@link
 * RegionFusionTest}: regions around a matrix product, a reshape, an axis reduction that does not close
 * them, a call to another operator, a region value used twice, and names that generated code uses.
 */
public final class RegionLayers {
  private RegionLayers() {}

  /** A dense layer: the product stays a call, {@code add(b).tanh()} is one fused region. */
  @Operator
  public static Tensor dense(Tensor x, Tensor w, Tensor b) {
    return x.matmul(w).add(b).tanh();
  }

  /** Two regions around a reshape: {@code exp(x a)} before it, {@code tanh(. + 1)} after. */
  @Operator
  public static Tensor aroundReshape(Tensor x, Tensor a, int[] shape) {
    return x.mul(a).exp().reshape(shape).add(1.0).tanh();
  }

  /** Two regions around a sum over the first axis (not a closer): {@code log(sum_0 e^(x w)) * 2}. */
  @Operator
  public static Tensor aroundColumnSum(Tensor x, Tensor w) {
    return x.mul(w).exp().sum(0).log().mul(2.0);
  }

  /**
   * {@code t = x w + 1} is used in a region ({@code sigmoid(t t)}) and outside it (its sum), so the
   * run of elementwise steps is cut after {@code t}: two regions, and the product and the sum between.
   */
  @Operator
  public static Tensor usedTwice(Tensor x, Tensor w, Tensor v) {
    Tensor t = x.mul(w).add(1.0);
    Tensor h = t.mul(t).sigmoid();
    return h.matmul(v).add(t.sum()).exp().sub(1.0);
  }

  /** A call to another (fused) operator, then a region that reads its result and an input. */
  @Operator
  public static Tensor withCall(Tensor x, Tensor w) {
    Tensor y = FusedLayers.tanhLayer(x, 2.0, 0.5);
    return y.mul(w).add(x).sigmoid();
  }

  /** Parameters named like the generated code's names: a region's call field, loop and cotangent. */
  @Operator
  public static Tensor oddNames(Tensor region1, Tensor loop, Tensor gOut, double fused) {
    return region1.matmul(loop).mul(fused).add(gOut).tanh();
  }

  /**
   * A row mean closes a region after a product ({@code mean((x w - t)^2, -1)}), and a reshape of the
   * target (read by the region, not reading it) does not split it.
   */
  @Operator
  public static Tensor rowLoss(Tensor x, Tensor w, Tensor t, int[] shape) {
    Tensor d = x.matmul(w).sub(t.reshape(shape));
    return d.mul(d).mean(-1);
  }

  /**
   * A value computed but not used, of a larger shape than the result: it must not join the loop (the
   * loop's shape is that of all its operands), so the body does not fuse as a whole.
   */
  @Operator
  public static Tensor deadValue(Tensor x, Tensor big) {
    Tensor unused = big.exp();
    return x.mul(2.0).tanh();
  }

  /** The same after a product: the region is {@code add, tanh}, without the unused value. */
  @Operator
  public static Tensor deadValueAfterProduct(Tensor x, Tensor w, Tensor big) {
    Tensor m = x.matmul(w);
    Tensor unused = big.exp();
    return m.add(1.0).tanh();
  }

  /**
   * {@code 2 (x - log(sum(exp(x), -1)))}: the {@code log} of the row sums stays out of the region
   * {@code sub, mul} over the rows' elements (op by op over the row sums).
   */
  @Operator
  public static Tensor rowLogShift(Tensor x) {
    Tensor sums = x.exp().sum(new int[] {-1}, true);
    return x.sub(sums.log()).mul(2.0);
  }
}
