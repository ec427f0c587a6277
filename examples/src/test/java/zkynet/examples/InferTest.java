package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Tensor;
import zkynet.examples.digits.Mlp;
import zkynet.examples.digits.OptDigits;
import zkynet.train.Dataset;

/**
 * {@code infer} gives exactly {@code apply(...).value()} on the seed's models, the four composites,
 * a list of sub-modules and the digits MLP over the whole test set.
 */
class InferTest {
  /**
   * The seed's custom operators: softplus, swish and quadratic fuse into one loop each, gap calls
   * softplus and swish.
   */
  @Module
  static class Activated extends Zk_InferTest_Activated {
    Node call(Node x) {
      return ActivationsOps.quadratic(ActivationsOps.gap(ActivationsOps.swish(
          ActivationsOps.softplus(x))), 0.5, -2);
    }
  }

  private static void assertSame(ModuleGraph graph, Tensor inferred) {
    assertArrayEquals(graph.value().shape(), inferred.shape());
    assertEquals(graph.value().dtype(), inferred.dtype());
    assertArrayEquals(graph.value().toDoubleArray(), inferred.toDoubleArray(), 0.0);
    assertFalse(CallSession.active());
  }

  @Test
  void simpleModel() {
    SimpleModel m = new SimpleModel(1);
    assertEquals(36.0, m.infer(3.0).item(), 1e-9);
    assertSame(m.apply(3.0), m.infer(3.0));
    double[] v = {3, 4, 5};
    assertArrayEquals(new double[] {36, 80, 150}, m.infer(v).toDoubleArray(), 1e-9);
    assertSame(m.apply(v), m.infer(v));
  }

  @Test
  void compositeModels() {
    double[] x = {3, -4, 0.5};
    double[] y = {1, 2, -3};
    CompositeNoSharing none = new CompositeNoSharing(1, 2);
    assertEquals(36 + 96, none.infer(3, 4).item(), 1e-6);
    assertSame(none.apply(x, y), none.infer(x, y));
    CompositeWeightSharing weights = new CompositeWeightSharing(1);
    assertEquals(36 + 80, weights.infer(3, 4).item(), 1e-6);
    assertSame(weights.apply(x, y), weights.infer(x, y));
    CompositeInputSharing inputs = new CompositeInputSharing(1, 2);
    assertEquals(36 + 45, inputs.infer(3).item(), 1e-6);
    assertSame(inputs.apply(x), inputs.infer(x));
    CompositeWeightAndInputSharing both = new CompositeWeightAndInputSharing(1);
    assertEquals(72, both.infer(3).item(), 1e-6);
    assertSame(both.apply(x), both.infer(x));
  }

  @Test
  void customOperatorsFusedOrCallingOthers() {
    Activated m = new Activated();
    Tensor x = Tensor.of(new double[] {-3, -0.5, 0, 0.25, 2, 7}, DType.FLOAT32, 2, 3);
    assertSame(m.apply(x), m.infer(x));
    Tensor x64 = x.to(DType.FLOAT64);
    Tensor expected = Activations.quadratic(Activations.gap(Activations.swish(
        Activations.softplus(x64))), 0.5, -2);
    assertArrayEquals(expected.toDoubleArray(), m.infer(x64).toDoubleArray(), 1e-12);
  }

  @Test
  void listOfSubmodules() {
    Chain chain = new Chain(0.5, -1, 0.25);
    Tensor x = Tensor.of(new double[] {0.3, -0.2, 0.9}, DType.FLOAT32, 3);
    double expected = 0.9;
    for (double w : new double[] {0.5, -1, 0.25}) {
      expected = (expected + w) * expected * expected;
    }
    assertEquals(expected, chain.infer(x).toDoubleArray()[2], 1e-6);
    assertSame(chain.apply(x), chain.infer(x));
    assertSame(new Chain().apply(x), new Chain().infer(x)); // no stages: the input itself
  }

  @Test
  void digitsMlpOverTheTestSet() {
    Mlp mlp = new Mlp(new Random(7), DType.FLOAT32, 64, 32, 10);
    Dataset test = OptDigits.test(DType.FLOAT32);
    Tensor logits = mlp.infer(test.features());
    assertArrayEquals(new int[] {1797, 10}, logits.shape());
    assertSame(mlp.apply(test.features()), logits);
  }
}
