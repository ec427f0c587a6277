package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.gelu;
import static zkynet.BuiltinsOps.logSumExp;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.pad;
import static zkynet.BuiltinsOps.reshape;
import static zkynet.BuiltinsOps.sin;
import static zkynet.BuiltinsOps.square;
import static zkynet.BuiltinsOps.std;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.take;
import static zkynet.BuiltinsOps.transpose;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The new graph operators inside a module's {@code call}: values and gradients through whole graphs. */
class GraphOperatorsTest {
  private static final DType F64 = DType.FLOAT64;

  /** The seed's test model {@code w * sin(x^2) * (x + w)}, with no user operator. */
  @Module
  static class SinModel extends Zk_GraphOperatorsTest_SinModel {
    final Parameter w = parameter(Tensor.of(0.5, F64));

    Node call(Node x) {
      return mult(mult(w, sin(square(x))), add(x, w));
    }
  }

  /** A chain of shape, indexing and composite operators ending in a scalar. */
  @Module
  static class Chain extends Zk_GraphOperatorsTest_Chain {
    final Parameter w = parameter(Tensor.of(new double[] {0.3, -0.2, 0.5, 1.1}, F64, 4));

    Node call(Node x) {
      Node h = gelu(mult(reshape(x, new int[] {3, 4}), w));         // [3, 4]
      Node picked = take(transpose(h), new int[] {3, 0, 0}, 0);    // [3, 3]
      Node padded = pad(picked, 1, 1, 0);                           // [3, 4]
      return sum(add(logSumExp(padded, -1), std(padded, 1, 1)));
    }
  }

  @Test
  void theSeedsSinModelNeedsNoCustomOperator() {
    SinModel m = new SinModel();
    double w = 0.5;
    double[] xs = {0.7, -1.3, 2.0};
    ModuleGraph g = m.apply(Tensor.of(xs, F64, 3));
    double[] value = g.value().toDoubleArray();
    g.back(Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, F64, 3, 3));
    double[] jac = g.grad(m.input("x")).toDoubleArray();
    double[] gw = g.grad(m.w).toDoubleArray();
    for (int i = 0; i < 3; i++) {
      double x = xs[i];
      double s = StrictMath.sin(x * x);
      assertEquals(w * s * (x + w), value[i], 1e-15);
      assertEquals(w * (2 * x * StrictMath.cos(x * x) * (x + w) + s), jac[i * 3 + i], 1e-14, "dy/dx " + i);
      assertEquals(s * (x + w) + w * s, gw[i], 1e-14, "dy/dw " + i);
    }
  }

  @Test
  void aChainOfNewOperatorsHasTheNumericGradient() {
    Chain m = new Chain();
    Tensor x = Tensor.randn(new Random(2), F64, 12);
    ModuleGraph g = m.apply(x);
    g.back();
    double[] analytic = g.grad(m.input("x")).toDoubleArray();
    double[] xv = x.toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < xv.length; i++) {
      double[] up = xv.clone();
      double[] down = xv.clone();
      up[i] += h;
      down[i] -= h;
      double numeric = (m.apply(Tensor.of(up, F64, 12)).value().item()
          - m.apply(Tensor.of(down, F64, 12)).value().item()) / (2 * h);
      assertEquals(numeric, analytic[i], 1e-7 * Math.max(1, Math.abs(numeric)), "d/dx[" + i + "]");
    }
    assertArrayEquals(new int[] {4}, g.grad(m.w).shape());
  }
}
