package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mse;
import static zkynet.BuiltinsOps.indexAdd;
import static zkynet.BuiltinsOps.mulScalar;
import static zkynet.BuiltinsOps.pad;
import static zkynet.BuiltinsOps.reshape;
import static zkynet.BuiltinsOps.slice;
import static zkynet.BuiltinsOps.stopGradient;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.take;
import static zkynet.BuiltinsOps.tanh;
import static zkynet.BuiltinsOps.transpose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import zkynet.backend.Arena;
import zkynet.backend.jvm.ArrayPool;
import zkynet.train.Optimizer;
import zkynet.train.Sgd;

/**
 * {@link ModuleGraph#close()} against real values: with {@code zkynet.recycle.poison=true} (the
 * surefire setting) every array a closed graph gives back is filled with NaN, so a tensor that was
 * handed out and then recycled shows up here as NaN or as a changed value. Shapes are at least
 * {@link ArrayPool#MIN_LENGTH} elements so that recycling really happens; tests about recycling
 * assert that it did ({@link ArrayPool#given()} and {@link ArrayPool#reused()} grew).
 */
class GraphCloseTest {
  static final int BATCH = 64;
  static final int IN = 128;
  static final int HIDDEN = 128;
  static final int OUT = 64;

  /** {@code mse(tanh(x w1 + b1) w2 + b2, target)}; optionally keeps the hidden value read in call(). */
  @Module
  static class Net extends Zk_GraphCloseTest_Net {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;
    /** Has the wrong shape for the hidden layer: used instead of w2 when {@link #broken}. */
    final Parameter wBad;
    boolean keepHidden;
    boolean broken;
    /** The hidden value read in call() (a holder: a forward pass may not assign a field). */
    final AtomicReference<Tensor> hidden = new AtomicReference<>();

    Net(long seed, DType dtype) {
      Random rng = new Random(seed);
      w1 = parameter(Tensor.randn(rng, dtype, IN, HIDDEN).mul(1 / Math.sqrt(IN)));
      b1 = parameter(Tensor.randn(rng, dtype, HIDDEN).mul(0.1));
      w2 = parameter(Tensor.randn(rng, dtype, HIDDEN, OUT).mul(1 / Math.sqrt(HIDDEN)));
      b2 = parameter(Tensor.randn(rng, dtype, OUT).mul(0.1));
      wBad = parameter(Tensor.randn(rng, dtype, HIDDEN + 3, OUT));
    }

    Node call(Node x, @NoGrad Node target) {
      Node h = tanh(add(matmul(x, w1), b1));
      if (keepHidden) {
        hidden.set(h.value());
      }
      return mse(add(matmul(h, broken ? wBad : w2), b2), target);
    }
  }

  /** A sub-module applied with values inside the forward pass; records what closing its nested graph did. */
  @Module
  static class Outer extends Zk_GraphCloseTest_Outer {
    final Net net;
    final AtomicReference<RuntimeException> nestedClose = new AtomicReference<>();

    Outer(Net net) {
      this.net = net;
    }

    Node call(Node x, @NoGrad Node target) {
      ModuleGraph nested = net.applyValues(x, target);
      assertTrue(nested.nested());
      try {
        nested.close();
      } catch (RuntimeException e) {
        nestedClose.set(e);
      }
      return nested.root();
    }
  }

  /**
   * Operator results that share the memory of leaves: reshapes and a transpose of the input, of a
   * parameter and of a constant made by the Tensor API inside call() (so in this graph's arena,
   * and pinned only because closing pins every leaf first); {@code 1 * x}; stopGradient(x).
   */
  @Module
  static class Views extends Zk_GraphCloseTest_Views {
    final Parameter w;
    final AtomicReference<Tensor> constant = new AtomicReference<>();

    Views(long seed) {
      w = parameter(Tensor.randn(new Random(seed), DType.FLOAT32, IN, IN));
    }

    Node call(Node x) {
      Tensor made = Tensor.ones(DType.FLOAT32, BATCH, IN).mul(0.5).add(0.25); // kernels: arena-tagged
      constant.set(made);
      Node c = reshape(Operand.constant(made), new int[] {IN, BATCH});
      Node same = reshape(x, new int[] {BATCH, IN});
      Node flat = reshape(x, new int[] {IN, BATCH});
      Node one = mulScalar(x, 1.0);
      Node wt = transpose(w);
      Node wFlat = reshape(w, new int[] {IN * IN});
      Node a = matmul(add(add(same, one), stopGradient(x)), wt);
      Node ct = transpose(c);
      return add(add(sum(mulScalar(a, 1e-3)), sum(add(flat, transpose(ct)))),
          add(sum(wFlat), sum(ct)));
    }
  }

  /** Keeps the gradient tensor it was given (and a copy of its values at step time). */
  static final class KeepingSgd extends Optimizer {
    final Tensor[] kept;
    final double[][] copies;

    KeepingSgd(ModuleBase model, double lr) {
      super(model.namedParameters(), lr);
      kept = new Tensor[parameters().size()];
      copies = new double[parameters().size()][];
    }

    @Override
    protected Tensor update(int index, Tensor value, Tensor grad, double lr) {
      kept[index] = grad;
      copies[index] = grad.toDoubleArray();
      return value.sub(grad.mul(lr));
    }

    @Override
    protected Map<String, Double> hyperparameters() {
      return Map.of();
    }
  }

  static Tensor data(long seed, DType dtype, int... shape) {
    return Tensor.randn(new Random(seed), dtype, shape);
  }

  /** What one graph of {@link Net} gives: its value, its parameters' and input's gradients. */
  record Result(double[] value, double[][] paramGrads, double[] inputGrad) {
    static Result of(Net net, ModuleGraph g) {
      double[][] p = new double[net.parameters().size() - 1][];
      List<Parameter> ps = List.of(net.w1, net.b1, net.w2, net.b2);
      for (int i = 0; i < p.length; i++) {
        p[i] = g.grad(ps.get(i)).toDoubleArray();
      }
      return new Result(g.value().toDoubleArray(), p, g.grad(net.input("x")).toDoubleArray());
    }

    void assertSameAs(Result expected, String where) {
      assertArrayEquals(expected.value, value, 0, where + ": value");
      for (int i = 0; i < paramGrads.length; i++) {
        assertArrayEquals(expected.paramGrads[i], paramGrads[i], 0, where + ": gradient " + i);
      }
      assertArrayEquals(expected.inputGrad, inputGrad, 0, where + ": input gradient");
      assertNoNaN(inputGrad, where);
    }
  }

  /** The value and gradients of {@code net} at (x, t) from a graph that is never closed. */
  static Result reference(Net net, Tensor x, Tensor t) {
    ModuleGraph g = net.apply(x, t);
    g.back();
    return Result.of(net, g);
  }

  /** Data at {@code seed} and {@code seed + 1}, and what a fresh {@code Net(seed + 2)} gives there. */
  record Case(Tensor x, Tensor t, Result want) {
    static Case of(long seed, DType dtype) {
      Tensor x = data(seed, dtype, BATCH, IN);
      Tensor t = data(seed + 1, dtype, BATCH, OUT);
      return new Case(x, t, reference(new Net(seed + 2, dtype), x, t));
    }
  }

  static void assertNoNaN(double[] a, String what) {
    for (double v : a) {
      assertFalse(Double.isNaN(v), what + " holds NaN: recycled memory was read");
    }
  }

  /** {@code steps} SGD steps of {@code net}, each graph closed: memory the pool hands around. */
  static void churn(Net net, int steps, long seed) {
    Sgd sgd = new Sgd(net, 0.01);
    long reused = ArrayPool.reused();
    for (int s = 0; s < steps; s++) {
      DType dtype = net.w1.value().dtype();
      try (ModuleGraph g = net.apply(data(seed + 2 * s, dtype, BATCH, IN),
          data(seed + 2 * s + 1, dtype, BATCH, OUT))) {
        assertTrue(Double.isFinite(g.value().item()));
        g.backParameters();
        sgd.step(g);
      }
    }
    assertTrue(ArrayPool.reused() > reused, "the closed steps reused pooled arrays");
  }

  static OperatorNode operator(ModuleGraph g, String name, int index) {
    int seen = 0;
    for (Node n : g.nodes()) {
      if (n instanceof OperatorNode op && op.operator().equals(name) && seen++ == index) {
        return op;
      }
    }
    throw new AssertionError("no operator " + name + " #" + index + " in " + g);
  }

  @Test
  void valuesReadBeforeCloseStayValidAfterManyRecyclingSteps() {
    Net net = new Net(1, DType.FLOAT32);
    net.keepHidden = true;
    ModuleGraph g = net.apply(data(2, DType.FLOAT32, BATCH, IN), data(3, DType.FLOAT32, BATCH, OUT));
    Tensor value = g.value();
    OperatorNode out = operator(g, "matmul", 1); // h w2: [64, 64]
    Tensor outValue = out.value();
    g.back();
    Tensor gw1 = g.grad(net.w1);
    Tensor gw2 = g.grad(net.w2);
    Tensor gx = g.grad(net.input("x"));
    OperatorNode first = operator(g, "matmul", 0); // x w1: [64, 128]
    Tensor gFirst = g.grad(first);
    Tensor hidden = net.hidden.get();
    net.keepHidden = false;
    List<Tensor> kept = List.of(value, outValue, gw1, gw2, gx, gFirst, hidden);
    List<double[]> copies = kept.stream().map(Tensor::toDoubleArray).toList();
    for (Tensor t : kept) {
      assertTrue(t.size() == 1 || t.size() >= ArrayPool.MIN_LENGTH, "large enough to be pooled");
    }

    long given = ArrayPool.given();
    g.close();
    assertTrue(ArrayPool.given() > given, "closing gave the unread results back");
    churn(net, 20, 100);

    for (int i = 0; i < kept.size(); i++) {
      double[] now = kept.get(i).toDoubleArray();
      assertNoNaN(now, "kept tensor " + i);
      assertArrayEquals(copies.get(i), now, 0, "kept tensor " + i + " changed after close");
    }
  }

  @Test
  void gradientsOfAnEarlierSweepStayValidAfterASecondSweepAndTheClose() {
    Net net = new Net(13, DType.FLOAT32);
    ModuleGraph g = net.apply(data(14, DType.FLOAT32, BATCH, IN), data(15, DType.FLOAT32, BATCH, OUT));
    g.back();
    Tensor first = g.grad(net.w1);
    double[] copy = first.toDoubleArray();
    g.backParameters();
    Tensor second = g.grad(net.w1);
    assertArrayEquals(copy, second.toDoubleArray(), 0, "the same gradient from the second sweep");
    assertThrows(IllegalStateException.class, () -> g.grad(net.input("x")),
        "backParameters() computed no input gradient");
    long given = ArrayPool.given();
    g.close();
    assertTrue(ArrayPool.given() > given);
    churn(net, 10, 700);
    assertArrayEquals(copy, first.toDoubleArray(), 0, "the first sweep's gradient");
    assertArrayEquals(copy, second.toDoubleArray(), 0, "the second sweep's gradient");
  }

  /** The value of {@code p}'s leaf in {@code g} (pinned: read through the node). */
  static Tensor leafValue(ModuleGraph g, Parameter p) {
    for (Node n : g.nodes()) {
      if (n instanceof InputNode in && in.slot() == p) {
        return n.value();
      }
    }
    throw new AssertionError(p.name() + " is no leaf of " + g);
  }

  @Test
  void anOpenGraphKeepsTheParameterValuesItReadWhileStepsReplaceThem() {
    Net net = new Net(110, DType.FLOAT32);
    Net twin = new Net(110, DType.FLOAT32);
    // The parameters become values an optimizer step made (recyclable once replaced), the same
    // bits in both nets.
    churn(net, 3, 800);
    churn(twin, 3, 800);
    Tensor x = data(111, DType.FLOAT32, BATCH, IN);
    Tensor t = data(112, DType.FLOAT32, BATCH, OUT);
    Result want = reference(twin, x, t);
    ModuleGraph open = net.apply(x, t); // reads the values of step 3, which the steps below replace
    churn(net, 10, 850);
    open.back(); // its sweep reads w1 and w2 again (the matmuls' gradients)
    Result.of(net, open).assertSameAs(want, "a graph opened before ten more steps");
    open.close();
    churn(net, 3, 900);
    // Inference reads the current values as a recording call does.
    Tensor inferred = net.inferValues(x, t);
    try (ModuleGraph g = net.apply(x, t)) {
      assertEquals(g.value().item(), inferred.item(), 0);
    }
  }

  @Test
  void viewsOfParameterValuesAndValuesReadFromParametersOutliveLaterSteps() {
    Views m = new Views(120);
    Tensor x = data(121, DType.FLOAT32, BATCH, IN);
    Sgd sgd = new Sgd(m, 1e-4);
    Runnable step = () -> {
      try (ModuleGraph g = m.apply(x)) {
        g.backParameters();
        sgd.step(g);
      }
    };
    step.run();
    step.run();
    Tensor w = m.w.value(); // a value step 2 made
    double[] wCopy = w.toDoubleArray();
    ModuleGraph g = m.apply(x);
    Tensor wt = operator(g, "transpose", 0).value(); // a view of the same value
    double[] wtCopy = wt.toDoubleArray();
    g.close();
    for (int k = 0; k < 5; k++) {
      step.run();
    }
    assertFalse(Arrays.equals(wCopy, m.w.value().toDoubleArray()), "the steps changed w");
    assertArrayEquals(wCopy, w.toDoubleArray(), 0, "w read before the steps");
    assertArrayEquals(wtCopy, wt.toDoubleArray(), 0, "transpose(w) read before the steps");
  }

  @Test
  void graphsRecordedWhileAnotherThreadTrainsSeeWholeParameterValues() throws Exception {
    Net net = new Net(130, DType.FLOAT32);
    int sets = 4;
    Tensor[] xs = new Tensor[sets];
    Tensor[] ts = new Tensor[sets];
    for (int i = 0; i < sets; i++) {
      xs[i] = data(131 + 2 * i, DType.FLOAT32, BATCH, IN);
      ts[i] = data(132 + 2 * i, DType.FLOAT32, BATCH, OUT);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> trainer = pool.submit(() -> churn(net, 40, 1000));
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int first = r;
        readers.add(pool.submit(() -> {
          Net probe = new Net(0, DType.FLOAT32);
          List<Parameter> ps = List.of(net.w1, net.b1, net.w2, net.b2);
          List<Parameter> qs = List.of(probe.w1, probe.b1, probe.w2, probe.b2);
          int checked = 0;
          for (int k = first; !trainer.isDone() || checked < 5; k++) {
            int i = k % sets;
            Result got;
            try (ModuleGraph g = net.apply(xs[i], ts[i])) {
              g.back();
              got = Result.of(net, g);
              for (int j = 0; j < ps.size(); j++) { // the values this graph read, as they are now
                qs.get(j).set(leafValue(g, ps.get(j)));
              }
            }
            // The same computation from those values, in a graph of another module.
            try (ModuleGraph again = probe.apply(xs[i], ts[i])) {
              again.back();
              got.assertSameAs(Result.of(probe, again), "reader " + first + ", graph " + checked);
            }
            checked++;
          }
          return checked;
        }));
      }
      trainer.get();
      for (Future<Integer> f : readers) {
        assertTrue(f.get() >= 5);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyAccessorOfAClosedGraphIsAnErrorNamingTheCall() {
    Net net = new Net(4, DType.FLOAT32);
    ModuleGraph g = net.apply(data(5, DType.FLOAT32, BATCH, IN), data(6, DType.FLOAT32, BATCH, OUT));
    g.back();
    OperatorNode inner = operator(g, "tanh", 0);
    Node root = g.root();
    Node leaf = g.nodes().get(0);
    assertFalse(g.closed());
    long given = ArrayPool.given();
    g.close();
    assertTrue(g.closed());
    assertTrue(ArrayPool.given() > given, "closing gave arrays back");

    String call = "call " + g.callId();
    List<Executable> uses = List.of(g::value, () -> g.grad(net.w1), () -> g.grad(net.input("x")),
        () -> g.grad(inner), g::back, g::backParameters, () -> g.back(Tensor.of(1.0, DType.FLOAT32)),
        g::nodes, () -> g.hasGradient(inner), g::hasGradients, inner::value, root::value, leaf::value);
    for (int i = 0; i < uses.size(); i++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, uses.get(i), "use " + i);
      assertTrue(e.getMessage().contains(call) && e.getMessage().contains("closed"),
          "use " + i + ": " + e.getMessage());
    }
    assertArrayEquals(new int[] {BATCH, HIDDEN}, inner.shape());
    assertEquals(DType.FLOAT32, inner.dtype());
    assertArrayEquals(new int[] {}, root.shape());
    assertTrue(g.toString().contains("closed"), g.toString());
    double[] w1 = net.w1.value().toDoubleArray();
    Sgd sgd = new Sgd(net, 0.1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(g));
    assertTrue(e.getMessage().contains(call) && e.getMessage().contains("closed"), e.getMessage());
    assertEquals(0, sgd.steps());
    assertArrayEquals(w1, net.w1.value().toDoubleArray(), 0, "a refused step changed nothing");

    given = ArrayPool.given();
    g.close(); // a no-op
    assertTrue(g.closed());
    assertEquals(given, ArrayPool.given());
  }

  @Test
  void closingANestedGraphIsAnErrorAndLeavesTheOuterGraphWhole() {
    Net net = new Net(7, DType.FLOAT32);
    Outer outer = new Outer(net);
    Tensor x = data(8, DType.FLOAT32, BATCH, IN);
    Tensor t = data(9, DType.FLOAT32, BATCH, OUT);
    Result want = reference(new Net(7, DType.FLOAT32), x, t);
    ModuleGraph g = outer.apply(x, t);
    RuntimeException nestedClose = outer.nestedClose.get();
    assertNotNull(nestedClose, "closing the nested graph must fail");
    assertTrue(nestedClose instanceof IllegalStateException, nestedClose.toString());
    assertTrue(nestedClose.getMessage().contains("close()"), nestedClose.getMessage());
    g.back();
    assertArrayEquals(want.value(), g.value().toDoubleArray(), 0);
    assertArrayEquals(want.paramGrads()[0], g.grad(net.w1).toDoubleArray(), 0);
    assertArrayEquals(want.inputGrad(), g.grad(outer.input("x")).toDoubleArray(), 0);
    g.close();
    assertTrue(g.closed());
  }

  @Test
  void aGradientKeptByAnOptimizerOfAnotherPackageSurvivesTheClose() {
    Net net = new Net(10, DType.FLOAT32);
    KeepingSgd keeping = new KeepingSgd(net, 0.01);
    long given = ArrayPool.given();
    try (ModuleGraph g = net.apply(data(11, DType.FLOAT32, BATCH, IN), data(12, DType.FLOAT32, BATCH, OUT))) {
      g.backParameters();
      keeping.step(g);
    }
    assertTrue(ArrayPool.given() > given, "the close recycled what the optimizer did not keep");
    int w1 = net.parameters().indexOf(net.w1);
    assertTrue(keeping.kept[w1].size() >= ArrayPool.MIN_LENGTH);
    churn(net, 20, 200);
    for (int i = 0; i < keeping.kept.length; i++) {
      if (keeping.kept[i] == null) {
        assertSame(net.wBad, net.parameters().get(i), "only the unused parameter has no gradient");
        continue;
      }
      double[] now = keeping.kept[i].toDoubleArray();
      assertNoNaN(now, "kept gradient " + i);
      assertArrayEquals(keeping.copies[i], now, 0, "kept gradient " + i + " changed");
    }
  }

  @Test
  void twoOpenGraphsOnOneThreadCloseIndependently() {
    Tensor xa = data(20, DType.FLOAT32, BATCH, IN);
    Tensor ta = data(21, DType.FLOAT32, BATCH, OUT);
    Tensor xb = data(22, DType.FLOAT32, BATCH, IN);
    Tensor tb = data(23, DType.FLOAT32, BATCH, OUT);
    Net refNet = new Net(24, DType.FLOAT32);
    Result wantB = reference(refNet, xb, tb);
    ModuleGraph refB = refNet.apply(xb, tb);
    double[] refHidden = operator(refB, "tanh", 0).value().toDoubleArray();

    Net net = new Net(24, DType.FLOAT32);
    ModuleGraph a = net.apply(xa, ta);
    a.back();
    ModuleGraph b = net.apply(xb, tb);
    long given = ArrayPool.given();
    a.close();
    assertTrue(ArrayPool.given() > given);
    // A third graph takes A's arrays; B must not see them.
    try (ModuleGraph c = net.apply(xa, tb)) {
      c.back();
    }
    long reused = ArrayPool.reused();
    b.back();
    assertTrue(ArrayPool.reused() > reused, "B's sweep reused pooled arrays");
    Result.of(net, b).assertSameAs(wantB, "graph B");
    assertArrayEquals(refHidden, operator(b, "tanh", 0).value().toDoubleArray(), 0);
    b.close();
    assertTrue(a.closed() && b.closed());
  }

  @Test
  void aGraphRecordedOnOneThreadIsSweptAndClosedOnAnother() throws Exception {
    Case c = Case.of(25, DType.FLOAT32);
    Tensor x = c.x();
    Tensor t = c.t();
    Result want = c.want();
    Net same = new Net(27, DType.FLOAT32);
    ModuleGraph g = same.apply(x, t);
    OperatorNode hidden = operator(g, "tanh", 0);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Result got = other.submit(() -> {
        g.back();
        Result r = Result.of(same, g);
        long given = ArrayPool.given();
        g.close();
        assertTrue(ArrayPool.given() > given, "closed on another thread, the graph gave arrays back");
        return r;
      }).get();
      got.assertSameAs(want, "swept and closed on another thread");
    } finally {
      other.shutdownNow();
    }
    assertTrue(g.closed());
    assertThrows(IllegalStateException.class, hidden::value);
    long reused = ArrayPool.reused();
    try (ModuleGraph again = same.apply(x, t)) { // the recording thread reuses those arrays
      again.back();
      Result.of(same, again).assertSameAs(want, "after the other thread's close");
    }
    assertTrue(ArrayPool.reused() > reused);
  }

  @Test
  void fourThreadsShareOneModuleEachClosingItsOwnGraphs() throws Exception {
    int inputs = 6;
    Net net = new Net(30, DType.FLOAT32);
    Tensor[] xs = new Tensor[inputs];
    Tensor[] ts = new Tensor[inputs];
    Result[] want = new Result[inputs];
    for (int i = 0; i < inputs; i++) {
      xs[i] = data(31 + 2 * i, DType.FLOAT32, BATCH, IN);
      ts[i] = data(32 + 2 * i, DType.FLOAT32, BATCH, OUT);
      want[i] = reference(net, xs[i], ts[i]);
    }
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long reused = ArrayPool.reused();
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> done = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        long seed = k;
        done.add(pool.submit(() -> {
          List<Integer> order = new ArrayList<>();
          for (int round = 0; round < 3; round++) {
            for (int i = 0; i < inputs; i++) {
              order.add(i);
            }
          }
          Collections.shuffle(order, new Random(seed));
          start.await();
          int checked = 0;
          for (int j = 0; j + 1 < order.size(); j += 2) {
            int i1 = order.get(j);
            int i2 = order.get(j + 1);
            ModuleGraph g1 = net.apply(xs[i1], ts[i1]);
            ModuleGraph g2 = net.apply(xs[i2], ts[i2]);
            g1.back();
            Result.of(net, g1).assertSameAs(want[i1], "thread " + seed + ", input " + i1);
            g1.close();
            g2.back();
            Result.of(net, g2).assertSameAs(want[i2], "thread " + seed + ", input " + i2);
            g2.close();
            checked += 2;
          }
          return checked;
        }));
      }
      for (Future<Integer> f : done) {
        assertEquals(3 * inputs, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(ArrayPool.reused() > reused, "the threads reused pooled arrays");
  }

  @Test
  void resultsThatAreViewsOfLeavesAreNeverRecycled() {
    Views m = new Views(40);
    Tensor x = data(41, DType.FLOAT32, BATCH, IN);
    double[] xCopy = x.toDoubleArray();
    double[] wCopy = m.w.value().toDoubleArray();
    ModuleGraph g = m.apply(x);
    double value = g.value().item();
    g.back();
    double[] gx = g.grad(m.input("x")).toDoubleArray();
    double[] gw = g.grad(m.w).toDoubleArray();
    Tensor constant = m.constant.get();
    double[] constantCopy = constant.toDoubleArray();
    long given = ArrayPool.given();
    g.close();
    assertTrue(ArrayPool.given() > given, "the close recycled the results that are not views");
    churn(new Net(42, DType.FLOAT32), 5, 300);

    assertArrayEquals(xCopy, x.toDoubleArray(), 0, "the input");
    assertArrayEquals(wCopy, m.w.value().toDoubleArray(), 0, "the parameter");
    assertArrayEquals(constantCopy, constant.toDoubleArray(), 0, "the constant made in call()");
    // The leaves are still good inputs: the same call gives the same value and gradients.
    try (ModuleGraph again = m.apply(x)) {
      assertEquals(value, again.value().item(), 0);
      again.back();
      assertArrayEquals(gx, again.grad(m.input("x")).toDoubleArray(), 0);
      assertArrayEquals(gw, again.grad(m.w).toDoubleArray(), 0);
    }
    assertNoNaN(gx, "input gradient");
  }

  @Test
  void aForwardPassThatFailsMidwayLeavesTheNextCallAndCloseRight() {
    Case c = Case.of(50, DType.FLOAT32);
    Tensor x = c.x();
    Tensor t = c.t();
    Result want = c.want();
    Net net = new Net(52, DType.FLOAT32);
    churn(new Net(53, DType.FLOAT32), 2, 400); // the pool holds arrays of these shapes
    net.broken = true;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.apply(x, t));
    assertTrue(e.getMessage().contains("matmul"), e.getMessage());
    assertNull(Arena.current(), "the failed call left its arena current");
    net.broken = false;
    long reused = ArrayPool.reused();
    for (int k = 0; k < 3; k++) {
      try (ModuleGraph g = net.apply(x, t)) {
        g.back();
        Result.of(net, g).assertSameAs(want, "call " + k + " after the failure");
      }
    }
    assertTrue(ArrayPool.reused() > reused);
    assertNull(Arena.current());
  }

  /** sum(tanh(2 x)): one input, no parameter. */
  @Module
  static class Squash extends Zk_GraphCloseTest_Squash {
    Node call(Node x) {
      return sum(tanh(mulScalar(x, 2.0)));
    }
  }

  /** tanh(x); keeps a cotangent it made with the Tensor API inside call(), i.e. in the graph's arena. */
  @Module
  static class Seeded extends Zk_GraphCloseTest_Seeded {
    final AtomicReference<Tensor> cotangent = new AtomicReference<>();

    Node call(Node x) {
      cotangent.set(Tensor.zeros(DType.FLOAT32, x.shape()).add(0.5));
      return tanh(x);
    }
  }

  @Test
  void aCotangentGivenToBackIsTheCallersAndIsNotRecycled() {
    Seeded m = new Seeded();
    Tensor x = data(80, DType.FLOAT32, BATCH, IN);
    ModuleGraph g = m.apply(x);
    Tensor cotangent = m.cotangent.get();
    assertTrue(cotangent.size() >= ArrayPool.MIN_LENGTH);
    g.back(cotangent);
    double[] gx = g.grad(m.input("x")).toDoubleArray();
    double[] y = g.value().toDoubleArray();
    for (int i = 0; i < gx.length; i++) {
      assertEquals(0.5 * (1 - y[i] * y[i]), gx[i], 1e-6);
    }
    g.close();
    double[] now = cotangent.toDoubleArray();
    assertNoNaN(now, "the caller's cotangent after close");
    assertTrue(Arrays.stream(now).allMatch(v -> v == 0.5), "the caller's cotangent changed");
  }

  /** Kernels that write part of their result or accumulate into it: pad, take and indexAdd (and their backwards). */
  @Module
  static class Scatter extends Zk_GraphCloseTest_Scatter {
    static final int[] PICK = IntStream.range(0, 96).map(i -> (i * 7) % BATCH).toArray();
    static final int[] SPREAD = IntStream.range(0, BATCH).map(i -> (i * 5) % 80).toArray();

    Node call(Node x) {
      Node padded = tanh(pad(slice(x, 1, 0, 100), 1, 3, 5)); // [64, 108]
      Node picked = tanh(take(x, PICK, 0)); // [96, 128], rows repeated: its backward accumulates
      Node spread = tanh(indexAdd(x, SPREAD, 0, 80)); // [80, 128], rows summed
      return add(add(sum(padded), sum(picked)), sum(spread));
    }
  }

  @Test
  void recycledArraysAreZeroedForKernelsThatWritePartOfTheirResult() {
    Scatter m = new Scatter();
    Tensor x = data(90, DType.FLOAT32, BATCH, IN);
    ModuleGraph ref = m.apply(x);
    ref.back();
    double want = ref.value().item();
    double[] wantGrad = ref.grad(m.input("x")).toDoubleArray();
    for (int k = 0; k < 2; k++) { // fills the pool with poisoned arrays of exactly these lengths
      try (ModuleGraph g = m.apply(data(91 + k, DType.FLOAT32, BATCH, IN))) {
        g.back();
      }
    }
    long reused = ArrayPool.reused();
    try (ModuleGraph g = m.apply(x)) {
      g.back();
      assertEquals(want, g.value().item(), 0);
      double[] got = g.grad(m.input("x")).toDoubleArray();
      assertNoNaN(got, "the gradient on recycled arrays");
      assertArrayEquals(wantGrad, got, 0);
    }
    assertTrue(ArrayPool.reused() - reused >= 6, "forward and backward results came from the pool");
  }

  @Test
  void anEmptyBatchClosesCleanly() {
    Squash m = new Squash();
    Tensor x = Tensor.zeros(DType.FLOAT32, 0, 4096);
    ModuleGraph g = m.apply(x);
    assertEquals(0.0, g.value().item(), 0);
    g.back();
    assertArrayEquals(new int[] {0, 4096}, g.grad(m.input("x")).shape());
    g.close();
    assertThrows(IllegalStateException.class, g::value);
    try (ModuleGraph again = m.apply(Tensor.zeros(DType.FLOAT32, 0, 4096))) {
      assertEquals(0.0, again.value().item(), 0);
    }
  }

  @Test
  void aFourMillionElementResultIsRecycledAndReusedWithRightValues() {
    Squash m = new Squash();
    Tensor x = data(60, DType.FLOAT32, 1024, 4096);
    double[] want;
    double wantValue;
    long given = ArrayPool.given();
    try (ModuleGraph g = m.apply(x)) {
      wantValue = g.value().item();
      g.back();
      want = g.grad(m.input("x")).toDoubleArray();
    }
    assertTrue(ArrayPool.given() > given);
    long reused = ArrayPool.reused();
    for (int k = 0; k < 2; k++) {
      try (ModuleGraph g = m.apply(x)) {
        assertEquals(wantValue, g.value().item(), 0);
        g.back();
        double[] got = g.grad(m.input("x")).toDoubleArray();
        assertArrayEquals(want, got, 0);
      }
    }
    assertTrue(ArrayPool.reused() > reused, "the 4M-element arrays came from the pool");
  }

  @Test
  void float64GraphsRecycleDoubleArraysWithRightValues() {
    Case c = Case.of(70, DType.FLOAT64);
    Tensor x = c.x();
    Tensor t = c.t();
    Result want = c.want();
    Net net = new Net(72, DType.FLOAT64);
    net.keepHidden = true;
    ModuleGraph g = net.apply(x, t);
    g.back();
    Result first = Result.of(net, g);
    Tensor hidden = net.hidden.get();
    double[] hiddenCopy = hidden.toDoubleArray();
    net.keepHidden = false;
    long given = ArrayPool.given();
    g.close();
    assertTrue(ArrayPool.given() > given);
    first.assertSameAs(want, "float64 first graph");
    long reused = ArrayPool.reused();
    try (ModuleGraph again = net.apply(x, t)) {
      again.back();
      Result.of(net, again).assertSameAs(want, "float64 graph on recycled arrays");
    }
    assertTrue(ArrayPool.reused() > reused, "double arrays came from the pool");
    churn(net, 3, 500);
    assertArrayEquals(hiddenCopy, hidden.toDoubleArray(), 0);
    assertEquals(DType.FLOAT64, hidden.dtype());
    assertTrue(Arrays.stream(hiddenCopy).allMatch(Double::isFinite));
  }
}
