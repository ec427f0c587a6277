package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.BuiltinsOps.sum;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;

/** The example operators, compiled by the real Maven build: derivatives checked, used in a model. */
class ActivationsTest {
  private static final DType F64 = DType.FLOAT64;

  /** Uses the generated facades of the user's operators inside a forward pass. */
  @Module
  static class SmoothModel extends Zk_ActivationsTest_SmoothModel {
    Node call(Node x) {
      return sum(ActivationsOps.gap(ActivationsOps.softplus(x)));
    }
  }

  @Test
  void derivativesPassTheGradientChecker() {
    Random rng = new Random(3);
    for (int[] shape : new int[][] {{}, {5}, {2, 3}, {2, 2, 2}}) {
      Tensor x = Tensor.randn(rng, F64, shape).mul(3.0);
      GradCheck.assertGradients(in -> new ActivationsOps.Softplus(in[0]), x);
      GradCheck.assertGradients(in -> new ActivationsOps.Swish(in[0]), x);
      GradCheck.assertGradients(in -> new ActivationsOps.Gap(in[0]), x);
      GradCheck.assertGradients(in -> new ActivationsOps.Quadratic(in[0], 0.5, -2.0), x);
    }
  }

  @Test
  void softplusDerivativeIsTheSigmoid() {
    Tensor x = Tensor.of(new double[] {-2, 0, 3}, F64, 3);
    Tensor g = new ActivationsOps.Softplus(x).backward(Tensor.ones(F64, 3), Differentiable.all(1))[0];
    double[] v = g.toDoubleArray();
    assertEquals(1 / (1 + Math.exp(2)), v[0], 1e-12);
    assertEquals(0.5, v[1], 1e-12);
    assertEquals(1 / (1 + Math.exp(-3)), v[2], 1e-12);
  }

  @Test
  void userOperatorsInAModel() {
    SmoothModel m = new SmoothModel();
    ModuleGraph r = m.apply(Tensor.of(new double[] {-1, 0.5, 2}, F64, 3));
    r.back();
    // d/dx sum(gap(softplus(x))) = gap'(softplus(x)) * sigmoid(x), gap' = sigmoid - swish'.
    double[] expected = new double[3];
    double[] xs = {-1, 0.5, 2};
    for (int i = 0; i < 3; i++) {
      double s = Math.log1p(Math.exp(xs[i]));
      double sig = 1 / (1 + Math.exp(-s));
      double swishPrime = sig + s * sig * (1 - sig);
      expected[i] = (sig - swishPrime) / (1 + Math.exp(-xs[i]));
    }
    assertArrayEquals(expected, r.grad(m.input("x")).toDoubleArray(), 1e-9);
  }
}
