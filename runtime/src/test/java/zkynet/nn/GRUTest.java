package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

/** GRUCell against PyTorch's equations written as scalar loops, and GRU's unrolling. */
class GRUTest {
  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /**
   * One step for row-major x [b, in], h [b, hs], weights [in, 3hs], [hs, 3hs] in our layout,
   * written gate by gate as PyTorch documents it.
   */
  private static double[] step(double[] x, double[] h, int b, int in, int hs, GRUCell cell) {
    double[] wi = cell.param("weight_ih").value().toDoubleArray();
    double[] wh = cell.param("weight_hh").value().toDoubleArray();
    double[] bi = cell.param("bias_ih").value().toDoubleArray();
    double[] bh = cell.param("bias_hh").value().toDoubleArray();
    double[] out = new double[b * hs];
    for (int r = 0; r < b; r++) {
      for (int j = 0; j < hs; j++) {
        double[] gi = new double[3];
        double[] gh = new double[3];
        for (int g = 0; g < 3; g++) {
          int col = g * hs + j;
          gi[g] = bi[col];
          gh[g] = bh[col];
          for (int k = 0; k < in; k++) {
            gi[g] += x[r * in + k] * wi[k * 3 * hs + col];
          }
          for (int k = 0; k < hs; k++) {
            gh[g] += h[r * hs + k] * wh[k * 3 * hs + col];
          }
        }
        double rg = sigmoid(gi[0] + gh[0]);
        double zg = sigmoid(gi[1] + gh[1]);
        double ng = Math.tanh(gi[2] + rg * gh[2]);
        out[r * hs + j] = (1 - zg) * ng + zg * h[r * hs + j];
      }
    }
    return out;
  }

  @Test
  void cellMatchesPyTorchEquations() {
    Random rng = new Random(1);
    for (int t = 0; t < 6; t++) {
      int b = 1 + rng.nextInt(3);
      int in = 1 + rng.nextInt(4);
      int hs = 1 + rng.nextInt(4);
      GRUCell cell = new GRUCell(rng, F64, in, hs, t % 2 == 0);
      Tensor x = randn(rng, b, in);
      Tensor h = randn(rng, b, hs);
      assertClose(cell.apply(x, h).value(), step(x.toDoubleArray(), h.toDoubleArray(), b, in, hs,
          cell), new int[] {b, hs}, 1e-12);
    }
  }

  @Test
  void cellOperatorPassesGradCheck() {
    Random rng = new Random(2);
    for (int t = 0; t < 4; t++) {
      int b = 1 + rng.nextInt(3);
      int in = 1 + rng.nextInt(3);
      int hs = 1 + rng.nextInt(3);
      GradCheck.assertGradients(in4 -> new FunctionalOps.GruCell(in4[0], in4[1], in4[2], in4[3],
          in4[4], in4[5]), randn(rng, b, in), randn(rng, b, hs), randn(rng, in, 3 * hs),
          randn(rng, hs, 3 * hs), randn(rng, 3 * hs), randn(rng, 3 * hs));
    }
  }

  @Test
  void gruUnrollsTheCellFromZeros() {
    Random rng = new Random(3);
    int b = 2;
    int time = 4;
    int in = 3;
    int hs = 5;
    GRU gru = new GRU(rng, F64, in, hs);
    Tensor x = randn(rng, b, time, in);
    double[] xs = x.toDoubleArray();
    double[] h = new double[b * hs];
    double[] want = new double[b * time * hs];
    for (int t = 0; t < time; t++) {
      double[] xt = new double[b * in];
      for (int r = 0; r < b; r++) {
        System.arraycopy(xs, (r * time + t) * in, xt, r * in, in);
      }
      h = step(xt, h, b, in, hs, gru.cell());
      for (int r = 0; r < b; r++) {
        System.arraycopy(h, r * hs, want, (r * time + t) * hs, hs);
      }
    }
    assertClose(gru.apply(x).value(), want, new int[] {b, time, hs}, 1e-12);
    assertClose(gru.infer(x), want, new int[] {b, time, hs}, 1e-12);
  }

  @Test
  void gruGradientsMatchCentralDifferences() {
    Random rng = new Random(4);
    GRU gru = new GRU(rng, F64, 2, 3);
    Tensor x = randn(rng, 2, 3, 2);
    Tensor c = randn(rng, 2, 3, 3);
    ModuleGraph g = gru.apply(x);
    g.back(c);
    for (String name : gru.namedParameters().keySet()) {
      Parameter p = gru.param(name);
      double[] analytic = g.grad(p).toDoubleArray();
      double[] w = p.value().toDoubleArray();
      for (int i = 0; i < w.length; i++) {
        double keep = w[i];
        w[i] = keep + 1e-6;
        p.set(Tensor.of(w, F64, p.value().shape()));
        double plus = gru.infer(x).mul(c).sum().item();
        w[i] = keep - 1e-6;
        p.set(Tensor.of(w, F64, p.value().shape()));
        double minus = gru.infer(x).mul(c).sum().item();
        w[i] = keep;
        p.set(Tensor.of(w, F64, p.value().shape()));
        assertEquals((plus - minus) / 2e-6, analytic[i], 1e-6, name + "[" + i + "]");
      }
    }
    double[] gx = g.grad(gru.input("x")).toDoubleArray();
    assertEquals(x.size(), gx.length);
  }

  @Test
  void shapesAndSizesAreChecked() {
    GRUCell cell = new GRUCell(new Random(5), F64, 3, 2);
    assertEquals(3, cell.inputSize());
    assertEquals(2, cell.hiddenSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cell.apply(randn(new Random(6), 1, 4), randn(new Random(6), 1, 2)));
    assertTrue(e.getMessage().contains("GRUCell(3, 2)") && e.getMessage().contains("x [1, 4]"),
        e.getMessage());
    GRU gru = new GRU(cell);
    e = assertThrows(IllegalArgumentException.class, () -> gru.apply(randn(new Random(7), 2, 3)));
    assertTrue(e.getMessage().contains("GRU needs x [batch, time >= 1, 3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new GRUCell(new Random(1), F64, 0, 2));
    assertArrayEquals(new int[] {2, 1, 2}, gru.apply(randn(new Random(8), 2, 1, 3)).value()
        .shape());
  }
}
