package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static zkynet.fusion.FusionTest.F32_TOL;
import static zkynet.fusion.FusionTest.F64_TOL;
import static zkynet.fusion.FusionTest.assertClose;
import static zkynet.fusion.FusionTest.assertCloseToFloat64;
import static zkynet.fusion.FusionTest.assertFusedMatchesOpByOp;
import static zkynet.fusion.FusionTest.f32;
import static zkynet.fusion.FusionTest.f64;
import static zkynet.fusion.FusionTest.values;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;
import zkynet.backend.jvm.Fused;
import zkynet.nn.FunctionalOps;

/**
 * Operators whose bodies fuse region by region ({@link RegionLayers}: the elementwise regions around
 * a matrix product, a reshape, an axis reduction, a call to another operator), fused against op by
 * op ({@link Fused#opByOp}) within {@link FusionTest}'s float32 tolerance on random inputs with edge
 * values and broadcast operands, the float32 fused gradients against float64, and float64 gradient
 * checks (float64 runs op by op, through the same region classes).
 */
class RegionFusionTest {
  private static final Function<Tensor[], Differentiable> DENSE =
      in -> new RegionLayersOps.Dense(in[0], in[1], in[2]);

  @Test
  void denseFusesItsBiasAndActivationAroundTheProduct() {
    Tensor x = f32(1, 1, 8, 6);
    Tensor w = f32(2, 0.5f, 6, 5);
    Tensor b = f32(3, 1, 5);
    assertNotNull(Fused.plan(x.matmul(w), b), "the region's operands fuse");
    for (Tensor bias : new Tensor[] {b, b.reshape(1, 5), Tensor.of(0.25f), f32(4, 1, 8, 5)}) {
      assertFusedMatchesOpByOp(DENSE, x, w, bias);
    }
    // the value: tanh(x w + b), computed eagerly
    assertClose("dense", x.matmul(w).add(b).tanh(), DENSE.apply(new Tensor[] {x, w, b}).output(), F32_TOL);
    // float64: finite differences, then float32 (fused) against float64
    GradCheck.assertGradients(DENSE, f64(5, 4, 3), f64(6, 3, 2), f64(7, 2));
    assertCloseToFloat64(DENSE, f64(8, 16, 7), f64(9, 7, 9), f64(10, 9));
    // a product of 1M elements: the region's loops split across threads
    assertFusedMatchesOpByOp(DENSE, f32(11, 1, 1024, 8), f32(12, 0.5f, 8, 1024), f32(13, 1, 1024));
  }

  @Test
  void onlyTheNeededGradientsAreComputed() {
    Tensor x = f32(14, 1, 4, 3);
    Tensor w = f32(15, 1, 3, 2);
    Tensor b = f32(16, 1, 2);
    Differentiable d = DENSE.apply(new Tensor[] {x, w, b});
    Tensor gOut = Tensor.uniform(new Random(17), -1, 1, DType.FLOAT32, 4, 2);
    Tensor[] all = d.backward(gOut, Differentiable.all(3));
    Tensor[] onlyB = d.backward(gOut, new boolean[] {false, false, true});
    assertNull(onlyB[0]);
    assertNull(onlyB[1]);
    assertClose("db alone", all[2], onlyB[2], 0);
    Tensor[] onlyW = d.backward(gOut, new boolean[] {false, true, false});
    assertNull(onlyW[0]);
    assertNull(onlyW[2]);
    assertClose("dw alone", all[1], onlyW[1], 0);
    // the bias gradient: the column sums of gOut (1 - tanh^2)
    double[] y = d.output().toDoubleArray();
    double[] g = gOut.toDoubleArray();
    for (int j = 0; j < 2; j++) {
      double expected = 0;
      for (int r = 0; r < 4; r++) {
        expected += g[r * 2 + j] * (1 - y[r * 2 + j] * y[r * 2 + j]);
      }
      assertEquals(expected, all[2].toDoubleArray()[j], 1e-5, "db[" + j + "]");
    }
  }

  @Test
  void regionsAroundAReshapeAndAColumnSum() {
    Function<Tensor[], Differentiable> reshape = in -> new RegionLayersOps.AroundReshape(in[0], in[1],
        new int[] {3, 8});
    Function<Tensor[], Differentiable> columns = in -> new RegionLayersOps.AroundColumnSum(in[0], in[1]);
    assertFusedMatchesOpByOp(reshape, f32(20, 1, 4, 6), f32(21, 1, 6));
    assertFusedMatchesOpByOp(reshape, f32(22, 1, 4, 6), Tensor.of(-0.5f));
    assertFusedMatchesOpByOp(columns, f32(23, 1, 5, 4), f32(24, 1, 4));
    assertFusedMatchesOpByOp(columns, f32(25, 0.5f, 300, 40), f32(26, 0.5f, 300, 40));
    GradCheck.assertGradients(reshape, f64(27, 4, 6), f64(28, 6));
    GradCheck.assertGradients(columns, f64(29, 5, 4), f64(30, 4));
    assertCloseToFloat64(reshape, f64(31, 4, 6), f64(32, 6));
    assertCloseToFloat64(columns, f64(33, 5, 4), f64(34, 4));
  }

  /** NaN, the infinities and overflowing exponentials through regions: the same as op by op. */
  @Test
  void nonFiniteValuesAgreeWithOpByOp() {
    float[] v = values(24, 35, 2);
    v[12] = Float.NaN;
    v[13] = Float.POSITIVE_INFINITY;
    v[14] = Float.NEGATIVE_INFINITY;
    Tensor x = Tensor.wrap(v, 4, 6);
    assertFusedMatchesOpByOp(in -> new RegionLayersOps.AroundReshape(in[0], in[1], new int[] {3, 8}), x,
        f32(36, 1, 6));
    assertFusedMatchesOpByOp(in -> new RegionLayersOps.WithCall(in[0], in[1]), x, x.neg());
    assertFusedMatchesOpByOp(DENSE, x, f32(37, 1, 6, 5), Tensor.of(Float.NaN));
  }

  @Test
  void aValueUsedInsideAndOutsideARegionSplitsIt() {
    Function<Tensor[], Differentiable> op = in -> new RegionLayersOps.UsedTwice(in[0], in[1], in[2]);
    assertFusedMatchesOpByOp(op, f32(40, 0.5f, 3, 4), f32(41, 0.5f, 4), f32(42, 0.5f, 4, 2).mul(0.01));
    GradCheck.assertGradients(op, f64(43, 3, 4), f64(44, 4), f64(45, 4, 2));
    assertCloseToFloat64(op, f64(46, 3, 4), f64(47, 4), f64(48, 4, 2));
    // the value, eagerly: exp(sigmoid(t^2) v + sum(t)) - 1 with t = x w + 1
    Tensor x = f32(49, 0.5f, 3, 4).mul(0.1);
    Tensor w = f32(50, 0.5f, 4);
    Tensor v = f32(51, 0.5f, 4, 2).mul(0.1);
    Tensor t = x.mul(w).add(1.0);
    Tensor expected = t.mul(t).sigmoid().matmul(v).add(t.sum()).exp().sub(1.0);
    assertClose("usedTwice", expected, op.apply(new Tensor[] {x, w, v}).output(), F32_TOL);
  }

  @Test
  void aRegionAfterACallToAnotherOperator() {
    Function<Tensor[], Differentiable> op = in -> new RegionLayersOps.WithCall(in[0], in[1]);
    assertFusedMatchesOpByOp(op, f32(60, 2, 500), f32(61, 2, 500));
    assertFusedMatchesOpByOp(op, f32(62, 2, 20, 25), f32(63, 2, 25));
    assertFusedMatchesOpByOp(op, f32(64, 2, 500), Tensor.of(3f));
    GradCheck.assertGradients(op, f64(65, 12), f64(66, 12));
    assertCloseToFloat64(op, f64(67, 40), f64(68, 40));
  }

  @Test
  void namesOfGeneratedCodeAsParameterNames() {
    Function<Tensor[], Differentiable> op = in -> new RegionLayersOps.OddNames(in[0], in[1], in[2], 0.5);
    assertFusedMatchesOpByOp(op, f32(70, 1, 3, 4), f32(71, 1, 4, 5), f32(72, 1, 5));
    GradCheck.assertGradients(op, f64(73, 3, 4), f64(74, 4, 5), f64(75, 5));
  }

  @Test
  void aRowMeanClosesARegionAfterAProduct() {
    Function<Tensor[], Differentiable> op = in -> new RegionLayersOps.RowLoss(in[0], in[1], in[2],
        new int[] {6, 3});
    assertFusedMatchesOpByOp(op, f32(80, 1, 6, 4), f32(81, 1, 4, 3), f32(82, 1, 18));
    GradCheck.assertGradients(op, f64(83, 6, 4), f64(84, 4, 3), f64(85, 18));
    assertCloseToFloat64(op, f64(86, 6, 4), f64(87, 4, 3), f64(88, 18));
  }

  /** A value computed but not used, larger than the result, stays out of the loops: the result keeps its shape. */
  @Test
  void anUnusedValueDoesNotShapeTheLoop() {
    Tensor x = f32(95, 1, 5);
    Tensor big = f32(96, 1, 3, 5);
    Differentiable dead = new RegionLayersOps.DeadValue(x, big);
    assertArrayEquals(new int[] {5}, dead.output().shape());
    assertClose("deadValue", x.mul(2.0).tanh(), dead.output(), F32_TOL);
    assertFusedMatchesOpByOp(in -> new RegionLayersOps.DeadValue(in[0], in[1]), x, big);
    Tensor w = f32(97, 1, 5, 5);
    Differentiable after = new RegionLayersOps.DeadValueAfterProduct(x.reshape(1, 5), w, big);
    assertArrayEquals(new int[] {1, 5}, after.output().shape());
    assertFusedMatchesOpByOp(in -> new RegionLayersOps.DeadValueAfterProduct(in[0], in[1], in[2]),
        x.reshape(1, 5), w, big);
    Tensor[] g = after.backward(Tensor.ones(DType.FLOAT32, 1, 5), Differentiable.all(3));
    assertNull(g[2], "no gradient flows to the unused value's input");
  }

  /** A cotangent with batch axes (a Jacobian) through an operator and its fused region. */
  @Test
  void aJacobianCotangentRunsTheRegionOpByOp() {
    Tensor x = f32(90, 1, 2, 3);
    Tensor w = f32(91, 1, 3, 2);
    Tensor b = f32(92, 1, 2);
    Tensor eye = Tensor.of(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}})
        .reshape(4, 2, 2).to(DType.FLOAT32);
    Tensor[] fused = DENSE.apply(new Tensor[] {x, w, b}).backward(eye, Differentiable.all(3));
    Tensor[] plain = Fused.opByOp(() -> DENSE.apply(new Tensor[] {x, w, b}).backward(eye, Differentiable.all(3)));
    assertArrayEquals(new int[] {4, 2, 3}, fused[0].shape());
    assertArrayEquals(new int[] {4, 2}, fused[2].shape());
    for (int k = 0; k < 3; k++) {
      assertClose("jacobian " + k, plain[k], fused[k], F32_TOL);
    }
  }

  /** Built-ins whose bodies now fuse region by region: layer norm's affine map, the GRU cell's gates. */
  @Test
  void builtInRegionsAgreeWithOpByOp() {
    Function<Tensor[], Differentiable> layerNorm = in -> new FunctionalOps.LayerNorm(in[0], in[1], in[2], 1e-5);
    Function<Tensor[], Differentiable> gru = in -> new FunctionalOps.GruCell(in[0], in[1], in[2], in[3], in[4],
        in[5]);
    assertFusedMatchesOpByOp(layerNorm, f32(100, 1, 6, 10), f32(101, 1, 10), f32(102, 1, 10));
    GradCheck.assertGradients(layerNorm, f64(103, 3, 5), f64(104, 5), f64(105, 5));
    int batch = 4;
    int in = 3;
    int hidden = 5;
    assertFusedMatchesOpByOp(gru, f32(110, 1, batch, in), f32(111, 1, batch, hidden),
        f32(112, 0.5f, in, 3 * hidden), f32(113, 0.5f, hidden, 3 * hidden), f32(114, 1, 3 * hidden),
        f32(115, 1, 3 * hidden));
    GradCheck.assertGradients(gru, f64(116, 2, in), f64(117, 2, hidden), f64(118, in, 3 * hidden),
        f64(119, hidden, 3 * hidden), f64(120, 3 * hidden), f64(121, 3 * hidden));
  }

  /**
   * Built-ins with regions that read a statistic broadcast over leading axes (batch norm of [N, F],
   * variance over the first axis) or over the last ([b, 1] against [b, n]: softmax, variance over the
   * last axis; see {@link BroadcastFusionTest}): fused and op by op agree.
   */
  @Test
  void builtInRegionsWithStatisticsAgreeWithOpByOp() {
    Function<Tensor[], Differentiable> batchNorm = in -> new FunctionalOps.BatchNorm(in[0], in[1], in[2],
        new int[] {0}, new int[] {4}, 1e-5);
    assertFusedMatchesOpByOp(batchNorm, f32(140, 1, 6, 4), f32(141, 1, 4), f32(142, 1, 4));
    GradCheck.assertGradients(batchNorm, f64(143, 5, 4), f64(144, 4), f64(145, 4));
    for (int axis : new int[] {0, 1, -1}) {
      assertFusedMatchesOpByOp(in -> new zkynet.BuiltinsOps.Variance(in[0], axis, 1), f32(146, 1, 7, 5));
      assertFusedMatchesOpByOp(in -> new zkynet.BuiltinsOps.LogSumExp(in[0], axis), f32(147, 1, 7, 5));
      GradCheck.assertGradients(in -> new zkynet.BuiltinsOps.Variance(in[0], axis, 1), f64(148, 4, 3));
      GradCheck.assertGradients(in -> new zkynet.BuiltinsOps.LogSumExp(in[0], axis), f64(149, 4, 3));
    }
    assertFusedMatchesOpByOp(in -> new zkynet.BuiltinsOps.Softmax(in[0]), f32(150, 1, 7, 5));
    assertFusedMatchesOpByOp(in -> new zkynet.BuiltinsOps.LogSoftmax(in[0]), f32(151, 1, 7, 5));
  }

  @Test
  void concurrentCallsAgree() throws Exception {
    Tensor x = f32(130, 1, 256, 32);
    Tensor w = f32(131, 0.5f, 32, 512);
    Tensor b = f32(132, 1, 512);
    Tensor gOut = Tensor.uniform(new Random(133), -1, 1, DType.FLOAT32, 256, 512);
    FusionTest.assertConcurrentCallsAgree(
        () -> DENSE.apply(new Tensor[] {x, w, b}).backward(gOut, Differentiable.all(3)), 3);
  }
}
