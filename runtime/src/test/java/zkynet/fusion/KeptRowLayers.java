package zkynet.fusion;

import zkynet.Operator;
import zkynet.Tensor;

/**
 * User operators closed by a last-axis reduction written with an axes array, {@code sum(new int[]
 * {-1}, keepDims)} and {@code mean(...)}, for {@link KeptRowCloserFusionTest}: the array is a constant
 * of the body, so each body fuses as one region (not as a whole).
 */
public final class KeptRowLayers {
  private KeptRowLayers() {}

  /** {@code mean((x - m)^2)} over the last axis, kept as an axis of 1. */
  @Operator
  public static Tensor rowVarianceKept(Tensor x, Tensor m) {
    Tensor d = x.sub(m);
    return d.mul(d).mean(new int[] {-1}, true);
  }

  /** {@code sum(x * w)} over the last axis, kept as an axis of 1. */
  @Operator
  public static Tensor rowDotKept(Tensor x, Tensor w) {
    return x.mul(w).sum(new int[] {-1}, true);
  }

  /** {@code sum(x * w)} over the last axis, without it: as {@code sum(-1)}. */
  @Operator
  public static Tensor rowDotDropped(Tensor x, Tensor w) {
    return x.mul(w).sum(new int[]{-1}, false);
  }

  /** {@code mean(x * w)} over the last axis, without it: as {@code mean(-1)}. */
  @Operator
  public static Tensor rowMeanDropped(Tensor x, Tensor w) {
    return x.mul(w).mean(new int[] { -1 }, false);
  }
}
