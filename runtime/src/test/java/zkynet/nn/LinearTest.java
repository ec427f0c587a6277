package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

class LinearTest {
  /** y[r, o] = sum_i x[r, i] w[i, o] (+ b[o]) over the rows r of x viewed as [rows, in]. */
  private static double[] loops(Tensor x, Tensor w, Tensor b) {
    int in = w.shape(0);
    int out = w.shape(1);
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    int rows = xs.length / in;
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b.toDoubleArray()[o];
        for (int i = 0; i < in; i++) {
          s += xs[r * in + i] * ws[i * out + o];
        }
        y[r * out + o] = s;
      }
    }
    return y;
  }

  @Test
  void forwardMatchesLoopsOverBatchAxes() {
    Random rng = new Random(1);
    for (int[] shape : new int[][] {{1, 4}, {3, 4}, {2, 3, 4}, {4}}) {
      Linear lin = new Linear(rng, F64, 4, 5);
      lin.param("bias").set(randn(rng, 5));
      Tensor x = randn(rng, shape);
      int[] outShape = shape.clone();
      outShape[shape.length - 1] = 5;
      assertClose(lin.apply(x).value(), loops(x, lin.param("weight").value(),
          lin.param("bias").value()), outShape, 1e-12);
    }
  }

  @Test
  void withoutBiasHasOnlyAWeight() {
    Random rng = new Random(2);
    Linear lin = new Linear(rng, F64, 3, 1, false, Linear.InitKind.HE);
    assertFalse(lin.hasBias());
    assertEquals(List.of("weight"), List.copyOf(lin.namedParameters().keySet()));
    Tensor x = randn(rng, 1, 3);
    assertClose(lin.apply(x).value(), loops(x, lin.param("weight").value(), null),
        new int[] {1, 1}, 1e-12);
  }

  @Test
  void seededInitIsReproducibleAndScaled() {
    Linear a = new Linear(new Random(9), F64, 50, 40, true, Linear.InitKind.HE);
    Linear b = new Linear(new Random(9), F64, 50, 40, true, Linear.InitKind.HE);
    double[] wa = a.param("weight").value().toDoubleArray();
    assertEquals(List.of(), diff(wa, b.param("weight").value().toDoubleArray()));
    double var = 0;
    for (double v : wa) {
      var += v * v / wa.length;
    }
    // He normal: variance 2 / fanIn = 0.04, and 2000 samples give it within ~10%.
    assertEquals(0.04, var, 0.006);
    for (double v : a.param("bias").value().toDoubleArray()) {
      assertEquals(0.0, v);
    }
    double bound = Math.sqrt(6.0 / (50 + 40));
    for (double v : new Linear(new Random(3), F64, 50, 40).param("weight").value()
        .toDoubleArray()) {
      assertTrue(Math.abs(v) <= bound, "Xavier uniform bound " + bound + ", got " + v);
    }
  }

  private static List<Integer> diff(double[] a, double[] b) {
    java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        out.add(i);
      }
    }
    return out;
  }

  @Test
  void operatorGradientsPassGradCheck() {
    Random rng = new Random(4);
    int[][] xShapes = {{1, 1}, {3, 2}, {2, 3, 2}, {2}};
    for (int[] xs : xShapes) {
      int in = xs[xs.length - 1];
      int out = 1 + rng.nextInt(3);
      GradCheck.assertGradients(t -> new FunctionalOps.Linear(t[0], t[1], t[2]),
          randn(rng, xs), randn(rng, in, out), randn(rng, out));
    }
  }

  @Test
  void moduleParameterGradientsMatchLoops() {
    Random rng = new Random(5);
    Linear lin = new Linear(rng, F64, 3, 2);
    Tensor x = randn(rng, 4, 3);
    Tensor c = randn(rng, 4, 2);
    ModuleGraph g = lin.apply(x);
    g.back(c);
    double[] xs = x.toDoubleArray();
    double[] cs = c.toDoubleArray();
    double[] gw = new double[6];
    double[] gb = new double[2];
    for (int r = 0; r < 4; r++) {
      for (int o = 0; o < 2; o++) {
        gb[o] += cs[r * 2 + o];
        for (int i = 0; i < 3; i++) {
          gw[i * 2 + o] += xs[r * 3 + i] * cs[r * 2 + o];
        }
      }
    }
    assertClose(g.grad(lin.param("weight")), gw, new int[] {3, 2}, 1e-12);
    assertClose(g.grad(lin.param("bias")), gb, new int[] {2}, 1e-12);
  }

  @Test
  void badSizesAndInputsAreClearErrors() {
    Random rng = new Random(6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Linear(rng, F64, 0, 3));
    assertTrue(e.getMessage().contains("Linear"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Linear(Tensor.zeros(F64, 2, 3), Tensor.zeros(F64, 2)));
    Linear lin = new Linear(rng, F64, 3, 2);
    RuntimeException bad = assertThrows(RuntimeException.class, () -> lin.apply(randn(rng, 2, 4)));
    assertTrue(bad.getMessage().contains("[2, 4]") || bad.getMessage().contains("matmul"),
        bad.getMessage());
    // the failed call leaves the layer usable
    assertEquals(2, lin.apply(randn(rng, 1, 3)).value().shape(1));
  }
}
