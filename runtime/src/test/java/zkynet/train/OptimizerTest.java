package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;

/**
 * Optimizer steps against hand-computed values. The model is sum(w * x), whose gradient with
 * respect to w is x, so each step's gradient is chosen by the input: g1 = [0.5, -1], g2 = [1, 2],
 * from w0 = [1, -2], learning rate 0.1.
 */
class OptimizerTest {
  private static final double TOL = 1e-9;
  private static final double[] W0 = {1, -2};
  private static final double[] G1 = {0.5, -1};
  private static final double[] G2 = {1, 2};

  private static Tensor f64(double... v) {
    return Tensor.of(v).to(DType.FLOAT64);
  }

  private static void step(Optimizer opt, TrainModels.WeightedSum m, double[] grad) {
    ModuleGraph g = m.apply(f64(grad));
    g.back();
    opt.step(g);
  }

  private static double[] w(TrainModels.WeightedSum m) {
    return m.param("w").value().toDoubleArray();
  }

  @Test
  void sgd() {
    // w1 = w0 - 0.1 g1 = [1 - 0.05, -2 + 0.1] = [0.95, -1.9]
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    Sgd sgd = new Sgd(m, 0.1);
    step(sgd, m, G1);
    assertArrayEquals(new double[] {0.95, -1.9}, w(m), TOL);
    // w2 = w1 - 0.1 g2 = [0.95 - 0.1, -1.9 - 0.2] = [0.85, -2.1]
    step(sgd, m, G2);
    assertArrayEquals(new double[] {0.85, -2.1}, w(m), TOL);
    assertEquals(2, sgd.steps());
  }

  @Test
  void sgdWithMomentumOverTwoSteps() {
    // momentum 0.9. Step 1: v1 = g1 = [0.5, -1]; w1 = w0 - 0.1 v1 = [0.95, -1.9]
    // Step 2: v2 = 0.9 v1 + g2 = [0.45 + 1, -0.9 + 2] = [1.45, 1.1];
    //         w2 = w1 - 0.1 v2 = [0.95 - 0.145, -1.9 - 0.11] = [0.805, -2.01]
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    Sgd sgd = new Sgd(m, 0.1, 0.9);
    step(sgd, m, G1);
    assertArrayEquals(new double[] {0.95, -1.9}, w(m), TOL);
    step(sgd, m, G2);
    assertArrayEquals(new double[] {0.805, -2.01}, w(m), TOL);
  }

  @Test
  void adamOverTwoStepsWithBiasCorrection() {
    // beta1 0.9, beta2 0.999, eps 1e-8.
    // Step 1: m1 = 0.1 g1 = [0.05, -0.1], v1 = 0.001 g1^2 = [0.00025, 0.001];
    //   corrected: m1 / 0.1 = g1, v1 / 0.001 = g1^2, so the step is lr * g1 / |g1| = 0.1 * sign(g1)
    //   (up to eps): w1 = [0.9, -1.9].
    // Step 2: m2 = 0.9 m1 + 0.1 g2 = [0.045 + 0.1, -0.09 + 0.2] = [0.145, 0.11]
    //   v2 = 0.999 v1 + 0.001 g2^2 = [0.00024975 + 0.001, 0.000999 + 0.004] = [0.00124975, 0.004999]
    //   bias corrections 1 - 0.9^2 = 0.19 and 1 - 0.999^2 = 0.001999:
    //   m^ = [0.7631579, 0.5789474], sqrt(v^) = [sqrt(0.6251876), sqrt(2.5007504)] = [0.7906880, 1.5813761]
    //   w2 = w1 - 0.1 m^ / (sqrt(v^) + eps) = [0.9 - 0.0965182, -1.9 - 0.0366104] = [0.8034818, -1.9366104]
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    Adam adam = new Adam(m, 0.1, 0.9, 0.999, 1e-8);
    step(adam, m, G1);
    assertArrayEquals(new double[] {0.9, -1.9}, w(m), 1e-7);
    step(adam, m, G2);
    assertArrayEquals(new double[] {0.8034818, -1.9366104}, w(m), 1e-7);
  }

  @Test
  void float32ParametersStayFloat32() {
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(Tensor.of(W0));
    Adam adam = new Adam(m, 0.1);
    ModuleGraph g = m.apply(Tensor.of(G1));
    g.back();
    adam.step(g);
    assertEquals(DType.FLOAT32, m.param("w").value().dtype());
    assertArrayEquals(new double[] {0.9, -1.9}, w(m), 1e-6);
  }

  @Test
  void unusedParametersAreLeftAlone() {
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    Tensor before = m.param("unused").value();
    Sgd sgd = new Sgd(m, 0.1, 0.9);
    step(sgd, m, G1);
    assertTrue(before == m.param("unused").value(), "an unused parameter keeps its value object");
  }

  @Test
  void stepNeedsBackAndAScalarLoss() {
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    Sgd sgd = new Sgd(m, 0.1);
    ModuleGraph g = m.apply(f64(G1));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(g));
    assertTrue(e.getMessage().contains("back()"), e.getMessage());
    TrainModels.Shift s = new TrainModels.Shift(f64(1, 2));
    ModuleGraph vector = s.apply(f64(0, 0));
    vector.back();
    IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
        () -> new Sgd(s, 0.1).step(vector));
    assertTrue(v.getMessage().contains("scalar"), v.getMessage());
  }

  @Test
  void hyperparametersAreChecked() {
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(f64(W0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(m, 0.1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(m, -1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(m, 0.1, 1.0, 0.999, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(m, 0.1, 0.9, 0.999, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(new TrainModels.Log(), 0.1));
  }
}
