package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

class LayerNormTest {
  /** Row by row over the last axis: (x - mean) / sqrt(var + eps) * w + b. */
  private static double[] loops(Tensor x, double[] w, double[] b, double eps) {
    int n = x.shape(-1);
    double[] xs = x.toDoubleArray();
    double[] y = new double[xs.length];
    for (int r = 0; r < xs.length / n; r++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += xs[r * n + i] / n;
      }
      double var = 0;
      for (int i = 0; i < n; i++) {
        double d = xs[r * n + i] - mean;
        var += d * d / n;
      }
      for (int i = 0; i < n; i++) {
        y[r * n + i] = (xs[r * n + i] - mean) / Math.sqrt(var + eps) * w[i] + b[i];
      }
    }
    return y;
  }

  @Test
  void forwardMatchesLoops() {
    Random rng = new Random(1);
    for (int[] shape : new int[][] {{1, 5}, {3, 4}, {2, 3, 6}, {7}, {2, 1}}) {
      int n = shape[shape.length - 1];
      LayerNorm ln = new LayerNorm(n, 1e-3, true, F64);
      ln.param("weight").set(randn(rng, n));
      ln.param("bias").set(randn(rng, n));
      Tensor x = randn(rng, shape).mul(3.0).add(2.0);
      assertClose(ln.apply(x).value(), loops(x, ln.param("weight").value().toDoubleArray(),
          ln.param("bias").value().toDoubleArray(), 1e-3), shape, 1e-12);
    }
  }

  @Test
  void withoutAffineHasNoParametersAndNormalises() {
    LayerNorm ln = new LayerNorm(4, 0, false, F64);
    assertEquals(List.of(), List.copyOf(ln.namedParameters().keySet()));
    double[] y = ln.apply(Tensor.of(new double[] {1, 2, 3, 4}, F64, 1, 4)).value().toDoubleArray();
    double sd = Math.sqrt(1.25);
    assertClose(Tensor.of(y, F64, 4), new double[] {-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd},
        new int[] {4}, 1e-12);
  }

  @Test
  void defaultsStartAsTheIdentityMap() {
    LayerNorm ln = new LayerNorm(3, F64);
    assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
    Tensor x = randn(new Random(2), 2, 3);
    assertClose(ln.apply(x).value(), loops(x, new double[] {1, 1, 1}, new double[3], 1e-5),
        new int[] {2, 3}, 1e-12);
  }

  @Test
  void operatorsPassGradCheck() {
    Random rng = new Random(3);
    for (int[] shape : new int[][] {{1, 2}, {3, 4}, {2, 2, 5}}) {
      int n = shape[shape.length - 1];
      GradCheck.options().rtol(1e-4).atol(1e-5).assertGradients(
          in -> new FunctionalOps.LayerNorm(in[0], in[1], in[2], 1e-2),
          randn(rng, shape), randn(rng, n), randn(rng, n));
      GradCheck.options().rtol(1e-4).atol(1e-5).assertGradients(
          in -> new FunctionalOps.NormalizeLast(in[0], 1e-2), randn(rng, shape));
    }
  }

  @Test
  void wrongLastAxisIsAClearErrorAndTheLayerStaysUsable() {
    LayerNorm ln = new LayerNorm(3, F64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ln.apply(randn(new Random(4), 2, 4)));
    assertTrue(e.getMessage().contains("last axis is 3") && e.getMessage().contains("[2, 4]"),
        e.getMessage());
    assertEquals(3, ln.apply(randn(new Random(4), 1, 3)).value().shape(1));
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0, F64));
    assertThrows(IllegalArgumentException.class, () -> new LayerNorm(2, -1, true, F64));
  }
}
