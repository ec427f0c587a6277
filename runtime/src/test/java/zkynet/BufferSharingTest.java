package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.square;
import static zkynet.BuiltinsOps.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import zkynet.train.Sgd;

/**
 * Results that share memory: a product with an exact 1 (the cotangent of a sum) is the other
 * operand's storage itself, so gradients may alias forward values, parameters and inputs, and the
 * reverse sweep adds later contributions in place into sums it made. Nothing anyone can see may
 * change: forward values, parameters and inputs keep their values through {@code back()}, gradients
 * read twice and graphs swept twice agree, and graphs run from several threads at once (large enough
 * to split across the worker pool) each get their own numbers.
 */
class BufferSharingTest {
  /** The seed's {@code sum((x + w) * x^2)}, written with built-in operators (W2 of the benchmarks). */
  @Module
  static class SumOfF extends Zk_BufferSharingTest_SumOfF {
    final Parameter w;

    SumOfF(float w0) {
      w = parameter(Tensor.of(w0, DType.FLOAT32));
    }

    Node call(Node x) {
      return sum(mult(add(x, w), square(x)));
    }
  }

  /** {@code sum(x a) + sum(x b) + sum(x c)}: x's gradient is a, then a + b, then (a + b) + c in place. */
  @Module
  static class ThreeUses extends Zk_BufferSharingTest_ThreeUses {
    final Parameter a;
    final Parameter b;
    final Parameter c;

    ThreeUses(int n) {
      a = parameter(ramp(n, 1, 0.5f));
      b = parameter(ramp(n, -2, 0.25f));
      c = parameter(ramp(n, 3, -0.125f));
    }

    Node call(Node x) {
      return add(add(sum(mult(x, a)), sum(mult(x, b))), sum(mult(x, c)));
    }
  }

  /** {@code sum(x x) + sum(square(x))}: both rules of each product share one {@code g * x}. */
  @Module
  static class Squares extends Zk_BufferSharingTest_Squares {
    Node call(Node x) {
      return add(sum(mult(x, x)), sum(square(x)));
    }
  }

  private static final int BIG = 600_000; // above the worker pool's split size for add and mul

  static Tensor ramp(int n, float start, float step) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + step * (i % 97) / 97;
    }
    return Tensor.of(v);
  }

  @Test
  void gradientsThatAliasParametersAndInputsLeaveThemUnchanged() {
    int n = 1001;
    ThreeUses m = new ThreeUses(n);
    Tensor x = ramp(n, 0.5f, 2);
    double[] x0 = x.toDoubleArray();
    double[] a0 = m.a.value().toDoubleArray();
    double[] b0 = m.b.value().toDoubleArray();
    double[] c0 = m.c.value().toDoubleArray();
    ModuleGraph g = m.apply(x);
    g.back();
    double[] gx = g.grad(m.input("x")).toDoubleArray();
    for (int i = 0; i < n; i++) {
      assertEquals((float) ((float) (a0[i] + b0[i]) + c0[i]), gx[i], 0, "grad x at " + i);
    }
    assertArrayEquals(x0, g.grad(m.a).toDoubleArray(), "grad a is x");
    assertArrayEquals(x0, g.grad(m.c).toDoubleArray(), "grad c is x");
    assertArrayEquals(a0, m.a.value().toDoubleArray(), "a unchanged by the sweep");
    assertArrayEquals(b0, m.b.value().toDoubleArray(), "b unchanged by the sweep");
    assertArrayEquals(c0, m.c.value().toDoubleArray(), "c unchanged by the sweep");
    assertArrayEquals(x0, x.toDoubleArray(), "x unchanged by the sweep");
    assertArrayEquals(gx, g.grad(m.input("x")).toDoubleArray(), "grad x read twice");
    g.back();
    assertArrayEquals(gx, g.grad(m.input("x")).toDoubleArray(), "a second sweep");
    assertArrayEquals(a0, m.a.value().toDoubleArray(), "a unchanged by a second sweep");

    new Sgd(m, 0.5).step(g); // p - 0.5 * grad, where grad a and grad c are x itself
    double[] a1 = m.a.value().toDoubleArray();
    for (int i = 0; i < n; i++) {
      assertEquals((float) (a0[i] - (float) (0.5f * x0[i])), a1[i], 0, "a after the step at " + i);
    }
    assertArrayEquals(x0, x.toDoubleArray(), "x unchanged by the step");
    assertArrayEquals(x0, g.grad(m.a).toDoubleArray(), "the graph's gradient unchanged by the step");
  }

  @Test
  void productsOfAValueWithItself() {
    Squares m = new Squares();
    Tensor x = ramp(BIG, -3, 4.5f);
    double[] xs = x.toDoubleArray();
    ModuleGraph g = m.apply(x);
    List<double[]> values = new ArrayList<>();
    for (Node node : g.nodes()) {
      values.add(node.value().toDoubleArray());
    }
    for (int sweep = 0; sweep < 2; sweep++) {
      g.back();
      double[] gx = g.grad(m.input("x")).toDoubleArray();
      for (int i = 0; i < xs.length; i++) {
        assertEquals(4 * xs[i], gx[i], 0, "grad x at " + i); // (x + x) + (x + x), exact in float
      }
    }
    for (int i = 0; i < values.size(); i++) {
      assertArrayEquals(values.get(i), g.nodes().get(i).value().toDoubleArray(), "value of node " + i);
    }
  }

  @Test
  void seedFunctionOnALargeVector() {
    SumOfF f = new SumOfF(0.75f);
    Tensor x = ramp(BIG, -1, 2.5f);
    double[] xs = x.toDoubleArray();
    ModuleGraph g = f.apply(x);
    g.back();
    check(xs, 0.75, g, f);
    List<Node> nodes = g.nodes();
    List<double[]> values = new ArrayList<>();
    for (Node node : nodes) {
      values.add(node.value().toDoubleArray());
    }
    g.back();
    check(xs, 0.75, g, f);
    for (int i = 0; i < nodes.size(); i++) {
      assertArrayEquals(values.get(i), nodes.get(i).value().toDoubleArray(), "value of node " + i);
    }
    assertArrayEquals(xs, x.toDoubleArray(), "x unchanged");
  }

  @Test
  void largeGraphsFromSeveralThreadsAtOnce() throws Exception {
    SumOfF f = new SumOfF(-0.5f);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        float start = -1 + t;
        runs.add(pool.submit(() -> {
          Tensor x = ramp(BIG, start, 1.5f);
          double[] xs = x.toDoubleArray();
          for (int r = 0; r < 3; r++) {
            ModuleGraph g = f.apply(x);
            g.back();
            check(xs, -0.5, g, f);
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** value sum((x + w) x^2), d/dx = 3x^2 + 2wx, d/dw = sum(x^2), against float64 (relative 1e-5). */
  private static void check(double[] xs, double w, ModuleGraph g, SumOfF f) {
    double value = 0;
    double gw = 0;
    for (double x : xs) {
      value += (x + w) * x * x;
      gw += x * x;
    }
    assertEquals(value, g.value().item(), 1e-5 * Math.abs(value), "value");
    assertEquals(gw, g.grad(f.w).item(), 1e-5 * gw, "grad w");
    double[] gx = g.grad(f.input("x")).toDoubleArray();
    for (int i = 0; i < xs.length; i++) {
      double want = 3 * xs[i] * xs[i] + 2 * w * xs[i];
      assertEquals(want, gx[i], 1e-5 * Math.max(1, Math.abs(want)), "grad x at " + i);
    }
    assertArrayEquals(gx, g.grad(f.input("x")).toDoubleArray(), "grad x read twice");
  }
}
