package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.fusion.FusionTest.F32_TOL;
import static zkynet.fusion.FusionTest.F64_TOL;
import static zkynet.fusion.FusionTest.assertClose;
import static zkynet.fusion.FusionTest.assertFusedMatchesOpByOp;
import static zkynet.fusion.BroadcastFusionTest.loops;
import static zkynet.fusion.FusionTest.values;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;
import zkynet.backend.jvm.Fused;

/**
 * Regions closed by {@code sum(new int[] {-1}, keepDims)} or {@code mean(...)} ({@link
 * KeptRowLayers}): one fused loop forward and one backward ({@link Fused#loopsRun}), the rows' values
 * shaped with a last axis of 1 (keepDims) or without it; against the op-by-op code of the same
 * operators, float64 and finite differences (tolerances as in {@link FusionTest}).
 */
class KeptRowCloserFusionTest {
  private static final Function<Tensor[], Differentiable> VARIANCE_KEPT =
      in -> new KeptRowLayersOps.RowVarianceKept(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> DOT_KEPT =
      in -> new KeptRowLayersOps.RowDotKept(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> DOT_DROPPED =
      in -> new KeptRowLayersOps.RowDotDropped(in[0], in[1]);
  private static final Function<Tensor[], Differentiable> MEAN_DROPPED =
      in -> new KeptRowLayersOps.RowMeanDropped(in[0], in[1]);
  private static final List<Function<Tensor[], Differentiable>> KEPT = List.of(VARIANCE_KEPT, DOT_KEPT);
  private static final List<Function<Tensor[], Differentiable>> ALL =
      List.of(VARIANCE_KEPT, DOT_KEPT, DOT_DROPPED, MEAN_DROPPED);

  private static Tensor f32(long seed, int... shape) {
    return Tensor.wrap(values((int) Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b), seed, 1),
        shape);
  }

  /** One fused loop forward, one backward; the output's shape; the same values as op by op. */
  private static void assertRunsFusedAndAgree(Function<Tensor[], Differentiable> op, int[] outShape,
      Tensor... in) {
    Differentiable[] d = new Differentiable[1];
    assertEquals(1, loops(() -> d[0] = op.apply(in)), "one fused loop forward");
    assertArrayEquals(outShape, d[0].output().shape(), "output shape");
    Tensor gOut = Tensor.uniform(new Random(7), -1, 1, DType.FLOAT32, outShape);
    assertEquals(1, loops(() -> d[0].backward(gOut, Differentiable.all(in.length))), "one fused loop backward");
    assertEquals(0, loops(() -> Fused.opByOp(() -> op.apply(in))), "op by op: no fused loop");
    assertFusedMatchesOpByOp(op, in);
  }

  /** x [b, n] against a second operand of each broadcast shape: every operator fused, as op by op. */
  private static void assertAgrees(int b, int n, long seed) {
    Tensor x = f32(seed, b, n);
    Tensor w = f32(seed + 1, n);
    for (Tensor other : new Tensor[] {w, w.reshape(1, n), f32(seed + 2, b, n), Tensor.of(0.5f)}) {
      for (Function<Tensor[], Differentiable> op : KEPT) {
        assertRunsFusedAndAgree(op, new int[] {b, 1}, x, other);
      }
      assertRunsFusedAndAgree(DOT_DROPPED, new int[] {b}, x, other);
      assertRunsFusedAndAgree(MEAN_DROPPED, new int[] {b}, other, x); // the broadcast operand first
    }
  }

  @Test
  void keptRowsAgreeWithOpByOpAtEdgeShapes() {
    long seed = 400;
    for (int[] s : RowCloserFusionTest.EDGE_SHAPES) {
      assertAgrees(s[0], s[1], seed += 3);
    }
  }

  @Test
  void largeInputsSplitAcrossThreads() {
    assertAgrees(1024, 1024, 410);
    assertAgrees((1 << 18) + 1, 3, 411); // short rows: chunk bounds on whole rows
  }

  @Test
  void nonFiniteValuesAgreeWithOpByOp() {
    float[] v = values(6 * 5, 420, 3);
    v[3] = Float.NaN;
    v[7] = Float.POSITIVE_INFINITY;
    v[12] = Float.NEGATIVE_INFINITY;
    v[13] = Float.POSITIVE_INFINITY; // +inf and -inf in one row
    Arrays.fill(v, 25, 30, Float.NEGATIVE_INFINITY); // a row of -inf
    Tensor x = Tensor.wrap(v, 6, 5);
    Tensor w = f32(421, 5);
    for (Function<Tensor[], Differentiable> op : ALL) {
      assertFusedMatchesOpByOp(op, x, w);
      assertFusedMatchesOpByOp(op, w, x);
    }
    double[] rows = DOT_KEPT.apply(new Tensor[] {x, Tensor.of(1f)}).output().toDoubleArray();
    assertTrue(Double.isNaN(rows[0]) && Double.isNaN(rows[2]), Arrays.toString(rows));
    assertEquals(Double.NEGATIVE_INFINITY, rows[5]);
  }

  @Test
  void otherRanks() {
    // rank 1: keepDims gives [1], without it a rank-0 output
    Tensor v = f32(430, 9);
    for (Function<Tensor[], Differentiable> op : KEPT) {
      assertRunsFusedAndAgree(op, new int[] {1}, v, f32(431, 9));
    }
    assertRunsFusedAndAgree(DOT_DROPPED, new int[] {}, v, v);
    assertRunsFusedAndAgree(MEAN_DROPPED, new int[] {}, v, Tensor.of(2f));
    // rank 3, with operands broadcast over a middle and a leading axis
    Tensor x3 = f32(432, 2, 3, 5);
    for (Tensor other : new Tensor[] {f32(433, 3, 5), f32(434, 2, 1, 5), f32(435, 2, 3, 1)}) {
      for (Function<Tensor[], Differentiable> op : KEPT) {
        assertRunsFusedAndAgree(op, new int[] {2, 3, 1}, x3, other);
      }
      assertRunsFusedAndAgree(DOT_DROPPED, new int[] {2, 3}, x3, other);
      assertRunsFusedAndAgree(MEAN_DROPPED, new int[] {2, 3}, x3, other);
    }
    // rank 0: no last axis, no fused loop; the op-by-op code's error, as op by op
    Tensor s = Tensor.of(2f);
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> DOT_KEPT.apply(new Tensor[] {s, s}));
    RuntimeException e0 = assertThrows(RuntimeException.class,
        () -> Fused.opByOp(() -> DOT_KEPT.apply(new Tensor[] {s, s})));
    assertEquals(e0.getMessage(), e.getMessage());
  }

  @Test
  void analyticValuesAndGradients() {
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 4, 4}}).to(DType.FLOAT32);
    Differentiable d = VARIANCE_KEPT.apply(new Tensor[] {x, Tensor.of(2f)});
    // mean((x - 2)^2, -1) = (2/3, 4) as [2, 1]; d/dx = 2 (x - 2) / 3 * g[row]; d/dm = -(their sum)
    assertArrayEquals(new int[] {2, 1}, d.output().shape());
    assertArrayEquals(new double[] {2.0 / 3, 4}, d.output().toDoubleArray(), 1e-6);
    Tensor[] g = d.backward(Tensor.wrap(new float[] {1f, 3f}, 2, 1), Differentiable.all(2));
    assertArrayEquals(new double[] {-2.0 / 3, 0, 2.0 / 3, 4, 4, 4}, g[0].toDoubleArray(), 1e-6);
    assertEquals(-12.0, g[1].item(), 1e-5);
    Differentiable dot = DOT_KEPT.apply(new Tensor[] {x, Tensor.of(1f, -1f, 2f)});
    assertArrayEquals(new double[] {5, 8}, dot.output().toDoubleArray());
    Tensor[] gd = dot.backward(Tensor.wrap(new float[] {2f, -1f}, 2, 1), Differentiable.all(2));
    assertArrayEquals(new double[] {2, -2, 4, -1, 1, -2}, gd[0].toDoubleArray());
    assertArrayEquals(new double[] {-2, 0, 2}, gd[1].toDoubleArray());
    // rows of no elements: sum 0, mean NaN, shaped [2, 1]
    Tensor empty = Tensor.zeros(DType.FLOAT32, 2, 0);
    Tensor sums = DOT_KEPT.apply(new Tensor[] {empty, empty}).output();
    assertArrayEquals(new int[] {2, 1}, sums.shape());
    assertArrayEquals(new double[] {0, 0}, sums.toDoubleArray());
    assertTrue(Double.isNaN(MEAN_DROPPED.apply(new Tensor[] {empty, Tensor.of(1f)}).output().toDoubleArray()[1]));
  }

  @Test
  void float64GradCheckAndFusedFloat32AgainstFloat64() {
    Tensor x = Tensor.uniform(new Random(440), -2, 2, DType.FLOAT64, 4, 5);
    Tensor w = Tensor.uniform(new Random(441), -2, 2, DType.FLOAT64, 5);
    for (Function<Tensor[], Differentiable> op : ALL) {
      GradCheck.assertGradients(op, x, w);
      Differentiable d64 = op.apply(new Tensor[] {x, w});
      Differentiable d32 = op.apply(new Tensor[] {x.to(DType.FLOAT32), w.to(DType.FLOAT32)});
      assertClose("output", d64.output(), d32.output().to(DType.FLOAT64), F64_TOL);
      Tensor g64 = Tensor.uniform(new Random(442), -1, 1, DType.FLOAT64, d64.output().shape());
      Tensor[] a = d64.backward(g64, Differentiable.all(2));
      Tensor[] b = d32.backward(g64.to(DType.FLOAT32), Differentiable.all(2));
      assertClose("dx", a[0], b[0].to(DType.FLOAT64), F64_TOL);
      assertClose("dw", a[1], b[1].to(DType.FLOAT64), F64_TOL);
    }
    GradCheck.assertGradients(VARIANCE_KEPT, x, Tensor.uniform(new Random(443), -2, 2, DType.FLOAT64));
  }

  @Test
  void aBatchedCotangentTakesTheOpByOpPath() {
    Tensor x = f32(450, 4, 6);
    Tensor w = f32(451, 6);
    Tensor jacobian = Tensor.uniform(new Random(452), -1, 1, DType.FLOAT32, 3, 4, 1); // batch axis of 3
    Tensor[] g = DOT_KEPT.apply(new Tensor[] {x, w}).backward(jacobian, Differentiable.all(2));
    Tensor[] g0 = Fused.opByOp(() -> DOT_KEPT.apply(new Tensor[] {x, w}).backward(jacobian, Differentiable.all(2)));
    assertArrayEquals(new int[] {3, 4, 6}, g[0].shape());
    assertClose("batched dx", g0[0], g[0], F32_TOL);
    assertClose("batched dw", g0[1], g[1], F32_TOL);
  }

  /** Four threads at once, each splitting across the pool: every result equal to a first call's. */
  @Test
  void concurrentCallsAgree() throws Exception {
    Tensor x = f32(460, 512, 1000);
    Tensor m = f32(461, 1000);
    Tensor gOut = Tensor.uniform(new Random(462), -1, 1, DType.FLOAT32, 512, 1);
    FusionTest.assertConcurrentCallsAgree(() -> {
      Differentiable d = VARIANCE_KEPT.apply(new Tensor[] {x, m});
      Tensor[] g = d.backward(gOut, Differentiable.all(2));
      return new Tensor[] {d.output(), g[0], g[1]};
    }, 3);
  }
}
