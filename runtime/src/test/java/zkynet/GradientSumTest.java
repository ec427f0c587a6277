package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The reverse sweep's sums of gradient contributions, which it adds in place once it owns a sum:
 * values used many times, and sums that later flow on to other nodes, stay correct.
 */
class GradientSumTest {
  /** y = x + x; z = y*y + y + w*y + y: x reaches z through y four times, y through the sum. */
  @Module
  static class ManyUses extends Zk_GradientSumTest_ManyUses {
    final Parameter w;

    ManyUses() {
      w = parameter(Tensor.of(new double[] {0.5, -1, 2}, DType.FLOAT32, 3));
    }

    Node call(Node x) {
      Node y = add(x, x);
      Node t = add(add(mult(y, y), y), add(mult(w, y), y));
      return add(t, mult(x, x));
    }
  }

  @Test
  void manyContributionsSumCorrectly() {
    ManyUses m = new ManyUses();
    Tensor x = Tensor.of(1f, 2f, 3f);
    ModuleGraph g = m.apply(x);
    g.back(Tensor.ones(DType.FLOAT32, 3));
    double[] xs = {1, 2, 3};
    double[] w = {0.5, -1, 2};
    double[] gx = new double[3];
    double[] gw = new double[3];
    for (int i = 0; i < 3; i++) {
      double y = 2 * xs[i];
      double dzdy = 2 * y + 1 + w[i] + 1;
      gx[i] = 2 * dzdy + 2 * xs[i];
      gw[i] = y;
    }
    assertArrayEquals(gx, g.grad(m.inputs().get(0)).toDoubleArray(), 1e-5);
    assertArrayEquals(gw, g.grad(m.w).toDoubleArray(), 1e-5);
    // the inputs and the forward values are untouched by the in-place sums
    assertArrayEquals(xs, x.toDoubleArray(), 0);
    assertTrue(g.nodes().stream().anyMatch(n -> Arrays.equals(n.value().toDoubleArray(), new double[] {2, 4, 6})),
        "y = x + x keeps its value");
    // a second sweep recomputes from scratch
    g.back(Tensor.ones(DType.FLOAT32, 3));
    assertArrayEquals(gx, g.grad(m.inputs().get(0)).toDoubleArray(), 1e-5);
    assertEquals(3, g.grad(m.w).size());
  }
}
