package zkynet.fusion;

import zkynet.NoGrad;
import zkynet.Operator;
import zkynet.Tensor;

/** User operators whose bodies fuse (and one that does not), for {@link FusionTest}. */
public final class FusedLayers {
  private FusedLayers() {}

  /** W4's layer: {@code tanh(a y + b)} with constants a and b. */
  @Operator
  public static Tensor tanhLayer(Tensor y, double a, double b) {
    Tensor z = y.mul(a).add(b);
    return z.tanh();
  }

  /** W2: {@code sum((x + w) * x^2)}, closed by a full sum. */
  @Operator
  public static Tensor cubicSum(Tensor x, Tensor w) {
    Tensor s = x.add(w);
    return s.mul(x.pow(2.0)).sum();
  }

  /** Every fusable binary and unary primitive once, with a constant tensor operand and an alias. */
  @Operator
  public static Tensor mixed(Tensor a, Tensor b, @NoGrad Tensor c) {
    Tensor m = a.maximum(b).sub(a.minimum(c)).div(b.abs().add(1.0));
    Tensor same = m;
    Tensor e = same.sigmoid().mul(a.neg().exp()).add(b.relu().sqrt());
    return e.rsub(2.0).rdiv(3.0).add(a.mul(a).add(1.0).log()).sub(b.pow(3.0));
  }

  /** The transcendental primitives computed in float64 and rounded: sin, cos, log1p, expm1, erf. */
  @Operator
  public static Tensor transcendental(Tensor a, Tensor b) {
    Tensor waves = a.sin().mul(b.cos());
    return waves.add(a.mul(a).log1p()).sub(b.expm1()).add(a.mul(b).erf());
  }

  /** A dense layer's activation after its product: {@code tanh(a x + b)} with a bias b broadcast over rows. */
  @Operator
  public static Tensor biasTanh(Tensor x, Tensor b, double a) {
    return x.mul(a).add(b).tanh();
  }

  /** A loss: {@code mean(|p - t| + (p - t)^2)}, closed by a full mean. */
  @Operator
  public static Tensor meanLoss(Tensor p, Tensor t) {
    Tensor d = p.sub(t);
    return d.abs().add(d.mul(d)).mean();
  }

  /** A row variance around m: {@code mean((x - m)^2, -1)}, closed by a mean over the last axis. */
  @Operator
  public static Tensor rowVariance(Tensor x, Tensor m) {
    return x.sub(m).mul(x.sub(m)).mean(-1);
  }

  /** A row dot product with a broadcast weight: {@code sum(x * w, -1)}, closed by a sum over the last axis. */
  @Operator
  public static Tensor rowDot(Tensor x, Tensor w) {
    return x.mul(w).sum(-1);
  }

  /** Not a closer: a sum over the first axis ends the body. */
  @Operator
  public static Tensor columnDot(Tensor x, Tensor w) {
    return x.mul(w).sum(0);
  }

  /** Not one elementwise region: a matrix product splits it. */
  @Operator
  public static Tensor affineTanh(Tensor x, Tensor w) {
    return x.matmul(w).tanh();
  }
}
