package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;
import zkynet.backend.jvm.Fused;
import zkynet.backend.jvm.FusedLoop;

/**
 * Fused loops (generated for operator bodies that are one elementwise region of two or more
 * primitives) against the op-by-op
 * code of the same operators ({@link Fused#opByOp}), and the fused float32 gradients against float64
 * (which always runs op by op) and finite differences.
 *
 * <p>Tolerance, float32: forward values and gradients agree with the op-by-op float32 path within
 * {@code 1e-5 * max(1, |value|)} (elementwise outputs are computed with the same float operations
 * in the same order, so most agree exactly; a sum's partial sums are grouped differently), and with
 * float64 op by op within {@code 1e-3 * max(1, |value|)} (the float32 rounding of the inputs'
 * functions, e.g. 7 ulp for tanh).
 */
class FusionTest {
  static final double F32_TOL = 1e-5;
  static final double F64_TOL = 1e-3;

  /** Edge values first (0, -0, negatives, large magnitudes), then random normal values. */
  static float[] values(int n, long seed, float scale) {
    float[] edges = {0f, -0f, -1f, 1f, -3.5f, 7.25f, 1e4f, -1e4f, 88f, -90f, 1e-20f, -2e-3f};
    Random rng = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = i < edges.length ? edges[i] : (float) rng.nextGaussian() * scale;
    }
    return out;
  }

  private static Tensor f32(float[] v) {
    return Tensor.of(v);
  }

  /** A float32 tensor of {@link #values} (edge values first). */
  static Tensor f32(int seed, float scale, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return Tensor.wrap(values(n, seed, scale), shape);
  }

  /** A float64 tensor of uniform values in [-1.5, 1.5). */
  static Tensor f64(int seed, int... shape) {
    return Tensor.uniform(new Random(seed), -1.5, 1.5, DType.FLOAT64, shape);
  }

  /** Fused float32 gradients and output against float64 op by op, at the float64 inputs rounded. */
  static void assertCloseToFloat64(Function<Tensor[], Differentiable> op, Tensor... in64) {
    Tensor[] in32 = new Tensor[in64.length];
    for (int k = 0; k < in64.length; k++) {
      in32[k] = in64[k].to(DType.FLOAT32);
    }
    Differentiable d64 = op.apply(in64);
    Differentiable d32 = op.apply(in32);
    Tensor g64 = Tensor.uniform(new Random(3), -1, 1, DType.FLOAT64, d64.output().shape());
    Tensor[] grads64 = d64.backward(g64, Differentiable.all(in64.length));
    Tensor[] grads32 = d32.backward(g64.to(DType.FLOAT32), Differentiable.all(in64.length));
    assertClose("output", d64.output(), d32.output().to(DType.FLOAT64), F64_TOL);
    for (int k = 0; k < in64.length; k++) {
      assertClose("gradient " + k, grads64[k], grads32[k].to(DType.FLOAT64), F64_TOL);
    }
  }

  /** Output and every gradient (cotangent: random), fused and op by op: they must agree. */
  static void assertFusedMatchesOpByOp(Function<Tensor[], Differentiable> op, Tensor... in) {
    Differentiable fused = op.apply(in);
    Tensor gOut = Tensor.uniform(new Random(5), -2, 2, DType.FLOAT32, fused.output().shape());
    boolean[] all = Differentiable.all(in.length);
    Tensor[] gFused = fused.backward(gOut, all);
    Differentiable plain = Fused.opByOp(() -> op.apply(in));
    Tensor[] gPlain = Fused.opByOp(() -> plain.backward(gOut, all));
    assertClose("output", plain.output(), fused.output(), F32_TOL);
    for (int k = 0; k < in.length; k++) {
      assertClose("gradient " + k, gPlain[k], gFused[k], F32_TOL);
    }
  }

  /** {@code |a - b| <= tol * max(1, |a|)} elementwise, NaN matching NaN, infinities matching exactly. */
  static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
    if (expected == null || actual == null) {
      assertEquals(expected == null, actual == null, what + ": one gradient is null");
      return;
    }
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
          : Double.isInfinite(e[i]) ? e[i] == a[i]
          : Math.abs(e[i] - a[i]) <= tol * Math.max(1, Math.abs(e[i]));
      if (!ok) {
        fail(what + " at " + i + ": expected " + e[i] + ", got " + a[i]);
      }
    }
  }

  @Test
  void userOperatorsAgreeWithOpByOp() {
    Tensor a = f32(values(500, 3, 2));
    Tensor b = f32(values(500, 4, 2));
    Tensor c = f32(values(500, 5, 2));
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.TanhLayer(in[0], 1.01, 0.1), a);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.CubicSum(in[0], in[1]),
        f32(values(500, 6, 0.5f)).mul(1e-3), b.mul(1e-3));
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.Mixed(in[0], in[1], c), a, b);
  }

  /** Edge values of a float: the usual ones plus NaN and the infinities. */
  private static float[] withNonFinite(float[] v) {
    v[12] = Float.NaN;
    v[13] = Float.POSITIVE_INFINITY;
    v[14] = Float.NEGATIVE_INFINITY;
    v[15] = 6f; // erf(x / sqrt 2) is 1 in float32 here
    v[16] = -6f;
    return v;
  }

  /**
   * The built-in exact GELU ({@code x/2 (1 + erf(x / sqrt 2))}) now fuses, erf being elementwise:
   * fused against op by op at edge values (0, -0, +-1e4, NaN, +-inf, the tails) and random ones,
   * across threads too, and the fused float32 gradient against float64 and the analytic derivative.
   */
  @Test
  void builtInGeluFusesAndAgreesWithOpByOp() {
    Function<Tensor[], Differentiable> gelu = in -> new zkynet.BuiltinsOps.Gelu(in[0]);
    Tensor x = f32(withNonFinite(values(500, 51, 3)));
    assertNotNull(Fused.plan(x));
    assertFusedMatchesOpByOp(gelu, x);
    assertFusedMatchesOpByOp(gelu, Tensor.wrap(values(3 * (FusedLoop.BLOCK + 7), 52, 2), 3, FusedLoop.BLOCK + 7));
    assertFusedMatchesOpByOp(gelu, f32(values(1 << 20, 53, 2))); // split across threads
    // NaN stays NaN; +inf gives +inf, forward
    double[] out = gelu.apply(new Tensor[] {x}).output().toDoubleArray();
    assertTrue(Double.isNaN(out[12]));
    assertEquals(Double.POSITIVE_INFINITY, out[13]);
    assertEquals(0.0, out[0]);
    assertEquals(1e4, out[6]);
    // float64 (op by op): finite differences; then the fused float32 gradient against float64 and
    // the analytic derivative Phi(x) + x phi(x)
    Tensor x64 = Tensor.uniform(new Random(54), -4, 4, DType.FLOAT64, 30);
    GradCheck.assertGradients(gelu, x64);
    Tensor x32 = x64.to(DType.FLOAT32);
    Tensor g32 = gelu.apply(new Tensor[] {x32}).backward(Tensor.ones(DType.FLOAT32, 30), Differentiable.all(1))[0];
    Tensor g64 = gelu.apply(new Tensor[] {x64}).backward(Tensor.ones(DType.FLOAT64, 30), Differentiable.all(1))[0];
    assertClose("gelu dx", g64, g32.to(DType.FLOAT64), F64_TOL);
    double[] xs = x32.toDoubleArray();
    double[] gs = g32.toDoubleArray();
    for (int i = 0; i < xs.length; i++) {
      double v = xs[i];
      double expected = 0.5 * (1 + zkynet.backend.Erf.erf(v / Math.sqrt(2)))
          + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
      assertEquals(expected, gs[i], 1e-5, "gelu'(" + v + ")");
    }
  }

  /** sin, cos, log1p, expm1 and erf in one fused loop, edge values included, fused against op by op and float64. */
  @Test
  void transcendentalPrimitivesFuseAndAgree() {
    Function<Tensor[], Differentiable> op = in -> new FusedLayersOps.Transcendental(in[0], in[1]);
    Tensor a = f32(withNonFinite(values(500, 55, 2)));
    Tensor b = f32(values(500, 56, 2));
    assertNotNull(Fused.plan(a, b));
    assertFusedMatchesOpByOp(op, a, b);
    assertFusedMatchesOpByOp(op, b, a);
    assertFusedMatchesOpByOp(op, a, Tensor.of(-0.5f)); // rank 0, its gradient summed
    Tensor a64 = Tensor.uniform(new Random(57), -2, 2, DType.FLOAT64, 20);
    Tensor b64 = Tensor.uniform(new Random(58), -2, 2, DType.FLOAT64, 20);
    GradCheck.assertGradients(op, a64, b64);
    Tensor ones = Tensor.ones(DType.FLOAT32, 20);
    Tensor[] g32 = op.apply(new Tensor[] {a64.to(DType.FLOAT32), b64.to(DType.FLOAT32)})
        .backward(ones, Differentiable.all(2));
    Tensor[] g64 = op.apply(new Tensor[] {a64, b64}).backward(ones.to(DType.FLOAT64), Differentiable.all(2));
    assertClose("da", g64[0], g32[0].to(DType.FLOAT64), F64_TOL);
    assertClose("db", g64[1], g32[1].to(DType.FLOAT64), F64_TOL);
  }

  @Test
  void largeInputsSplitAcrossThreadsAndAgree() {
    int n = 1 << 20; // above the split threshold for every body here
    Tensor x = f32(values(n, 7, 1));
    Tensor w = f32(values(n, 8, 1));
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.TanhLayer(in[0], 1.01, 0.1), x);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.CubicSum(in[0], in[1]), x, w);
    Tensor rows = Tensor.wrap(values(n, 9, 1), 1024, 1024);
    Tensor bias = f32(values(1024, 10, 1));
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.BiasTanh(in[0], in[1], 0.5), rows, bias);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.CubicSum(in[0], in[1]), x, Tensor.of(0.5f));
  }

  @Test
  void fusedFloat32GradientsAgreeWithFloat64OpByOpAndFiniteDifferences() {
    float[] xv = values(40, 9, 1.5f);
    float[] wv = values(40, 10, 1.5f);
    xv[6] = 2.5f; // keep the cubic's values small enough for float32: no 1e4 here
    xv[7] = -2.5f;
    wv[6] = 0.25f;
    wv[7] = -0.25f;
    Tensor x32 = f32(xv);
    Tensor w32 = f32(wv);
    Tensor x64 = x32.to(DType.FLOAT64);
    Tensor w64 = w32.to(DType.FLOAT64);
    Function<Tensor[], Differentiable> cubic = in -> new FusedLayersOps.CubicSum(in[0], in[1]);
    Function<Tensor[], Differentiable> layer = in -> new FusedLayersOps.TanhLayer(in[0], 1.01, 0.1);
    // finite differences in float64 (op by op) at moderate points: a sum over 1e4^3 has no 1e-6 steps
    Tensor xs = Tensor.uniform(new Random(1), -2, 2, DType.FLOAT64, 12);
    GradCheck.assertGradients(cubic, xs, Tensor.uniform(new Random(2), -2, 2, DType.FLOAT64, 12));
    GradCheck.assertGradients(layer, xs);
    Tensor[] g32 = cubic.apply(new Tensor[] {x32, w32}).backward(Tensor.of(1.0), Differentiable.all(2));
    Tensor[] g64 = cubic.apply(new Tensor[] {x64, w64}).backward(Tensor.of(1.0, DType.FLOAT64),
        Differentiable.all(2));
    assertClose("cubic dx", g64[0], g32[0].to(DType.FLOAT64), F64_TOL);
    assertClose("cubic dw", g64[1], g32[1].to(DType.FLOAT64), F64_TOL);
    Tensor ones = Tensor.ones(DType.FLOAT32, 40);
    Tensor l32 = layer.apply(new Tensor[] {x32}).backward(ones, Differentiable.all(1))[0];
    Tensor l64 = layer.apply(new Tensor[] {x64}).backward(ones.to(DType.FLOAT64), Differentiable.all(1))[0];
    assertClose("layer dy", l64, l32.to(DType.FLOAT64), F64_TOL);
    // the analytic values of the seed's contract: f = (x + w) x^2, dx = 3x^2 + 2wx, dw = x^2
    Tensor[] seed = cubic.apply(new Tensor[] {Tensor.of(3f), Tensor.of(1f)}).backward(Tensor.of(1.0),
        Differentiable.all(2));
    assertEquals(33.0, seed[0].item(), 0);
    assertEquals(9.0, seed[1].item(), 0);
  }

  @Test
  void aJacobianCotangentTakesTheOpByOpPathAfterAFusedForward() {
    Tensor x = Tensor.of(3f, 4f, 5f);
    Differentiable layer = new FusedLayersOps.TanhLayer(x, 1.0, 0.0);
    Tensor eye = Tensor.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    Tensor jacobian = layer.backward(eye, Differentiable.all(1))[0];
    Tensor diagonal = layer.backward(Tensor.ones(DType.FLOAT32, 3), Differentiable.all(1))[0];
    assertArrayEquals(new int[] {3, 3}, jacobian.shape());
    double[] j = jacobian.toDoubleArray();
    double[] g = diagonal.toDoubleArray();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(r == c ? g[r] : 0, j[r * 3 + c], 1e-6, "jacobian[" + r + "][" + c + "]");
      }
      assertEquals(1 - Math.pow(Math.tanh(x.toDoubleArray()[r]), 2), g[r], 1e-6);
    }
  }

  @Test
  void viewsFuseAndFloat64FallsBackToOpByOp() {
    Tensor x = Tensor.uniform(new Random(3), -1, 1, DType.FLOAT32, 4, 5);
    Tensor view = x.transpose(); // a strided view: copied to a dense array, then fused
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.TanhLayer(in[0], 2.0, -1.0), view);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.TanhLayer(in[0], 2.0, -1.0), x.slice(1, 1, 4));
    Tensor x64 = x.to(DType.FLOAT64);
    Differentiable d64 = new FusedLayersOps.TanhLayer(x64, 2.0, -1.0);
    assertEquals(DType.FLOAT64, d64.output().dtype());
    assertEquals(DType.FLOAT64, d64.backward(Tensor.ones(DType.FLOAT64, 4, 5), Differentiable.all(1))[0].dtype());
  }

  @Test
  void trailingAxesBroadcastFusesAndSumsTheBroadcastGradientBack() {
    Function<Tensor[], Differentiable> bias = in -> new FusedLayersOps.BiasTanh(in[0], in[1], 1.5);
    Function<Tensor[], Differentiable> cubic = in -> new FusedLayersOps.CubicSum(in[0], in[1]);
    float[] xv = values(3 * 7 * 5, 21, 1);
    Tensor x = Tensor.wrap(xv, 3, 7, 5);
    Tensor b = f32(values(5, 22, 1));
    for (Tensor bb : new Tensor[] {b, b.reshape(1, 5), b.reshape(1, 1, 5), Tensor.wrap(values(35, 23, 1), 7, 5)}) {
      assertFusedMatchesOpByOp(bias, x, bb);
      assertFusedMatchesOpByOp(bias, bb, x); // the broadcast operand first
      assertFusedMatchesOpByOp(cubic, x.mul(0.1), bb.mul(0.1));
    }
    // the analytic gradient of the bias: the sum over the rows of 1 - tanh^2
    Differentiable d = bias.apply(new Tensor[] {x, b});
    assertNotNull(Fused.plan(x, b));
    Tensor gb = d.backward(Tensor.ones(DType.FLOAT32, 3, 7, 5), Differentiable.all(2))[1];
    assertArrayEquals(new int[] {5}, gb.shape());
    double[] out = d.output().toDoubleArray();
    for (int j = 0; j < 5; j++) {
      double expected = 0;
      for (int r = 0; r < 21; r++) {
        expected += 1 - out[r * 5 + j] * out[r * 5 + j];
      }
      assertEquals(expected, gb.toDoubleArray()[j], 1e-4 * Math.max(1, Math.abs(expected)), "db[" + j + "]");
    }
    // long rows, and many short ones
    assertFusedMatchesOpByOp(bias, Tensor.uniform(new Random(6), -3, 3, DType.FLOAT32, 3, 2500),
        Tensor.uniform(new Random(7), -1, 1, DType.FLOAT32, 2500));
    assertFusedMatchesOpByOp(bias, Tensor.uniform(new Random(8), -3, 3, DType.FLOAT32, 3000, 3),
        Tensor.uniform(new Random(9), -1, 1, DType.FLOAT32, 3));
  }

  @Test
  void aClosingMeanFuses() {
    Function<Tensor[], Differentiable> loss = in -> new FusedLayersOps.MeanLoss(in[0], in[1]);
    Tensor p = Tensor.wrap(values(3 * 400, 31, 1), 3, 400);
    Tensor t = Tensor.wrap(values(3 * 400, 32, 1), 3, 400);
    assertNotNull(Fused.plan(p, t));
    assertFusedMatchesOpByOp(loss, p, t);
    assertFusedMatchesOpByOp(loss, p, t.slice(0, 1, 2).reshape(400)); // a broadcast target
    assertFusedMatchesOpByOp(loss, p, Tensor.of(0.5f));
    assertFusedMatchesOpByOp(in -> new zkynet.BuiltinsOps.Mse(in[0], in[1]), p, t);
    // mean(|d| + d^2) at d = (1, -2): (2 + 6) / 2; gradients (sign(d) + 2d) / 2
    Differentiable d = loss.apply(new Tensor[] {Tensor.of(2f, 0f), Tensor.of(1f, 2f)});
    assertEquals(4.0, d.output().item());
    Tensor[] g = d.backward(Tensor.of(1f), Differentiable.all(2));
    assertArrayEquals(new double[] {1.5, -2.5}, g[0].toDoubleArray());
    assertArrayEquals(new double[] {-1.5, 2.5}, g[1].toDoubleArray());
    Tensor empty = Tensor.zeros(DType.FLOAT32, 0);
    Differentiable e = loss.apply(new Tensor[] {empty, empty});
    Differentiable e0 = Fused.opByOp(() -> loss.apply(new Tensor[] {empty, empty}));
    assertEquals(e0.output().item(), e.output().item(), "the mean of no elements, fused and op by op");
  }

  @Test
  void shapesThatDoNotBroadcastOrFloat64RunOpByOp() {
    Tensor x = Tensor.uniform(new Random(3), -1, 1, DType.FLOAT32, 4, 5);
    Tensor column = Tensor.uniform(new Random(4), -1, 1, DType.FLOAT32, 4, 1);
    assertNotNull(Fused.plan(x, column), "a [4, 1] column against [4, 5] fuses (BroadcastFusionTest)");
    Differentiable d = new FusedLayersOps.BiasTanh(x, column, 1.0);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.BiasTanh(in[0], in[1], 1.0), x, column);
    Tensor[] g = d.backward(Tensor.ones(DType.FLOAT32, 4, 5), Differentiable.all(2));
    assertArrayEquals(new int[] {4, 1}, g[1].shape(), "the broadcast input's gradient is summed back");
    Tensor bad = Tensor.zeros(DType.FLOAT32, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FusedLayersOps.BiasTanh(x, bad, 1.0));
    assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[3]"), e.getMessage());
    assertNotNull(Fused.plan(x, x.slice(0, 0, 1)), "[1, 5] against [4, 5] fuses");
    assertNotNull(Fused.plan(Tensor.of(2f), x), "rank 0 against [4, 5] fuses");
    assertNull(Fused.plan(x, bad), "[3] against [4, 5] does not broadcast");
    assertNull(Fused.plan(x, x.to(DType.FLOAT64)), "float64 does not fuse");
    assertNull(Fused.opByOp(() -> Fused.plan(x)), "Fused.opByOp turns fusion off");
  }

  @Test
  void rankZeroOperandsBroadcastAndTheirGradientsAreSummed() {
    Tensor x = f32(values(1000, 15, 0.5f)).mul(1e-2);
    Tensor w = Tensor.of(1f);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.CubicSum(in[0], in[1]), x, w); // W2's shapes
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.CubicSum(in[0], in[1]), w, x);
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.Mixed(in[0], in[1], Tensor.of(0.25f)), x, Tensor.of(-0.5f));
    Tensor[] g = new FusedLayersOps.CubicSum(Tensor.of(3f, 4f, 5f), w).backward(Tensor.of(1.0),
        Differentiable.all(2));
    assertArrayEquals(new double[] {33, 56, 85}, g[0].toDoubleArray()); // the seed's contract
    assertEquals(0, g[1].rank());
    assertEquals(9 + 16 + 25, g[1].item());
  }

  /**
   * Sizes around the loop's block ({@link FusedLoop#BLOCK}: broadcast operands are repeated and sums
   * taken block by block) and above the split across threads, largest first so that later calls get
   * the thread's scratch arrays longer than they need: a closing sum, a closing mean and a rank-0
   * operand with its summed gradient, and a bias of 7 (rows that straddle the blocks).
   */
  @Test
  void blockAndChunkBoundariesAgreeWithOpByOp() {
    int block = FusedLoop.BLOCK;
    Function<Tensor[], Differentiable> cubic = in -> new FusedLayersOps.CubicSum(in[0], in[1]);
    Function<Tensor[], Differentiable> loss = in -> new FusedLayersOps.MeanLoss(in[0], in[1]);
    Function<Tensor[], Differentiable> bias = in -> new FusedLayersOps.BiasTanh(in[0], in[1], 1.5);
    Random rng = new Random(41);
    for (int n : new int[] {(1 << 20) + 3, 2 * block + 1, block + 1, block, block - 1, 7, 1, 0}) {
      Tensor x = Tensor.uniform(rng, -1, 1, DType.FLOAT32, n);
      Tensor w = Tensor.of(0.75f);
      assertFusedMatchesOpByOp(cubic, x, w);
      assertFusedMatchesOpByOp(cubic, w, x);
      assertFusedMatchesOpByOp(loss, x, w);
      assertFusedMatchesOpByOp(loss, x, Tensor.uniform(rng, -1, 1, DType.FLOAT32, n));
      int rows = (n + 6) / 7;
      assertFusedMatchesOpByOp(bias, Tensor.uniform(rng, -2, 2, DType.FLOAT32, rows, 7),
          Tensor.uniform(rng, -1, 1, DType.FLOAT32, 7));
    }
  }

  /** Two plans' forwards, then their backwards: each backward repeats its own rank-0 operand. */
  @Test
  void interleavedPlansKeepTheirOwnBroadcastOperands() {
    Tensor big = Tensor.uniform(new Random(42), -1, 1, DType.FLOAT32, 3 * FusedLoop.BLOCK + 5);
    Tensor small = Tensor.uniform(new Random(43), -1, 1, DType.FLOAT32, 100);
    Differentiable a = new FusedLayersOps.CubicSum(big, Tensor.of(2f));
    Differentiable b = new FusedLayersOps.CubicSum(small, Tensor.of(-3f));
    Tensor[] gb = b.backward(Tensor.of(1f), Differentiable.all(2));
    Tensor[] ga = a.backward(Tensor.of(1f), Differentiable.all(2));
    Tensor[] pa = Fused.opByOp(() -> new FusedLayersOps.CubicSum(big, Tensor.of(2f))
        .backward(Tensor.of(1f), Differentiable.all(2)));
    Tensor[] pb = Fused.opByOp(() -> new FusedLayersOps.CubicSum(small, Tensor.of(-3f))
        .backward(Tensor.of(1f), Differentiable.all(2)));
    for (int k = 0; k < 2; k++) {
      assertClose("a gradient " + k, pa[k], ga[k], F32_TOL);
      assertClose("b gradient " + k, pb[k], gb[k], F32_TOL);
    }
  }

  @Test
  void emptyAndScalarShapes() {
    Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 3);
    Differentiable e = new FusedLayersOps.TanhLayer(empty, 1.0, 0.5);
    assertArrayEquals(new int[] {0, 3}, e.output().shape());
    assertArrayEquals(new int[] {0, 3}, e.backward(empty, Differentiable.all(1))[0].shape());
    Differentiable s = new FusedLayersOps.CubicSum(empty, empty);
    assertEquals(0.0, s.output().item());
    Differentiable scalar = new FusedLayersOps.CubicSum(Tensor.of(2f), Tensor.of(-1f));
    assertEquals(4.0, scalar.output().item()); // (2 - 1) * 4
    assertFusedMatchesOpByOp(in -> new FusedLayersOps.TanhLayer(in[0], 1.0, 0.0), Tensor.of(0.5f));
  }

  @Test
  void neededFlagsAreHonoured() {
    Tensor x = f32(values(50, 11, 1));
    Tensor w = f32(values(50, 12, 1));
    Differentiable d = new FusedLayersOps.CubicSum(x, w);
    Tensor[] onlyW = d.backward(Tensor.of(1.0), new boolean[] {false, true});
    assertNull(onlyW[0], "x's gradient was not asked for");
    Tensor[] both = d.backward(Tensor.of(1.0), Differentiable.all(2));
    assertClose("w alone", both[1], onlyW[1], 0);
  }

  @Test
  void concurrentCallsAgree() throws Exception {
    Tensor x = f32(values(1 << 18, 13, 1));
    Tensor w = f32(values(1 << 18, 14, 1));
    assertConcurrentCallsAgree(
        () -> new FusedLayersOps.CubicSum(x, w).backward(Tensor.of(1.0), Differentiable.all(2)), 5);
  }

  /** {@code call} on 4 threads, {@code repeats} times each: every result equals a first call's exactly. */
  static void assertConcurrentCallsAgree(Supplier<Tensor[]> call, int repeats) throws InterruptedException {
    Tensor[] expected = call.get();
    Thread[] threads = new Thread[4];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        try {
          for (int r = 0; r < repeats; r++) {
            Tensor[] g = call.get();
            for (int k = 0; k < expected.length; k++) {
              assertClose("result " + k, expected[k], g[k], 0);
            }
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertNull(failure[0], () -> "a concurrent call failed: " + failure[0]);
  }
}
