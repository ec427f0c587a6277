package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.relu;
import static zkynet.BuiltinsOps.softmaxCrossEntropy;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.tanh;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import zkynet.autodiff.RuleProbe;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Labels;

/**
 * A reverse sweep computes only the gradients someone can read. Counted, not timed: every rule of
 * the table that runs during {@code back()} is observed by name, so constants and inputs that need no
 * gradient are shown to cost nothing.
 */
class NeededGradientsTest {
  /** {@code sum(tanh(1.01 * y + 0.1))} applied {@code steps} times, built from built-in operators. */
  @Module
  static class TanhChain extends Zk_NeededGradientsTest_TanhChain {
    final int steps;

    TanhChain(int steps) {
      this.steps = steps;
    }

    Node call(Node y) {
      Node h = y;
      for (int i = 0; i < steps; i++) {
        h = tanh(add(mult(constant(1.01, y), h), constant(0.1, y)));
      }
      return sum(h);
    }

    private static Operand constant(double v, Node like) {
      return Operand.constant(Tensor.of(v, like.value().dtype()));
    }
  }

  /** x w1 + b1, relu, w2 + b2: two matrix products forward. */
  @Module
  static class TwoLayers extends Zk_NeededGradientsTest_TwoLayers {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;

    TwoLayers(Random rng) {
      w1 = parameter(random(rng, 4, 5));
      b1 = parameter(random(rng, 5));
      w2 = parameter(random(rng, 5, 3));
      b2 = parameter(random(rng, 3));
    }

    Node call(Node x) {
      return add(matmul(relu(add(matmul(x, w1), b1)), w2), b2);
    }
  }

  /** The same loss as {@link CrossEntropyLoss} but with nothing marked: the data gets a gradient. */
  @Module
  static class UnmarkedLoss extends Zk_NeededGradientsTest_UnmarkedLoss {
    final TwoLayers model;

    UnmarkedLoss(TwoLayers model) {
      this.model = model;
    }

    Node call(Node x, Node labels) {
      return softmaxCrossEntropy(model.apply(x), Labels.toInts(labels.value()));
    }
  }

  static Tensor random(Random rng, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
    }
    return Tensor.of(v, DType.FLOAT64, shape);
  }

  /** The rules that ran during {@code sweep}, by name, with how often. */
  static Map<String, Integer> rulesRunBy(Runnable sweep) {
    Map<String, Integer> counts = new TreeMap<>();
    RuleProbe.observe(rule -> counts.merge(rule, 1, Integer::sum));
    try {
      sweep.run();
    } finally {
      RuleProbe.observe(null);
    }
    return counts;
  }

  @Test
  void constantsOfAChainCostNoRule() {
    int steps = 5;
    TanhChain chain = new TanhChain(steps);
    ModuleGraph g = chain.apply(Tensor.of(new double[] {0.3, -0.2}, DType.FLOAT64, 2));
    Map<String, Integer> rules = rulesRunBy(g::back);
    // Per step: tanh, the add's first input (the product), the mult's second input (h). Nothing for
    // the constants 1.01 (mulWrtSelf) and 0.1 (addWrtOther).
    assertEquals(Map.of("sumWrtSelf", 1, "tanhWrtSelf", steps, "addWrtSelf", steps,
        "mulWrtOther", steps), rules);
    // and the gradient is right: d/dy of one step is 1.01 (1 - tanh^2(1.01 y + 0.1)), chained
    double[] y = {0.3, -0.2};
    double[] want = new double[2];
    for (int i = 0; i < 2; i++) {
      double h = y[i];
      double d = 1;
      for (int s = 0; s < steps; s++) {
        double t = Math.tanh(1.01 * h + 0.1);
        d *= 1.01 * (1 - t * t);
        h = t;
      }
      want[i] = d;
    }
    assertArrayEquals(want, g.grad(chain.input("y")).toDoubleArray(), 1e-12);
    for (Node n : g.nodes()) {
      if (n instanceof InputNode in && in.kind() == InputNode.Kind.CONSTANT) {
        assertFalse(g.hasGradient(n));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.grad(n));
        assertTrue(e.getMessage().contains("constants never get one"), e.getMessage());
      }
    }
  }

  @Test
  void aTrainingStepWithTheBatchMarkedRunsNoMatrixProductForIt() {
    TwoLayers model = new TwoLayers(new Random(5));
    Tensor x = random(new Random(6), 8, 4);
    Tensor labels = Labels.tensor(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, DType.FLOAT64);

    ModuleGraph marked = new CrossEntropyLoss(model).apply(x, labels);
    Map<String, Integer> rules = rulesRunBy(marked::back);
    // dW2, dW1 (wrt other) and dH (wrt self, for the hidden layer); no dX.
    assertEquals(2, rules.get("matmulWrtOther"));
    assertEquals(1, rules.get("matmulWrtSelf"));

    ModuleGraph unmarked = new UnmarkedLoss(model).apply(x, labels);
    Map<String, Integer> all = rulesRunBy(unmarked::back);
    assertEquals(2, all.get("matmulWrtOther"));
    assertEquals(2, all.get("matmulWrtSelf"));

    // Skipping dX changes no parameter's gradient.
    for (Parameter p : model.parameters()) {
      assertArrayEquals(unmarked.grad(p).toDoubleArray(), marked.grad(p).toDoubleArray(), 0,
          p.name());
    }
  }

  @Test
  void backParametersTreatsEveryInputAsData() {
    TwoLayers model = new TwoLayers(new Random(5));
    Tensor x = random(new Random(6), 8, 4);
    Tensor labels = Labels.tensor(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, DType.FLOAT64);
    UnmarkedLoss loss = new UnmarkedLoss(model);
    ModuleGraph all = loss.apply(x, labels);
    all.back();
    ModuleGraph params = loss.apply(x, labels);
    Map<String, Integer> rules = rulesRunBy(params::backParameters);
    assertEquals(2, rules.get("matmulWrtOther"));
    assertEquals(1, rules.get("matmulWrtSelf"), "no d loss / d x for the unmarked data: " + rules);
    for (Parameter p : model.parameters()) {
      assertArrayEquals(all.grad(p).toDoubleArray(), params.grad(p).toDoubleArray(), 0, p.name());
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> params.grad(loss.input("x")));
    assertTrue(e.getMessage().contains("backParameters() computed the parameters' gradients only"),
        e.getMessage());
    // back() afterwards computes the input's gradient again
    params.back();
    assertArrayEquals(all.grad(loss.input("x")).toDoubleArray(),
        params.grad(loss.input("x")).toDoubleArray(), 0);
  }

  @Test
  void aTrainerStepThroughAnUnmarkedUserLossRunsNoMatrixProductForTheData() {
    TwoLayers model = new TwoLayers(new Random(5));
    Tensor x = random(new Random(6), 8, 4);
    zkynet.train.Dataset data = new zkynet.train.Dataset(x, new int[] {0, 1, 2, 0, 1, 2, 0, 1});
    UnmarkedLoss loss = new UnmarkedLoss(model);
    Tensor w1 = model.w1.value();
    zkynet.train.Trainer trainer = new zkynet.train.Trainer(new zkynet.train.Sgd(model, 0.1))
        .batchSize(4).epochs(1);
    Map<String, Integer> rules = rulesRunBy(() ->
        trainer.fit(data, b -> loss.apply(b.x(), b.labelTensor())));
    // Two batches: per batch dW2, dW1 and dH; never dX.
    assertEquals(4, rules.get("matmulWrtOther"), rules.toString());
    assertEquals(2, rules.get("matmulWrtSelf"), rules.toString());
    assertFalse(w1.allClose(model.w1.value(), 0, 0, false), "the steps changed w1");
  }

  /** {@code sum(relu(x) * w)} with the data marked: relu(x) leads to no leaf needing a gradient. */
  @Module
  static class DataFeature extends Zk_NeededGradientsTest_DataFeature {
    final Parameter w = parameter(Tensor.of(new double[] {2, 3}, DType.FLOAT64, 2));

    Node call(@NoGrad Node x) {
      return sum(mult(relu(x), w));
    }
  }

  @Test
  void nodesLeadingOnlyToDataGetNoGradientAndAskingIsAnError() {
    DataFeature m = new DataFeature();
    ModuleGraph g = m.apply(Tensor.of(new double[] {-1, 4}, DType.FLOAT64, 2));
    Map<String, Integer> rules = rulesRunBy(g::back);
    assertEquals(Map.of("sumWrtSelf", 1, "mulWrtOther", 1), rules);
    assertArrayEquals(new double[] {0, 4}, g.grad(m.param("w")).toDoubleArray(), 0);
    Node reluOfData = g.nodes().stream().filter(n -> n.label().equals("relu")).findFirst().orElseThrow();
    assertFalse(g.hasGradient(reluOfData));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.grad(reluOfData));
    assertTrue(e.getMessage().contains("depends on no parameter and no input that needs a gradient"),
        e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> g.grad(m.input("x")));
    assertEquals(m.name() + ": no gradient was computed for input " + m.name() + ".x: it is declared "
        + "@NoGrad on the module's call method (call " + g.callId() + ")", e.getMessage());
    assertFalse(m.input("x").needsGrad());
  }
}
