package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;

import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * The update formulas of the optimizers against PyTorch's algorithms written out in double by the
 * test, element by element, over several steps. The model is sum(a * x) + sum(b * y): the gradient
 * of a is x and that of b is y, so every step's gradient is chosen by the inputs.
 */
class UpdateFormulasTest {
  private static final double TOL = 1e-13;
  private static final double[] A0 = {1, -2, 0.5};
  private static final double[] B0 = {3, -0.25};
  private static final double[][] GA = {{0.5, -1, 2}, {1, 2, -0.5}, {-0.3, 0.1, 4}};
  private static final double[][] GB = {{1, 0.5}, {-2, 3}, {0.25, -1}};

  @Module
  static class TwoWeights extends Zk_UpdateFormulasTest_TwoWeights {
    final Parameter a = parameter(f64(A0));
    final Parameter b = parameter(f64(B0));

    Node call(Node x, Node y) {
      return add(sum(mult(a, x)), sum(mult(b, y)));
    }
  }

  static Tensor f64(double... v) {
    return Tensor.of(v, DType.FLOAT64, v.length);
  }

  /** Takes one step with gradients ga, gb; returns the optimizer's norm. */
  static double step(Optimizer opt, TwoWeights m, double[] ga, double[] gb) {
    ModuleGraph g = m.apply(f64(ga), f64(gb));
    g.back();
    return opt.step(g);
  }

  /**
   * Runs {@code steps} steps of {@code opt} on a fresh model and the same steps of
   * {@code reference} (which updates the double arrays in place per parameter, given the
   * parameter's index 0 or 1, its value and gradient, and the 1-based step), comparing after each.
   */
  interface Reference {
    void step(int param, double[] p, double[] g, int t);
  }

  static void check(java.util.function.Function<TwoWeights, Optimizer> make, int steps, Reference ref) {
    TwoWeights m = new TwoWeights();
    Optimizer opt = make.apply(m);
    double[] a = A0.clone();
    double[] b = B0.clone();
    for (int t = 1; t <= steps; t++) {
      step(opt, m, GA[t - 1], GB[t - 1]);
      ref.step(0, a, GA[t - 1].clone(), t);
      ref.step(1, b, GB[t - 1].clone(), t);
      assertArrayEquals(a, m.a.value().toDoubleArray(), TOL, "a after step " + t + " of " + opt);
      assertArrayEquals(b, m.b.value().toDoubleArray(), TOL, "b after step " + t + " of " + opt);
    }
    assertEquals(steps, opt.steps());
  }

  /** Per-parameter double state for the references: state[param][buffer][element]. */
  static double[][][] state(int buffers) {
    return new double[][][] {new double[buffers][A0.length], new double[buffers][B0.length]};
  }

  /** PyTorch's single-tensor SGD (dampening 0), literally. */
  static Reference sgd(double lr, double mom, double wd, boolean nesterov) {
    double[][][] s = state(1);
    return (k, p, g, t) -> {
      double[] buf = s[k][0];
      for (int i = 0; i < p.length; i++) {
        double d = g[i] + wd * p[i];
        buf[i] = t == 1 ? d : mom * buf[i] + d;
        d = nesterov ? d + mom * buf[i] : buf[i];
        p[i] -= lr * d;
      }
    };
  }

  @Test
  void sgdWithWeightDecayAndPlainOrNesterovMomentum() {
    check(m -> new Sgd(m, 0.1, 0.9).weightDecay(0.01).nesterov(true), 3, sgd(0.1, 0.9, 0.01, true));
    check(m -> new Sgd(m, 0.05, 0.5).weightDecay(0.1), 3, sgd(0.05, 0.5, 0.1, false));
  }

  /** PyTorch's single-tensor Adam/AdamW, literally (lerp for the first moment). */
  static Reference adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
    double[][][] s = state(2);
    return (k, p, g, t) -> {
      double[] m = s[k][0];
      double[] v = s[k][1];
      for (int i = 0; i < p.length; i++) {
        if (decoupled) {
          p[i] *= 1 - lr * wd;
        } else {
          g[i] += wd * p[i];
        }
        m[i] += (1 - b1) * (g[i] - m[i]);
        v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
        p[i] -= lr / bc1 * m[i] / denom;
      }
    };
  }

  @Test
  void adamWithL2WeightDecay() {
    check(m -> new Adam(m, 0.01, 0.9, 0.999, 1e-8).weightDecay(0.1), 3,
        adam(0.01, 0.9, 0.999, 1e-8, 0.1, false));
  }

  @Test
  void adamWTwoStepsDecoupled() {
    check(m -> new AdamW(m, 0.01, 0.8, 0.99, 1e-6, 0.5), 2, adam(0.01, 0.8, 0.99, 1e-6, 0.5, true));
    // PyTorch's defaults: weight decay 0.01
    check(m -> new AdamW(m, 0.003), 3, adam(0.003, 0.9, 0.999, 1e-8, 0.01, true));
  }

  /** PyTorch's single-tensor RMSprop, literally (buffers start at zero). */
  static Reference rmsProp(double lr, double alpha, double eps, double wd, double mom, boolean centered) {
    double[][][] s = state(3);
    return (k, p, g, t) -> {
      double[] sq = s[k][0];
      double[] avg = s[k][1];
      double[] buf = s[k][2];
      for (int i = 0; i < p.length; i++) {
        g[i] += wd * p[i];
        sq[i] = sq[i] * alpha + (1 - alpha) * g[i] * g[i];
        double d;
        if (centered) {
          avg[i] = avg[i] * alpha + (1 - alpha) * g[i];
          d = Math.sqrt(sq[i] - avg[i] * avg[i]) + eps;
        } else {
          d = Math.sqrt(sq[i]) + eps;
        }
        if (mom > 0) {
          buf[i] = buf[i] * mom + g[i] / d;
          p[i] -= lr * buf[i];
        } else {
          p[i] -= lr * g[i] / d;
        }
      }
    };
  }

  @Test
  void rmsPropPlainCenteredAndWithMomentum() {
    check(m -> new RmsProp(m, 0.01), 3, rmsProp(0.01, 0.99, 1e-8, 0, 0, false));
    check(m -> new RmsProp(m, 0.02, 0.9, 1e-6, 0.8, true).weightDecay(0.05), 3,
        rmsProp(0.02, 0.9, 1e-6, 0.05, 0.8, true));
    check(m -> new RmsProp(m, 0.02, 0.9, 1e-6, 0, true), 3, rmsProp(0.02, 0.9, 1e-6, 0, 0, true));
    check(m -> new RmsProp(m, 0.02, 0.95, 1e-6, 0.5, false), 3, rmsProp(0.02, 0.95, 1e-6, 0, 0.5, false));
  }

  /** sum(w * x) in float32: the gradient of w is x. */
  @Module
  static class Float32Weights extends Zk_UpdateFormulasTest_Float32Weights {
    final Parameter w = parameter(Tensor.of(1f, 1f));

    Node call(Node x) {
      return sum(mult(w, x));
    }
  }

  @Test
  void theGlobalNormOfFloat32GradientsWhoseSquaresOverflowFloat32IsStillFinite() {
    Float32Weights m = new Float32Weights();
    Sgd sgd = new Sgd(m, 1.0);
    sgd.clipGradientNorm(1.0);
    ModuleGraph g = m.apply(Tensor.of(3e20f, 4e20f)); // squares 9e40 and 1.6e41: beyond float32
    g.back();
    double norm = sgd.step(g);
    assertEquals(5e20, norm, 5e20 * 1e-6);
    // Clipped to (almost) unit norm, not zeroed by an infinite norm: w = 1 - (0.6, 0.8).
    assertArrayEquals(new double[] {0.4, 0.2}, m.w.value().toDoubleArray(), 1e-6);
  }

  @Test
  void clippingByGlobalNormScalesEveryGradientAndReturnsTheNorm() {
    TwoWeights m = new TwoWeights();
    Sgd sgd = new Sgd(m, 1.0);
    sgd.clipGradientNorm(1.0);
    double[] ga = {3, 0, 0};
    double[] gb = {0, 4};
    double norm = step(sgd, m, ga, gb);
    assertEquals(5.0, norm, 0);
    assertEquals(5.0, sgd.lastGradientNorm(), 0);
    double coef = 1.0 / (5.0 + 1e-6); // torch.nn.utils.clip_grad_norm_
    assertArrayEquals(new double[] {1 - 3 * coef, -2, 0.5}, m.a.value().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {3, -0.25 - 4 * coef}, m.b.value().toDoubleArray(), 1e-15);
    // The global norm of the clipped step is just under 1.
    double moved = Math.hypot(3 * coef, 4 * coef);
    assertTrue(moved < 1 && moved > 1 - 1e-6, "moved " + moved);

    // Below the bound nothing is scaled: the same step as without clipping, bit for bit.
    TwoWeights clipped = new TwoWeights();
    TwoWeights plain = new TwoWeights();
    Optimizer c = new Adam(clipped, 0.1).clipGradientNorm(100);
    Optimizer p = new Adam(plain, 0.1);
    assertEquals(step(p, plain, GA[0], GB[0]), step(c, clipped, GA[0], GB[0]), 0);
    assertArrayEquals(plain.a.value().toDoubleArray(), clipped.a.value().toDoubleArray(), 0);
    assertArrayEquals(plain.b.value().toDoubleArray(), clipped.b.value().toDoubleArray(), 0);

    assertThrows(IllegalArgumentException.class, () -> sgd.clipGradientNorm(0));
    assertThrows(IllegalArgumentException.class, () -> sgd.clipGradientNorm(Double.NaN));
  }

  @Test
  void aNonFiniteGradientWithClippingIsSkippedWithNothingChanged() {
    TwoWeights m = new TwoWeights();
    Adam adam = new Adam(m, 0.1);
    adam.clipGradientNorm(1).onNonFiniteGradient(Optimizer.NonFinite.SKIP);
    double norm = step(adam, m, new double[] {Double.NaN, 0, 0}, GB[0]);
    assertTrue(Double.isNaN(norm));
    assertEquals(0, adam.steps());
    assertEquals(1, adam.skippedSteps());
    assertArrayEquals(A0, m.a.value().toDoubleArray(), 0);
    assertEquals(6, adam.state().size(), "steps, lr, 4 hyperparameters, no moments yet: "
        + adam.state().keySet());
  }

  @Test
  void learningRateIsSettableBetweenSteps() {
    TwoWeights m = new TwoWeights();
    Sgd sgd = new Sgd(m, 0.1);
    step(sgd, m, GA[0], GB[0]);
    sgd.learningRate(0.5);
    assertEquals(0.5, sgd.learningRate(), 0);
    step(sgd, m, GA[1], GB[1]);
    for (int i = 0; i < A0.length; i++) {
      assertEquals(A0[i] - 0.1 * GA[0][i] - 0.5 * GA[1][i], m.a.value().toDoubleArray()[i], 1e-15);
    }
    sgd.learningRate(0); // allowed: a schedule may reach zero
    assertThrows(IllegalArgumentException.class, () -> sgd.learningRate(-1));
    assertThrows(IllegalArgumentException.class, () -> sgd.learningRate(Double.POSITIVE_INFINITY));
    assertEquals(0, sgd.learningRate(), 0, "a refused rate changes nothing");
  }

  @Test
  void aScheduleSetsTheRateOfEveryStepFromTheStepCount() {
    TwoWeights m = new TwoWeights();
    LrSchedule s = LrSchedule.step(0.2, 2, 0.5);
    Sgd sgd = new Sgd(m, 1);
    sgd.schedule(s);
    double[] a = A0.clone();
    double[] rates = {0.2, 0.2, 0.1};
    for (int t = 0; t < 3; t++) {
      step(sgd, m, GA[t], GB[t]);
      assertEquals(rates[t], sgd.learningRate(), 0);
      for (int i = 0; i < a.length; i++) {
        a[i] -= rates[t] * GA[t][i];
      }
    }
    assertArrayEquals(a, m.a.value().toDoubleArray(), 1e-15);
    // a schedule that gives a bad rate fails the step and changes nothing
    sgd.schedule(n -> -1);
    assertThrows(IllegalArgumentException.class, () -> step(sgd, m, GA[0], GB[0]));
    assertEquals(3, sgd.steps());
    assertArrayEquals(a, m.a.value().toDoubleArray(), 1e-15);
  }

  @Test
  void scheduleValues() {
    LrSchedule step = LrSchedule.step(1.0, 3, 0.1);
    assertArrayEquals(new double[] {1, 1, 1, 0.1, 0.1, 0.1, 1.0 * Math.pow(0.1, 2)},
        values(step, 7), 1e-17);
    LrSchedule exp = LrSchedule.exponential(0.5, 0.9);
    assertArrayEquals(new double[] {0.5, 0.45, 0.5 * 0.81}, values(exp, 3), 1e-17);
    // warm-up of 4 steps to 1.0, cosine down to 0.1 at step 10
    LrSchedule cos = LrSchedule.cosine(1.0, 4, 10, 0.1);
    double[] v = values(cos, 12);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, java.util.Arrays.copyOf(v, 4), 1e-17);
    for (int n = 4; n < 10; n++) {
      assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * (n - 4) / 6.0)) / 2, v[n], 1e-16);
    }
    assertEquals(0.1 + 0.9 * 0.5, v[7], 1e-15, "halfway");
    assertEquals(0.1, v[10], 0);
    assertEquals(0.1, v[11], 0);
    assertEquals(1.0, LrSchedule.cosine(1.0, 0, 10, 0).lr(0), 0);
    assertEquals(0.25, LrSchedule.constant(0.25).lr(1_000_000), 0);

    assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(1, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.exponential(-1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 0, 10, 2));
  }

  private static double[] values(LrSchedule s, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = s.lr(i);
    }
    return v;
  }

  @Test
  void hyperparametersAreChecked() {
    TwoWeights m = new TwoWeights();
    assertThrows(IllegalArgumentException.class, () -> new RmsProp(m, 0.1, 1.0, 1e-8, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new RmsProp(m, 0.1, 0.9, 0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new RmsProp(m, 0.1, 0.9, 1e-8, -0.1, false));
    assertThrows(IllegalArgumentException.class, () -> new AdamW(m, 0.1, 0.9, 0.999, 1e-8, -1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, 0.1).nesterov(true));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, 0.1).weightDecay(Double.NaN));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RmsProp(m, 0, 0.9, 1e-8, 0, false));
    assertTrue(e.getMessage().startsWith("RmsProp: learning rate"), e.getMessage());
  }
}
