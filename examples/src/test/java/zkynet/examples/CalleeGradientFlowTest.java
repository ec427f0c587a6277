package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * Calls into an operator that ignores an input, where the gradient is null: the generated callers
 * (which know it at compile time and test nothing for null) return null there, the right values
 * elsewhere, whichever inputs are asked for, and a module reading the ignored input's gradient gets
 * zeros.
 */
class CalleeGradientFlowTest {
  private static final DType F64 = DType.FLOAT64;
  private static final double[] XS = {-1.5, 0, 0.7};
  private static final double[] YS = {0.3, -2, 1.1};

  /** sum(onlyIgnored(x, y)). */
  @Module
  static class Ignores extends Zk_CalleeGradientFlowTest_Ignores {
    Node call(Node x, Node y) {
      return sum(IgnoringCalleeOps.onlyIgnored(x, y));
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Random rng = new Random(12);
    for (int[] shape : new int[][] {{}, {4}, {2, 3}}) {
      Tensor x = Tensor.randn(rng, F64, shape);
      Tensor y = Tensor.randn(rng, F64, shape);
      GradCheck.assertGradients(in -> new IgnoringCalleeOps.OnlyIgnored(in[0], in[1]), x, y);
      GradCheck.assertGradients(in -> new IgnoringCalleeOps.AlsoDirect(in[0], in[1]), x, y);
      GradCheck.assertGradients(in -> new IgnoringCalleeOps.TwoLevels(in[0], in[1]), x, y);
    }
  }

  @Test
  void theIgnoredInputGetsNullWhicheverInputsAreAsked() {
    Tensor x = Tensor.of(XS, F64, 3);
    Tensor y = Tensor.of(YS, F64, 3);
    Tensor g = Tensor.ones(F64, 3);
    double[] expX = new double[3];
    double[] exp2X = new double[3];
    double[] tanhPrime = new double[3];
    for (int i = 0; i < 3; i++) {
      expX[i] = Math.exp(XS[i]);
      exp2X[i] = 2 * Math.exp(2 * XS[i]);
      tanhPrime[i] = 1 - Math.tanh(YS[i]) * Math.tanh(YS[i]);
    }
    Tensor[] both = new IgnoringCalleeOps.OnlyIgnored(x, y).backward(g, Differentiable.all(2));
    assertArrayEquals(expX, both[0].toDoubleArray(), 1e-12);
    assertNull(both[1]);
    Tensor[] onlyY = new IgnoringCalleeOps.OnlyIgnored(x, y).backward(g, new boolean[] {false, true});
    assertNull(onlyY[0]);
    assertNull(onlyY[1]);
    Tensor[] twoLevels = new IgnoringCalleeOps.TwoLevels(x, y).backward(g, Differentiable.all(2));
    assertArrayEquals(exp2X, twoLevels[0].toDoubleArray(), 1e-12);
    assertNull(twoLevels[1]);
    Tensor[] direct = new IgnoringCalleeOps.AlsoDirect(x, y).backward(g, new boolean[] {false, true});
    assertNull(direct[0]);
    assertArrayEquals(tanhPrime, direct[1].toDoubleArray(), 1e-12);
  }

  @Test
  void aModuleReadsZerosForTheIgnoredInput() {
    Ignores m = new Ignores();
    ModuleGraph r = m.apply(Tensor.of(XS, F64, 3), Tensor.of(YS, F64, 3));
    r.back();
    double[] expX = new double[3];
    for (int i = 0; i < 3; i++) {
      expX[i] = Math.exp(XS[i]);
    }
    assertArrayEquals(expX, r.grad(m.input("x")).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[3], r.grad(m.input("y")).toDoubleArray(), 0);
  }
}
