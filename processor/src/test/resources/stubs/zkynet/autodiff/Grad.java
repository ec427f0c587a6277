package zkynet.autodiff;

import zkynet.Tensor;

/**
 * Test stub of zkynet.autodiff.Grad: gradient accumulation as generated backward passes call it
 * (signatures copied from runtime/src/main/java/zkynet/autodiff/Grad.java).
 */
public final class Grad {
  private Grad() {}

  public static int batchRank(Tensor g, Tensor y) {
    return 0;
  }

  public static Tensor accumulate(Tensor acc, Tensor contribution, Tensor input, int batch) {
    return null;
  }

  public static Tensor unbroadcast(Tensor contribution, int batch, int[] inputShape) {
    return null;
  }
}
