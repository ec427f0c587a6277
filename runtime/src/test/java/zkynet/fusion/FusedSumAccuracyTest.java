package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.backend.jvm.Fused;
import zkynet.backend.jvm.FusedLoop;

/**
 * The sums a fused loop takes (a closing sum, a rank-0 input's gradient) against the exact sum of
 * the same float32 element values. A whole block of {@link FusedLoop#BLOCK} values is summed
 * pairwise in float32 with each addition's rounding error kept (TwoSum) and the rest in double, so
 * the bound accepted here is a double sum's: {@code |fused - exact| <= ulp(float(exact)) + 2e-13 *
 * sum|v|} (the final rounding to float32, plus {@code 24 * 2^-48} of the magnitudes per block and
 * the double sums of blocks and chunks). A float32 sum without the errors kept (error up to {@code 4
 * * 2^-24 * sum|v|}) fails the cancellation cases below.
 *
 * <p>W2's operator {@code sum((x + w) * x^2)} with {@code w = 0} sums {@code x^3} per element,
 * computed here as the loop computes it ({@code (x + w) * (x * x)} in float), and its gradient of
 * {@code w} sums {@code x * x}.
 */
class FusedSumAccuracyTest {
  private static final double MAGNITUDE_TOL = 2e-13;

  /** The element values of W2's closing sum, in float as the fused loop computes them. */
  private static double[] cubes(float[] x, float w) {
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = (x[i] + w) * (x[i] * x[i]);
    }
    return v;
  }

  private static double[] squares(float[] x) {
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = x[i] * x[i];
    }
    return v;
  }

  private static void assertWithinBound(String what, double[] values, double actual) {
    assertWithinBound(what, values, 1, actual);
  }

  /** {@code actual} against the exact sum of {@code values} divided by {@code n} (a mean), within the bound. */
  private static void assertWithinBound(String what, double[] values, int n, double actual) {
    // the exact sum to about 2^-106 of the magnitudes: Neumaier's compensated sum in double
    double sum = 0;
    double error = 0;
    double magnitudes = 0;
    for (double v : values) {
      double t = sum + v;
      error += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
      magnitudes += Math.abs(v);
    }
    double e = (sum + error) / n;
    double bound = Math.ulp((float) e) + MAGNITUDE_TOL * magnitudes / n;
    assertTrue(Math.abs(actual - e) <= bound, what + ": " + actual + " is not within " + bound
        + " of the exact " + e + " (" + values.length + " values)");
  }

  /** Value and gradients of W2's operator, fused (the plan must apply). */
  private static Tensor[] w2(float[] x, float w) {
    Differentiable d = new FusedLayersOps.CubicSum(Tensor.of(x), Tensor.of(w));
    Tensor[] g = d.backward(Tensor.of(1f), Differentiable.all(2));
    return new Tensor[] {d.output(), g[0], g[1]};
  }

  @Test
  void aMillionElementSumAndRankZeroGradientAreWithinTheBoundOfTheExactSums() {
    Random rng = new Random(3);
    float[] x = new float[1_000_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextGaussian() * Math.exp(rng.nextGaussian() * 3)); // magnitudes over decades
    }
    Tensor[] r = w2(x, 0.25f);
    assertWithinBound("sum", cubes(x, 0.25f), r[0].item());
    assertWithinBound("gradient of w", squares(x), r[2].item());
  }

  @Test
  void sizesAroundBlocksAndChunks() {
    int block = FusedLoop.BLOCK;
    Random rng = new Random(4);
    for (int n : new int[] {(1 << 20) + 5, 16 * block + 15, 2 * block + 1, block + 1, block, block - 1,
        17, 1}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = rng.nextFloat() * 4 - 2;
      }
      Tensor[] r = w2(x, -0.5f);
      assertWithinBound("sum of " + n, cubes(x, -0.5f), r[0].item());
      assertWithinBound("gradient of w, " + n, squares(x), r[2].item());
    }
    Tensor[] empty = w2(new float[0], 1f);
    assertEquals(0.0, empty[0].item());
    assertEquals(0.0, empty[2].item());
    assertTrue(Double.isNaN(new FusedLayersOps.MeanLoss(Tensor.of(new float[0]), Tensor.of(1f))
        .output().item()), "the mean of nothing");
  }

  /**
   * Cancellation: values of 1e12 and -1e12 (x = +-1e4) that cancel exactly, scattered among a
   * million values of 1, so every float partial sum that holds a large value rounds away the ones it
   * meets (ulp(1e12) = 65536 in float32).
   */
  @Test
  void cancellationKeepsTheSmallValues() {
    float[] x = new float[1 << 20];
    java.util.Arrays.fill(x, 1f);
    Random rng = new Random(5);
    for (int k = 0; k < 64; k++) {
      x[rng.nextInt(x.length)] = 1e4f;
    }
    for (int i = 0, pairs = 0; pairs < 64; i++) { // as many -1e4 as +1e4, away from them
      if (x[i] == 1f && x[x.length - 1 - i] == 1f) {
        x[x.length - 1 - i] = -1e4f;
        pairs++;
      }
    }
    int big = 0;
    for (float v : x) {
      big += v == 1e4f ? 1 : v == -1e4f ? -1 : 0;
    }
    assertEquals(0, big, "the large values cancel");
    Tensor[] r = w2(x, 0f);
    assertWithinBound("sum", cubes(x, 0f), r[0].item());
    assertEquals(x.length - 128, r[0].item(), 1.0, "the ones, exactly (up to float32 rounding)");
  }

  /**
   * Partial sums beyond float32's range whose total is not: the block is summed in double again (so
   * the fused value is the op-by-op one), and a total beyond the range is an infinity.
   */
  @Test
  void floatOverflowInABlockFallsBackToDouble() {
    float big = 6e12f; // big^3 = 2.16e38: two of them overflow float32 (3.4e38)
    float[] x = new float[FusedLoop.BLOCK];
    x[0] = big;
    x[FusedLoop.BLOCK / 2] = big; // paired with x[0] by the first halving
    x[1] = -big;
    x[FusedLoop.BLOCK / 2 + 1] = -big;
    x[7] = 3f;
    Tensor[] r = w2(x, 0f);
    assertEquals(27.0, r[0].item(), "the large values cancel in double");
    Tensor plain = Fused.opByOp(() -> new FusedLayersOps.CubicSum(Tensor.of(x), Tensor.of(0f)).output());
    assertEquals(plain.item(), r[0].item());
    x[1] = big;
    x[FusedLoop.BLOCK / 2 + 1] = big;
    assertEquals(Double.POSITIVE_INFINITY, w2(x, 0f)[0].item(), "8.6e38 is beyond float32");
  }

  @Test
  void infinitiesAndNaNPropagate() {
    float[] x = new float[3 * FusedLoop.BLOCK + 10];
    Random rng = new Random(6);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat() - 0.5f;
    }
    x[FusedLoop.BLOCK + 5] = Float.POSITIVE_INFINITY;
    Tensor[] r = w2(x, 0f);
    assertEquals(Double.POSITIVE_INFINITY, r[0].item(), "inf^3");
    assertEquals(Double.POSITIVE_INFINITY, r[2].item(), "inf^2");
    x[2 * FusedLoop.BLOCK + 1] = Float.NEGATIVE_INFINITY;
    r = w2(x, 0f);
    assertTrue(Double.isNaN(r[0].item()), "inf - inf");
    assertEquals(Double.POSITIVE_INFINITY, r[2].item(), "inf^2 + inf^2");
    x[2 * FusedLoop.BLOCK + 1] = Float.NaN;
    r = w2(x, 0f);
    assertTrue(Double.isNaN(r[0].item()));
    assertTrue(Double.isNaN(r[2].item()));
  }

  /** Chunks across threads are combined in index order: repeated runs give the same bits. */
  @Test
  void resultsDoNotDependOnThreadTiming() {
    float[] x = new float[(1 << 20) + 3];
    Random rng = new Random(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    Tensor[] first = w2(x, 0.5f);
    for (int run = 0; run < 5; run++) {
      Tensor[] again = w2(x, 0.5f);
      assertEquals(first[0].item(), again[0].item());
      assertEquals(first[2].item(), again[2].item());
    }
  }

  /** Row closers sum each row in double, rows longer than a block (and of whole blocks) included. */
  @Test
  void rowSumsLongerThanABlock() {
    for (int n : new int[] {FusedLoop.BLOCK + 904, 3 * FusedLoop.BLOCK + 5, 2 * FusedLoop.BLOCK}) {
      assertRowSumsWithinBound(n);
    }
  }

  /** Rows of whole blocks whose float partial sums would overflow: as a double sum gives them. */
  @Test
  void rowSumsThatOverflowInFloatFallBackToDouble() {
    int n = 2 * FusedLoop.BLOCK;
    float[] x = new float[3 * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 0 ? 3e38f : -3e38f;
    }
    x[n + 5] = 1.5f; // row 1 then sums to 1.5 + 3e38
    Tensor w = Tensor.ones(DType.FLOAT32, n);
    double[] sums = new FusedLayersOps.RowDot(Tensor.wrap(x, 3, n), w).output().toDoubleArray();
    assertEquals(0.0, sums[0]);
    assertEquals(3e38f, (float) sums[1]);
    assertEquals(0.0, sums[2]);
  }

  private static void assertRowSumsWithinBound(int n) {
    Tensor x = Tensor.uniform(new Random(8), -3, 3, DType.FLOAT32, 3, n);
    Tensor w = Tensor.uniform(new Random(9), -1, 1, DType.FLOAT32, n);
    float[] xs = Fused.floats(x);
    float[] ws = Fused.floats(w);
    double[] sums = new FusedLayersOps.RowDot(x, w).output().toDoubleArray();
    double[] means = new FusedLayersOps.RowVariance(x, w).output().toDoubleArray();
    for (int r = 0; r < 3; r++) {
      double[] products = new double[n];
      double[] squares = new double[n];
      for (int j = 0; j < n; j++) {
        float x1 = xs[r * n + j];
        products[j] = x1 * ws[j];
        squares[j] = (x1 - ws[j]) * (x1 - ws[j]);
      }
      assertWithinBound("row " + r + " of sum(-1)", products, sums[r]);
      assertWithinBound("row " + r + " of mean(-1)", squares, n, means[r]);
    }
  }
  /**
   * The op-by-op sum of a float32 tensor (a loss's {@code sum}, the gradient of a broadcast scalar)
   * sums whole blocks the same pairwise way, without writing into the tensor: within the same bound,
   * over sizes around the block and with cancellation; a block whose float partial sums overflow
   * is summed again in double; infinities and NaN come out as a double sum gives them; the tensor
   * is unchanged.
   */
  @Test
  void opByOpSumsAreWithinTheBoundAndLeaveTheTensorUnchanged() {
    int block = FusedLoop.BLOCK;
    Random rng = new Random(11);
    for (int n : new int[] {block - 1, block, block + 1, 3 * block + 17, 1_000_003}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) { // +-1e4 alternating, cancelling, plus small values
        x[i] = (i % 2 == 0 ? 1e4f : -1e4f) + (float) rng.nextGaussian();
      }
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = x[i];
      }
      Tensor t = Tensor.of(x);
      assertWithinBound("sum of " + n, values, t.sum().item());
      assertWithinBound("mean of " + n, values, n, t.mean().item());
      assertTrue(java.util.Arrays.equals(values, t.toDoubleArray()), "the tensor is unchanged");
    }
    float[] x = new float[2 * block];
    x[block] = 3e38f;
    x[block + block / 2] = 3e38f; // paired with x[block] by the first halving: inf in float
    x[block + 1] = -3e38f;
    x[block + block / 2 + 1] = -3e38f;
    x[5] = 2f;
    assertEquals(2.0, Tensor.of(x).sum().item(), "the large values cancel in double");
    x[block + 1] = Float.POSITIVE_INFINITY;
    assertEquals(Double.POSITIVE_INFINITY, Tensor.of(x).sum().item());
    x[3] = Float.NEGATIVE_INFINITY;
    assertTrue(Double.isNaN(Tensor.of(x).sum().item()), "inf - inf");
    x[3] = Float.NaN;
    x[block + 1] = 1f;
    assertTrue(Double.isNaN(Tensor.of(x).sum().item()), "NaN");
  }
}
