package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.fusion.FusionTest.F32_TOL;
import static zkynet.fusion.FusionTest.F64_TOL;
import static zkynet.fusion.FusionTest.assertClose;
import static zkynet.fusion.FusionTest.assertFusedMatchesOpByOp;
import static zkynet.fusion.FusionTest.values;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;
import zkynet.backend.jvm.Fused;
import zkynet.backend.jvm.FusedLoop;

/**
 * Regions closed by a reduction over the last axis ({@code sum(-1)}, {@code mean(-1)}): one value
 * per row forward, the row's cotangent at each of its elements backward; against the op-by-op code
 * of the same operators, float64 and finite differences (tolerances as in {@link FusionTest}).
 */
class RowCloserFusionTest {
  private static final Function<Tensor[], Differentiable> VARIANCE =
      in -> new FusedLayersOps.RowVariance(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> DOT = in -> new FusedLayersOps.RowDot(in[0], in[1]);

  private static Tensor rows(int b, int n, long seed) {
    return Tensor.wrap(values(b * n, seed, 1), b, n);
  }

  /** Both operators on x [b, n] with a second operand of each broadcast shape, fused and op by op. */
  private static void assertAgrees(int b, int n, long seed) {
    Tensor x = rows(b, n, seed);
    Tensor w = Tensor.wrap(values(n, seed + 1, 1), n);
    for (Tensor other : new Tensor[] {w, w.reshape(1, n), rows(b, n, seed + 2), Tensor.of(0.5f)}) {
      assertNotNull(Fused.planRows(x, other));
      assertFusedMatchesOpByOp(VARIANCE, x, other);
      assertFusedMatchesOpByOp(DOT, x, other);
      assertFusedMatchesOpByOp(DOT, other, x); // the broadcast operand first
    }
  }

  /**
   * Rows longer than a block (a row spans blocks), rows straddling blocks, one element, a batch of 0,
   * empty rows: [b, n].
   */
  static final int[][] EDGE_SHAPES = {{3, 2 * FusedLoop.BLOCK + 5}, {2, FusedLoop.BLOCK},
      {FusedLoop.BLOCK + 3, 7}, {5, 3}, {1, 1}, {0, 4}, {3, 0}};

  @Test
  void rowClosersAgreeWithOpByOpAtEdgeShapes() {
    long seed = 50;
    for (int[] s : EDGE_SHAPES) {
      assertAgrees(s[0], s[1], seed += 3);
    }
  }

  @Test
  void largeInputsSplitAcrossThreadsByWholeRows() {
    assertAgrees(1024, 1024, 60); // above the split threshold
    assertAgrees(3, (1 << 19) + 1, 61); // fewer rows than threads: one chunk holds every row
    assertAgrees((1 << 18) + 1, 3, 62); // short rows: chunk bounds on whole rows
  }

  @Test
  void otherRanks() {
    Tensor v = Tensor.wrap(values(9, 70, 1), 9);
    assertFusedMatchesOpByOp(DOT, v, v); // rank 1: a rank-0 output
    assertEquals(0, DOT.apply(new Tensor[] {v, v}).output().rank());
    Tensor x3 = Tensor.wrap(values(2 * 3 * 5, 71, 1), 2, 3, 5);
    assertFusedMatchesOpByOp(VARIANCE, x3, Tensor.wrap(values(15, 72, 1), 3, 5));
    assertArrayEquals(new int[] {2, 3}, VARIANCE.apply(new Tensor[] {x3, Tensor.of(0f)}).output().shape());
    // rank 0: no last axis, no fused plan; the op-by-op code reports the error
    Tensor s = Tensor.of(2f);
    assertNull(Fused.planRows(s, s));
    assertNotNull(Fused.plan(s, s));
    RuntimeException e = assertThrows(RuntimeException.class, () -> DOT.apply(new Tensor[] {s, s}));
    RuntimeException e0 = assertThrows(RuntimeException.class,
        () -> Fused.opByOp(() -> DOT.apply(new Tensor[] {s, s})));
    assertEquals(e0.getMessage(), e.getMessage());
  }

  @Test
  void analyticValuesAndGradients() {
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 4, 4}}).to(DType.FLOAT32);
    Differentiable d = VARIANCE.apply(new Tensor[] {x, Tensor.of(2f)});
    // mean((x - 2)^2, -1) = (2/3, 4); d/dx = 2 (x - 2) / 3 * g[row]; d/dm = -(sum of those)
    assertArrayEquals(new double[] {2.0 / 3, 4}, d.output().toDoubleArray(), 1e-6);
    Tensor[] g = d.backward(Tensor.of(1f, 3f), Differentiable.all(2));
    assertArrayEquals(new double[] {-2.0 / 3, 0, 2.0 / 3, 4, 4, 4}, g[0].toDoubleArray(), 1e-6);
    assertEquals(-12.0, g[1].item(), 1e-5);
    Differentiable dot = DOT.apply(new Tensor[] {x, Tensor.of(1f, -1f, 2f)});
    assertArrayEquals(new double[] {5, 8}, dot.output().toDoubleArray());
    Tensor[] gd = dot.backward(Tensor.of(2f, -1f), Differentiable.all(2));
    assertArrayEquals(new double[] {2, -2, 4, -1, 1, -2}, gd[0].toDoubleArray());
    assertArrayEquals(new double[] {-2, 0, 2}, gd[1].toDoubleArray()); // 2 x[0] - x[1]
    // rows of no elements: sum 0, mean NaN (0 / 0), as op by op
    Tensor empty = Tensor.zeros(DType.FLOAT32, 2, 0);
    assertArrayEquals(new double[] {0, 0}, DOT.apply(new Tensor[] {empty, empty}).output().toDoubleArray());
    assertTrue(Double.isNaN(VARIANCE.apply(new Tensor[] {empty, Tensor.of(1f)}).output().toDoubleArray()[1]));
  }

  @Test
  void aBatchedCotangentTakesTheOpByOpPath() {
    Tensor x = rows(4, 6, 80);
    Tensor w = Tensor.wrap(values(6, 81, 1), 6);
    Tensor jacobian = Tensor.uniform(new Random(82), -1, 1, DType.FLOAT32, 3, 4); // batch axis of 3
    for (Function<Tensor[], Differentiable> op : java.util.List.of(VARIANCE, DOT)) {
      Differentiable fused = op.apply(new Tensor[] {x, w});
      Tensor[] g = fused.backward(jacobian, Differentiable.all(2));
      Tensor[] g0 = Fused.opByOp(() -> op.apply(new Tensor[] {x, w}).backward(jacobian, Differentiable.all(2)));
      assertArrayEquals(new int[] {3, 4, 6}, g[0].shape());
      assertClose("batched dx", g0[0], g[0], F32_TOL);
      assertClose("batched dw", g0[1], g[1], F32_TOL);
    }
  }

  @Test
  void float64GradCheckAndFusedFloat32AgainstFloat64() {
    Tensor x = Tensor.uniform(new Random(90), -2, 2, DType.FLOAT64, 4, 5);
    Tensor w = Tensor.uniform(new Random(91), -2, 2, DType.FLOAT64, 5);
    GradCheck.assertGradients(VARIANCE, x, w);
    GradCheck.assertGradients(DOT, x, w);
    GradCheck.assertGradients(VARIANCE, x, Tensor.uniform(new Random(92), -2, 2, DType.FLOAT64));
    Tensor g64 = Tensor.uniform(new Random(93), -1, 1, DType.FLOAT64, 4);
    for (Function<Tensor[], Differentiable> op : java.util.List.of(VARIANCE, DOT)) {
      Differentiable d64 = op.apply(new Tensor[] {x, w});
      Differentiable d32 = op.apply(new Tensor[] {x.to(DType.FLOAT32), w.to(DType.FLOAT32)});
      assertClose("output", d64.output(), d32.output().to(DType.FLOAT64), F64_TOL);
      Tensor[] a = d64.backward(g64, Differentiable.all(2));
      Tensor[] b = d32.backward(g64.to(DType.FLOAT32), Differentiable.all(2));
      assertClose("dx", a[0], b[0].to(DType.FLOAT64), F64_TOL);
      assertClose("dw", a[1], b[1].to(DType.FLOAT64), F64_TOL);
    }
  }

  @Test
  void neededFlagsAndRepeatedCalls() {
    Tensor x = rows(3 * FusedLoop.BLOCK / 7, 7, 95);
    Tensor w = Tensor.wrap(values(7, 96, 1), 7);
    Differentiable d = DOT.apply(new Tensor[] {x, w});
    Tensor gOut = Tensor.uniform(new Random(97), -1, 1, DType.FLOAT32, x.shape()[0]);
    Tensor[] both = d.backward(gOut, Differentiable.all(2));
    Tensor[] onlyW = d.backward(gOut, new boolean[] {false, true});
    assertNull(onlyW[0]);
    assertClose("w alone", both[1], onlyW[1], 0);
    assertClose("again", both[0], d.backward(gOut, Differentiable.all(2))[0], 0);
  }
}
