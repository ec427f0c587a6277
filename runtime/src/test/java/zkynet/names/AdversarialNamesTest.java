package zkynet.names;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;

/**
 * Generated code must never capture a user's name: operators whose parameters and locals take every
 * name the generator produces compile (that this class compiles is half the test) and have exactly
 * the derivatives finite differences give.
 */
class AdversarialNamesTest {
  private static Tensor random(Random rng, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextDouble() * 1.6 - 0.8;
    }
    return Tensor.of(v, DType.FLOAT64, shape);
  }

  @Test
  void operatorTakingEveryGeneratedNamePassesTheGradientCheck() {
    Random rng = new Random(11);
    Tensor[] in = new Tensor[9];
    for (int k = 0; k < in.length; k++) {
      in[k] = random(rng, 2, 3);
    }
    GradCheck.assertGradients(x -> new AdversarialOps.Clash(x[0], x[1], x[2], x[3], x[4], x[5], x[6],
        x[7], x[8]), in);
  }

  @Test
  void theBatchParameterIsTheUsersNotTheBatchRank() {
    // d/dbatch of sum(tanh(x) * batch) is tanh(x): with a captured "int batch" it would be 0.
    Tensor x = Tensor.of(new double[] {0.5, -1}, DType.FLOAT64, 2);
    Tensor gX = Tensor.of(new double[] {2, 3}, DType.FLOAT64, 2);
    Differentiable d = new AdversarialOps.Squash(x, gX);
    Tensor[] g = d.backward(Tensor.ones(DType.FLOAT64, 2), Differentiable.all(2));
    assertEquals(Math.tanh(0.5), g[1].toDoubleArray()[0], 1e-12);
    assertEquals(2 * (1 - Math.pow(Math.tanh(0.5), 2)), g[0].toDoubleArray()[0], 1e-12);
  }

  @Test
  void suppliedDerivativesWithTakenNamesPassTheGradientCheck() {
    Random rng = new Random(12);
    GradCheck.assertGradients(x -> new AdversarialOps.Scaled(x[0], x[1], 1.5), random(rng, 3),
        random(rng, 3));
  }
}
