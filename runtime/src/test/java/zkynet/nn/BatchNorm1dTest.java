package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;
import zkynet.io.Checkpoints;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Labels;

class BatchNorm1dTest {
  /** x as [n, f, l] (l = 1 for rank 2): per feature, statistics over n and l. */
  private record Stats(double[] y, double[] mean, double[] unbiasedVar) {}

  private static Stats loops(Tensor x, double[] w, double[] b, double eps) {
    int[] s = x.shape();
    int n = s[0];
    int f = s[1];
    int l = s.length == 3 ? s[2] : 1;
    double[] xs = x.toDoubleArray();
    double[] y = new double[xs.length];
    double[] mean = new double[f];
    double[] uvar = new double[f];
    for (int c = 0; c < f; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < l; k++) {
          sum += xs[(i * f + c) * l + k];
        }
      }
      double m = sum / (n * l);
      double ss = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < l; k++) {
          double d = xs[(i * f + c) * l + k] - m;
          ss += d * d;
        }
      }
      mean[c] = m;
      uvar[c] = ss / (n * l - 1);
      double sd = Math.sqrt(ss / (n * l) + eps);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < l; k++) {
          int at = (i * f + c) * l + k;
          y[at] = (xs[at] - m) / sd * w[c] + b[c];
        }
      }
    }
    return new Stats(y, mean, uvar);
  }

  @Test
  void trainingUsesBatchStatisticsAndUpdatesRunningOnesAsPyTorch() {
    Random rng = new Random(1);
    for (int[] shape : new int[][] {{4, 3}, {2, 5}, {3, 2, 4}, {2, 1, 3}}) {
      int f = shape[1];
      BatchNorm1d bn = new BatchNorm1d(f, 1e-3, 0.25, true, F64);
      bn.param("weight").set(randn(rng, f));
      bn.param("bias").set(randn(rng, f));
      double[] rm = new double[f];
      double[] rv = new double[f];
      java.util.Arrays.fill(rv, 1);
      for (int step = 0; step < 3; step++) {
        Tensor x = randn(rng, shape).mul(2.0).add(1.5);
        Stats want = loops(x, bn.param("weight").value().toDoubleArray(),
            bn.param("bias").value().toDoubleArray(), 1e-3);
        assertClose(bn.apply(x).value(), want.y(), shape, 1e-12);
        for (int c = 0; c < f; c++) {
          rm[c] = 0.75 * rm[c] + 0.25 * want.mean()[c];
          rv[c] = 0.75 * rv[c] + 0.25 * want.unbiasedVar()[c];
        }
        assertClose(bn.runningMean(), rm, new int[] {f}, 1e-12);
        assertClose(bn.runningVar(), rv, new int[] {f}, 1e-12);
      }
    }
  }

  @Test
  void evalUsesRunningStatisticsAndUpdatesNothing() {
    Random rng = new Random(2);
    BatchNorm1d bn = new BatchNorm1d(3, F64);
    bn.apply(randn(rng, 8, 3).add(4.0)); // one training step moves the running stats
    Tensor rm = bn.runningMean();
    Tensor rv = bn.runningVar();
    bn.eval();
    Tensor x = randn(rng, 1, 3); // a single sample is fine in eval mode
    double[] xs = x.toDoubleArray();
    double[] want = new double[3];
    for (int c = 0; c < 3; c++) {
      want[c] = (xs[c] - rm.toDoubleArray()[c]) / Math.sqrt(rv.toDoubleArray()[c] + 1e-5);
    }
    assertClose(bn.apply(x).value(), want, new int[] {1, 3}, 1e-12);
    assertClose(bn.infer(x), want, new int[] {1, 3}, 1e-12);
    assertArrayEquals(rm.toDoubleArray(), bn.runningMean().toDoubleArray(), 0);
    assertArrayEquals(rv.toDoubleArray(), bn.runningVar().toDoubleArray(), 0);
  }

  @Test
  void inferInTrainingModeUpdatesTheRunningStatisticsAsApplyDoes() {
    Tensor x = Tensor.of(new double[] {1, 4, 3, 8}, F64, 2, 2);
    BatchNorm1d a = new BatchNorm1d(2, F64);
    BatchNorm1d b = new BatchNorm1d(2, F64);
    assertArrayEquals(a.apply(x).value().toDoubleArray(), b.infer(x).toDoubleArray(), 1e-12);
    assertArrayEquals(a.runningVar().toDoubleArray(), b.runningVar().toDoubleArray(), 0);
    assertClose(b.runningMean(), new double[] {0.2, 0.6}, new int[] {2}, 1e-12);
  }

  @Test
  void operatorsPassGradCheck() {
    Random rng = new Random(3);
    for (int[] shape : new int[][] {{3, 2}, {2, 3, 2}, {4, 1}}) {
      int f = shape[1];
      int[] axes = shape.length == 2 ? new int[] {0} : new int[] {0, 2};
      int[] view = shape.length == 2 ? new int[] {f} : new int[] {f, 1};
      GradCheck.options().rtol(1e-4).atol(1e-5).assertGradients(
          in -> new FunctionalOps.BatchNorm(in[0], in[1], in[2], axes, view, 1e-2),
          randn(rng, shape), randn(rng, f), randn(rng, f));
      Tensor mean = randn(rng, f);
      Tensor var = Tensor.uniform(rng, 0.5, 2, F64, f);
      GradCheck.assertGradients(
          in -> new FunctionalOps.BatchNormWith(in[0], mean, var, in[1], in[2], view, 1e-3),
          randn(rng, shape), randn(rng, f), randn(rng, f));
    }
  }

  @Test
  void runningStatisticsAreBuffersSavedAndLoadedButNotOptimized(@TempDir Path dir)
      throws Exception {
    Random rng = new Random(4);
    Sequential net = new Sequential(new Linear(rng, F64, 2, 3), new BatchNorm1d(3, F64));
    assertEquals(List.of("layers.1.running_mean", "layers.1.running_var"),
        List.copyOf(net.namedBuffers().keySet()));
    Adam adam = new Adam(net, 0.1);
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
        List.copyOf(adam.namedParameters().keySet()));
    ModuleGraph g = new CrossEntropyLoss(net).apply(randn(rng, 5, 2),
        Labels.tensor(new int[] {0, 1, 2, 1, 0}));
    g.back();
    Tensor before = net.namedBuffers().get("layers.1.running_mean").value();
    adam.step(g);
    assertArrayEquals(before.toDoubleArray(),
        net.namedBuffers().get("layers.1.running_mean").value().toDoubleArray(), 0);

    Path file = dir.resolve("bn.npz");
    Checkpoints.save(net, adam, file);
    Sequential other = new Sequential(new Linear(new Random(9), F64, 2, 3),
        new BatchNorm1d(3, F64));
    Checkpoints.load(other, file);
    for (String b : net.namedBuffers().keySet()) {
      assertArrayEquals(net.namedBuffers().get(b).value().toDoubleArray(),
          other.namedBuffers().get(b).value().toDoubleArray(), 0, b);
    }
    net.eval();
    other.eval();
    Tensor x = randn(rng, 4, 2);
    assertArrayEquals(net.infer(x).toDoubleArray(), other.infer(x).toDoubleArray(), 0);

    // a file without the buffers is refused, naming them, and changes nothing
    Path paramsOnly = dir.resolve("params.npz");
    java.util.Map<String, Tensor> arrays = new java.util.LinkedHashMap<>();
    net.namedParameters().forEach((k, p) -> arrays.put(k, p.value()));
    Checkpoints.write(arrays, paramsOnly);
    Tensor rv = other.namedBuffers().get("layers.1.running_var").value();
    Exception e = assertThrows(Exception.class, () -> Checkpoints.load(other, paramsOnly));
    assertTrue(e.getMessage().contains("layers.1.running_var")
        && e.getMessage().contains("buffer"), e.getMessage());
    assertEquals(rv, other.namedBuffers().get("layers.1.running_var").value());
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void badInputsAreClearErrorsAndLeaveTheStatsAlone() {
    BatchNorm1d bn = new BatchNorm1d(3, F64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bn.apply(randn(new Random(5), 2, 4)));
    assertTrue(e.getMessage().contains("BatchNorm1d(3)") && e.getMessage().contains("[2, 4]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bn.apply(randn(new Random(5), 1, 3)));
    assertTrue(e.getMessage().contains("more than one value per feature"), e.getMessage());
    assertArrayEquals(new double[3], bn.runningMean().toDoubleArray(), 0);
    assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0, F64));
    assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(2, 1e-5, 1.5, true, F64));
    BatchNorm1d plain = new BatchNorm1d(2, 0, 0.1, false, F64);
    assertEquals(List.of(), List.copyOf(plain.namedParameters().keySet()));
    assertClose(plain.apply(Tensor.of(new double[] {1, 5, 3, 9}, F64, 2, 2)).value(),
        new double[] {-1, -1, 1, 1}, new int[] {2, 2}, 1e-12);
  }

  /**
   * Calls on several threads lose no running-stat update: with the same batch every time, k updates
   * give {@code (1 - (1 - m)^k) * batchMean} in any order.
   */
  @Test
  void concurrentTrainingCallsLoseNoUpdate() throws Exception {
    BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.05, true, F64);
    Tensor x = Tensor.of(new double[] {1, 10, 3, 20}, F64, 2, 2); // batch means 2 and 15
    int threads = 4;
    int calls = 25;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < calls; i++) {
            bn.apply(x);
          }
        }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double kept = Math.pow(0.95, threads * calls);
    assertClose(bn.runningMean(), new double[] {2 * (1 - kept), 15 * (1 - kept)}, new int[] {2},
        1e-9);
  }
}
