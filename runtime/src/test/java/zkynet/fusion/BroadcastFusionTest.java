package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.fusion.FusionTest.F32_TOL;
import static zkynet.fusion.FusionTest.assertClose;
import static zkynet.fusion.FusionTest.assertCloseToFloat64;
import static zkynet.fusion.FusionTest.assertFusedMatchesOpByOp;
import static zkynet.fusion.FusionTest.f32;
import static zkynet.fusion.FusionTest.f64;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import zkynet.BuiltinsOps;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;
import zkynet.backend.jvm.Fused;
import zkynet.backend.jvm.FusedLoop;
import zkynet.nn.FunctionalOps;

/**
 * Fused loops over operands that broadcast by numpy's rule with size-1 axes anywhere (a per-row
 * statistic {@code [b, 1]} against {@code [b, n]}, an outer product of {@code [1, n]} and {@code [b,
 * 1]}, {@code [b, 1, n]} against {@code [b, m, n]}, ...): the fused path runs ({@link
 * Fused#loopsRun}), agrees with op by op within {@link FusionTest}'s float32 tolerance (a broadcast
 * input's gradient summed back to its shape), and its float32 gradients with float64 op by op, which
 * finite differences check. The built-ins whose regions read a {@code [b, 1]} statistic now run those
 * regions fused.
 */
class BroadcastFusionTest {
  private static final Function<Tensor[], Differentiable> BIAS =
      in -> new FusedLayersOps.BiasTanh(in[0], in[1], 1.5);
  private static final Function<Tensor[], Differentiable> CUBIC =
      in -> new FusedLayersOps.CubicSum(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> LOSS =
      in -> new FusedLayersOps.MeanLoss(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> ROW_VARIANCE =
      in -> new FusedLayersOps.RowVariance(in[0], in[1]);

  /** Pairs of shapes, the second broadcast against the first (or both against each other). */
  private static final int[][][] PAIRS = {
      {{4, 5}, {4, 1}},
      {{1, 5}, {4, 1}}, // an outer product: both broadcast
      {{3, 4, 5}, {3, 1, 5}},
      {{3, 4, 5}, {4, 1}},
      {{3, 4, 5}, {3, 4, 1}},
      {{3, 4, 5}, {1, 4, 1}},
      {{3, 4, 5}, {3, 1, 1}},
      {{2, 1, 3, 1, 5}, {1, 4, 1, 6, 1}}, // alternating: every axis broadcast in one of the two
      {{FusedLoop.BLOCK + 3, 7}, {FusedLoop.BLOCK + 3, 1}}, // rows straddling the blocks
      {{3, 2 * FusedLoop.BLOCK + 5}, {3, 1}}, // rows spanning blocks
      {{5, 1}, {5, 1}},
      {{1, 1}, {6, 1}},
  };

  /** The number of fused loops {@code work} starts on this thread. */
  static long loops(Runnable work) {
    long before = Fused.loopsRun();
    work.run();
    return Fused.loopsRun() - before;
  }

  private static void assertRunsFusedAndAgree(Function<Tensor[], Differentiable> op, Tensor... in) {
    Tensor gOut = Tensor.uniform(new Random(5), -2, 2, DType.FLOAT32, op.apply(in).output().shape());
    assertEquals(2, loops(() -> op.apply(in).backward(gOut, Differentiable.all(in.length))),
        () -> "one fused loop forward, one backward, for " + shapes(in));
    assertFusedMatchesOpByOp(op, in);
  }

  private static String shapes(Tensor... in) {
    return String.join(" and ", Arrays.stream(in).map(t -> Arrays.toString(t.shape())).toList());
  }

  @Test
  void broadcastsWithSizeOneAxesAnywhereRunFusedAndAgree() {
    int seed = 200;
    for (int[][] pair : PAIRS) {
      Tensor a = f32(seed++, 1, pair[0]);
      Tensor b = f32(seed++, 1, pair[1]);
      assertNotNull(Fused.plan(a, b), () -> shapes(a, b));
      assertRunsFusedAndAgree(BIAS, a, b);
      assertRunsFusedAndAgree(BIAS, b, a);
      // the gradients at the edge values 1e4 summed over broadcast axes cancel beyond float32 (fused
      // and op by op then differ from float64 by 1e-5 of the result, each its own way): scaled down
      assertRunsFusedAndAgree(CUBIC, a.mul(1e-3), b.mul(1e-3));
      assertRunsFusedAndAgree(CUBIC, b.mul(1e-3), a.mul(1e-3));
      assertRunsFusedAndAgree(LOSS, a.mul(1e-2), b.mul(1e-2));
      assertRunsFusedAndAgree(ROW_VARIANCE, a.mul(1e-2), b.mul(1e-2));
      // more than 3 operands read no one-element operand once: every operand repeated
      assertFusedMatchesOpByOp(in -> new FusedLayersOps.Mixed(in[0], in[1], b), a, b);
    }
  }

  /** The gradient of a [b, 1] column: the row sums of 1.5 gOut (1 - tanh^2), and its shape. */
  @Test
  void aColumnsGradientIsItsRowSums() {
    Tensor x = f32(230, 1, 6, 9);
    Tensor column = f32(231, 1, 6, 1);
    Tensor gOut = Tensor.uniform(new Random(232), -1, 1, DType.FLOAT32, 6, 9);
    Differentiable d = BIAS.apply(new Tensor[] {x, column});
    Tensor[] g = d.backward(gOut, Differentiable.all(2));
    assertArrayEquals(new int[] {6, 1}, g[1].shape());
    double[] y = d.output().toDoubleArray();
    double[] go = gOut.toDoubleArray();
    double[] xs = x.toDoubleArray();
    double[] cs = column.toDoubleArray();
    for (int r = 0; r < 6; r++) {
      double expected = 0;
      for (int j = 0; j < 9; j++) {
        double t = Math.tanh(1.5 * xs[r * 9 + j] + cs[r]);
        assertEquals(t, y[r * 9 + j], 1e-6, "tanh");
        expected += go[r * 9 + j] * (1 - t * t);
      }
      assertEquals(expected, g[1].toDoubleArray()[r], 1e-5 * Math.max(1, Math.abs(expected)), "dc[" + r + "]");
    }
  }

  /** NaN, the infinities, -0 and empty axes, in the repeated operand and in the other one. */
  @Test
  void edgeValuesAndEmptyShapes() {
    float[] v = FusionTest.values(40, 240, 2);
    v[12] = Float.NaN;
    v[13] = Float.POSITIVE_INFINITY;
    v[14] = Float.NEGATIVE_INFINITY;
    v[15] = -0f;
    Tensor x = Tensor.wrap(v, 8, 5);
    Tensor column = Tensor.wrap(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, 0f, 1e4f, -1e4f, 88f, -90f}, 8, 1);
    Tensor row = Tensor.wrap(Arrays.copyOfRange(v, 11, 16), 1, 5);
    for (Function<Tensor[], Differentiable> op : java.util.List.of(BIAS, CUBIC, LOSS, ROW_VARIANCE)) {
      assertFusedMatchesOpByOp(op, x, column);
      assertFusedMatchesOpByOp(op, column, x);
      assertFusedMatchesOpByOp(op, row, column);
    }
    int[][][] empty = {{{0, 5}, {0, 1}}, {{4, 0}, {4, 1}}, {{0, 1}, {1, 3}}, {{2, 0, 3}, {2, 1, 3}}};
    for (int[][] pair : empty) {
      Tensor a = Tensor.zeros(DType.FLOAT32, pair[0]);
      Tensor b = Tensor.ones(DType.FLOAT32, pair[1]);
      assertNotNull(Fused.plan(a, b));
      assertFusedMatchesOpByOp(BIAS, a, b);
      assertFusedMatchesOpByOp(CUBIC, a, b);
      assertFusedMatchesOpByOp(LOSS, b, a);
    }
  }

  /** A million elements, split across the pool mid-row: each chunk sums its part of a row, combined in order. */
  @Test
  void largeBroadcastsSplitAcrossThreads() {
    assertRunsFusedAndAgree(BIAS, f32(250, 1, 1024, 1024), f32(251, 1, 1024, 1));
    assertRunsFusedAndAgree(BIAS, f32(252, 1, 3, 350_000), f32(253, 1, 3, 1)); // chunks split a row
    assertRunsFusedAndAgree(CUBIC, f32(254, 1, 64, 1, 1024).mul(1e-3), f32(255, 1, 64, 16, 1).mul(1e-3));
    assertRunsFusedAndAgree(ROW_VARIANCE, f32(256, 1, 1000, 1000), f32(257, 1, 1000, 1));
    assertRunsFusedAndAgree(LOSS, f32(258, 1, 1, 1000), f32(259, 1, 1000, 1)); // an outer product
  }

  /** A shape of 64 axes (the most a tensor has), broadcast along axes spread over it. */
  @Test
  void rank64() {
    int[] big = new int[64];
    int[] small = new int[63];
    Arrays.fill(big, 1);
    Arrays.fill(small, 1);
    for (int a : new int[] {0, 9, 20, 31, 40, 52, 63}) {
      big[a] = 2;
    }
    for (int a : new int[] {9, 31, 52}) {
      small[a - 1] = 2; // a rank-63 operand: one leading axis missing
    }
    small[61] = 3;
    big[62] = 3;
    Tensor a = f32(260, 1, big);
    Tensor b = f32(261, 1, small);
    assertNotNull(Fused.plan(a, b));
    assertRunsFusedAndAgree(BIAS, a, b);
    assertRunsFusedAndAgree(CUBIC, b.mul(1e-3), a.mul(1e-3));
  }

  @Test
  void float64GradientsAndFusedFloat32AgainstFloat64() {
    GradCheck.assertGradients(BIAS, f64(270, 4, 3), f64(271, 4, 1));
    GradCheck.assertGradients(BIAS, f64(272, 1, 3), f64(273, 4, 1));
    GradCheck.assertGradients(CUBIC, f64(274, 2, 3, 4), f64(275, 2, 1, 4));
    GradCheck.assertGradients(ROW_VARIANCE, f64(276, 3, 5), f64(277, 3, 1));
    assertCloseToFloat64(BIAS, f64(278, 40, 30), f64(279, 40, 1));
    assertCloseToFloat64(CUBIC, f64(280, 5, 1, 30), f64(281, 5, 7, 1));
    assertCloseToFloat64(ROW_VARIANCE, f64(282, 30, 40), f64(283, 30, 1));
  }

  /**
   * The built-ins whose regions read a [b, 1] statistic against [b, n]: each region's loop runs
   * fused forward and backward (their count), and the values agree with op by op. The row sums and
   * means written {@code sum(new int[] {-1}, true)} close regions of their own: {@code
   * normalizeLast}'s row variance {@code mul, mean(-1)}, also inside {@code layerNorm}. {@code
   * logSoftmax} has no region (its row sums of {@code exp} alone are not closed in one, its {@code
   * log} of them is kept out of a loop over the rows' elements, its {@code sub} alone is one loop
   * already): op by op, with the same values.
   */
  @Test
  void builtInsWithRowStatisticsRunFused() {
    Function<Tensor[], Differentiable> softmax = in -> new BuiltinsOps.Softmax(in[0]);
    Function<Tensor[], Differentiable> logSoftmax = in -> new BuiltinsOps.LogSoftmax(in[0]);
    Function<Tensor[], Differentiable> logSumExp = in -> new BuiltinsOps.LogSumExp(in[0], -1);
    Function<Tensor[], Differentiable> variance = in -> new BuiltinsOps.Variance(in[0], -1, 1);
    Function<Tensor[], Differentiable> normalize = in -> new FunctionalOps.NormalizeLast(in[0], 1e-5);
    Function<Tensor[], Differentiable> rowLogShift = in -> new RegionLayersOps.RowLogShift(in[0]);
    Function<Tensor[], Differentiable> layerNorm = in -> new FunctionalOps.LayerNorm(in[0], in[1], in[2], 1e-5);
    Tensor x = f32(290, 2, 7, FusedLoop.BLOCK + 9);
    assertLoops(softmax, 1, 1, x);
    assertLoops(logSoftmax, 0, 0, x);
    assertLoops(rowLogShift, 1, 1, x);
    assertLoops(logSumExp, 2, 2, x); // sub, exp; then log, add (which ran fused already)
    assertLoops(variance, 1, 1, x);
    assertLoops(normalize, 2, 2, x);
    assertLoops(layerNorm, 3, 3, x, f32(291, 1, FusedLoop.BLOCK + 9), f32(292, 1, FusedLoop.BLOCK + 9));
    float[] v = FusionTest.values(6 * 5, 293, 3);
    v[12] = Float.NaN;
    v[20] = Float.POSITIVE_INFINITY;
    v[21] = Float.NEGATIVE_INFINITY;
    v[25] = Float.NEGATIVE_INFINITY;
    v[26] = Float.NEGATIVE_INFINITY;
    v[27] = Float.NEGATIVE_INFINITY;
    v[28] = Float.NEGATIVE_INFINITY;
    v[29] = Float.NEGATIVE_INFINITY; // a row of -inf
    for (Tensor in : new Tensor[] {x, Tensor.wrap(v, 6, 5), f32(294, 1, 3, 4, 1), f32(295, 1, 1, 9),
        f32(296, 1, 512, 1024), Tensor.zeros(DType.FLOAT32, 0, 4)}) {
      for (Function<Tensor[], Differentiable> op : java.util.List.of(softmax, logSoftmax, logSumExp, variance,
          normalize, rowLogShift)) {
        assertFusedMatchesOpByOp(op, in);
      }
    }
    for (Function<Tensor[], Differentiable> op : java.util.List.of(softmax, logSoftmax, logSumExp, variance,
        normalize, rowLogShift)) {
      GradCheck.assertGradients(op, f64(297, 4, 6));
      assertCloseToFloat64(op, f64(298, 9, 20));
    }
  }

  private static void assertLoops(Function<Tensor[], Differentiable> op, int forward, int backward, Tensor... in) {
    Differentiable[] d = new Differentiable[1];
    assertEquals(forward, loops(() -> d[0] = op.apply(in)), "fused loops forward");
    Tensor gOut = Tensor.uniform(new Random(6), -1, 1, DType.FLOAT32, d[0].output().shape());
    assertEquals(backward, loops(() -> d[0].backward(gOut, Differentiable.all(in.length))),
        "fused loops backward");
    assertEquals(0, loops(() -> Fused.opByOp(() -> op.apply(in))), "op by op: no fused loop");
  }

  /** Four threads at once, each splitting across the pool: every result equal to a first call's. */
  @Test
  void concurrentCallsAgree() throws Exception {
    Tensor x = f32(300, 1, 512, 1000);
    Tensor gOut = Tensor.uniform(new Random(301), -1, 1, DType.FLOAT32, 512, 1000);
    Supplier<Tensor[]> softmax = () -> new BuiltinsOps.Softmax(x).backward(gOut, Differentiable.all(1));
    FusionTest.assertConcurrentCallsAgree(softmax, 3);
    Tensor column = f32(302, 1, 512, 1);
    FusionTest.assertConcurrentCallsAgree(
        () -> BIAS.apply(new Tensor[] {x, column}).backward(gOut, Differentiable.all(2)), 3);
    assertClose("softmax, one call against another", softmax.get()[0], softmax.get()[0], 0);
    assertTrue(Fused.plan(x, column) != null);
    assertClose("softmax fused against op by op", Fused.opByOp(softmax)[0], softmax.get()[0], F32_TOL);
  }
}
