package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * The global gradient norm a step returns and reports: against the gradients' values summed by the
 * test, the same bits with a clipping bound that is never reached, for every optimizer and both
 * dtypes, with non-finite gradients, and from steps of one optimizer on several threads at once.
 */
class GradientNormTest {
  /** Elements of w. */
  static final int W = 50 * 41 + 7;

  /** Gradient of w is x, of b is y: sum(w * x) + sum(b * y); w in rows of 256 and a ragged tail. */
  @Module
  static class Weights extends Zk_GradientNormTest_Weights {
    final Parameter w;
    final Parameter b;

    Weights(DType dtype) {
      w = parameter(values(dtype, W, 1.5, 0));
      b = parameter(values(dtype, 41, 0.5, 1));
    }

    Node call(Node x, Node y) {
      return add(sum(mult(w, x)), sum(mult(b, y)));
    }
  }

  static Tensor values(DType dtype, int n, double scale, int seed) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * Math.sin(0.37 * i + seed) / (1 + i % 7);
    }
    return Tensor.of(v, dtype, n);
  }

  static double step(Optimizer opt, Weights m, int seed) {
    DType dtype = m.w.dtype();
    try (ModuleGraph g = m.apply(values(dtype, W, 0.1, seed), values(dtype, 41, 2, seed + 1))) {
      g.back();
      return opt.step(g);
    }
  }

  /** The norm of the gradients of step {@code seed}, in double from the values themselves. */
  static double expectedNorm(DType dtype, int seed) {
    double s = 0;
    for (Tensor t : List.of(values(dtype, W, 0.1, seed), values(dtype, 41, 2, seed + 1))) {
      for (double v : t.toDoubleArray()) {
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }

  static void sameWithABoundNeverReached(Function<Weights, Optimizer> make, DType dtype) {
    Weights unbounded = new Weights(dtype);
    Weights bounded = new Weights(dtype);
    Optimizer a = make.apply(unbounded);
    // A finite bound the norm never reaches: nothing is clipped.
    Optimizer b = make.apply(bounded).clipGradientNorm(Double.MAX_VALUE);
    for (int t = 0; t < 3; t++) {
      double norm = step(a, unbounded, t);
      String what = a + " " + dtype + " step " + t;
      assertEquals(step(b, bounded, t), norm, 0, what + ": the bits of the step with a bound");
      assertEquals(norm, a.lastGradientNorm(), 0, what);
      assertEquals(expectedNorm(dtype, t), norm, 1e-6 * norm, what);
      assertArrayEquals(bounded.w.value().toDoubleArray(), unbounded.w.value().toDoubleArray(), 0, what);
      assertArrayEquals(bounded.b.value().toDoubleArray(), unbounded.b.value().toDoubleArray(), 0, what);
    }
  }

  @Test
  void theNormIsTheSameWithAndWithoutAClippingBoundItNeverReaches() {
    for (DType dtype : DType.values()) {
      sameWithABoundNeverReached(m -> new Sgd(m, 0.1), dtype);
      sameWithABoundNeverReached(m -> new Sgd(m, 0.1).weightDecay(0.01), dtype);
      sameWithABoundNeverReached(m -> new Sgd(m, 0.1, 0.9), dtype);
      sameWithABoundNeverReached(m -> new Adam(m, 0.01), dtype);
    }
  }

  @Test
  void aNonFiniteGradientGivesANonFiniteNormAndIsApplied() {
    Weights m = new Weights(DType.FLOAT32);
    Sgd sgd = new Sgd(m, 0.1);
    Tensor x = values(DType.FLOAT32, W, 0.1, 0);
    double[] xs = x.toDoubleArray();
    xs[1500] = Double.POSITIVE_INFINITY;
    try (ModuleGraph g = m.apply(Tensor.of(xs, DType.FLOAT32, xs.length), values(DType.FLOAT32, 41, 2, 1))) {
      g.back();
      assertEquals(Double.POSITIVE_INFINITY, sgd.step(g));
    }
    assertEquals(Double.NEGATIVE_INFINITY, m.w.value().toDoubleArray()[1500]);
    xs[1500] = Double.NaN;
    try (ModuleGraph g = m.apply(Tensor.of(xs, DType.FLOAT32, xs.length), values(DType.FLOAT32, 41, 2, 1))) {
      g.back();
      assertEquals(Double.NaN, sgd.step(g));
    }
    assertEquals(Double.NaN, sgd.lastGradientNorm());
  }

  /** Steps of one optimizer from several threads at once: each returns its own graph's norm. */
  @Test
  void concurrentStepsEachReturnTheirOwnNorm() throws Exception {
    Weights m = new Weights(DType.FLOAT32);
    Sgd sgd = new Sgd(m, 1e-3);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int seed = 10 * thread;
        Callable<double[]> steps = () -> {
          double[] norms = new double[25];
          for (int i = 0; i < norms.length; i++) {
            norms[i] = step(sgd, m, seed + i % 3);
          }
          return norms;
        };
        results.add(pool.submit(steps));
      }
      for (int thread = 0; thread < 4; thread++) {
        double[] norms = results.get(thread).get();
        for (int i = 0; i < norms.length; i++) {
          double want = expectedNorm(DType.FLOAT32, 10 * thread + i % 3);
          assertEquals(want, norms[i], 1e-6 * want, "thread " + thread + " step " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(100, sgd.steps());
  }
}
