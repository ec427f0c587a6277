package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class SequentialTest {
  @Test
  void mixedLayersRunInOrderAndNameTheirParameters() {
    Random rng = new Random(1);
    Linear a = new Linear(rng, F64, 12, 5);
    Linear b = new Linear(rng, F64, 5, 2, false, Linear.InitKind.XAVIER);
    Sequential seq = new Sequential(new Flatten(), a, b);
    assertEquals(List.of("layers.1.weight", "layers.1.bias", "layers.2.weight"),
        List.copyOf(seq.namedParameters().keySet()));
    Tensor x = randn(rng, 2, 3, 4);
    Tensor flat = x.reshape(2, 12);
    Tensor expected = b.apply(a.apply(flat).value()).value();
    assertClose(seq.apply(x).value(), expected.toDoubleArray(), new int[] {2, 2}, 1e-12);
  }

  @Test
  void gradientsReachEveryLayer() {
    Random rng = new Random(2);
    Linear a = new Linear(rng, F64, 3, 4);
    Linear b = new Linear(rng, F64, 4, 2);
    Sequential seq = new Sequential(List.of(a, b));
    ModuleGraph g = seq.apply(randn(rng, 5, 3));
    g.back(Tensor.ones(F64, 5, 2));
    for (String p : seq.namedParameters().keySet()) {
      double norm = 0;
      for (double v : g.grad(seq.param(p)).toDoubleArray()) {
        norm += v * v;
      }
      assertTrue(norm > 0, p + " got no gradient");
    }
  }

  @Test
  void nestedSequentialsAndSharedLayers() {
    Random rng = new Random(3);
    Linear shared = new Linear(rng, F64, 3, 3);
    Sequential inner = new Sequential(shared, shared);
    Sequential outer = new Sequential(inner, new Flatten());
    assertEquals(List.of("layers.0.layers.0.weight", "layers.0.layers.0.bias"),
        List.copyOf(outer.namedParameters().keySet()));
    Tensor x = randn(rng, 2, 3);
    Tensor twice = shared.apply(shared.apply(x).value()).value();
    assertClose(outer.apply(x).value(), twice.toDoubleArray(), new int[] {2, 3}, 1e-12);
  }

  @Test
  void badLayerListsAreClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> new Sequential());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(new Flatten(), null));
    assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
  }

  @Test
  void flattenKeepsTheLeadingAxes() {
    Random rng = new Random(4);
    Tensor x = randn(rng, 2, 3, 0, 5);
    assertArrayEquals(new int[] {2, 0}, new Flatten().apply(x).value().shape());
    assertArrayEquals(new int[] {2, 3, 0}, new Flatten(2).apply(x).value().shape());
    assertArrayEquals(new int[] {1}, new Flatten(0).apply(Tensor.of(3.0)).value().shape());
    Tensor y = randn(rng, 1, 2, 2);
    assertClose(new Flatten().apply(y).value(), y.toDoubleArray(), new int[] {1, 4}, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Flatten(3).apply(randn(rng, 2, 2)));
    assertTrue(e.getMessage().contains("rank >= 3"), e.getMessage());
  }

  @Test
  void activationsAreTheBuiltinFunctions() {
    Tensor x = randn(new Random(5), 3, 4);
    double[] xs = x.toDoubleArray();
    java.util.Map<Activation, java.util.function.DoubleUnaryOperator> expected = java.util.Map.of(
        Activation.relu(), v -> Math.max(v, 0), Activation.tanh(), Math::tanh,
        Activation.sigmoid(), v -> 1 / (1 + Math.exp(-v)),
        Activation.silu(), v -> v / (1 + Math.exp(-v)),
        Activation.gelu(), v -> v * zkynet.Builtins.erf(Tensor.of(v / Math.sqrt(2), F64)).item() / 2
            + v / 2);
    assertEquals(Activation.Kind.values().length, expected.size());
    expected.forEach((act, f) -> {
      double[] want = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        want[i] = f.applyAsDouble(xs[i]);
      }
      assertClose(act.apply(x).value(), want, new int[] {3, 4}, 1e-12);
    });
    Random rng = new Random(6);
    Linear a = new Linear(rng, F64, 4, 3);
    Sequential mlp = new Sequential(a, Activation.relu());
    double[] lin = a.apply(x).value().toDoubleArray();
    for (int i = 0; i < lin.length; i++) {
      lin[i] = Math.max(lin[i], 0);
    }
    assertClose(mlp.apply(x).value(), lin, new int[] {3, 3}, 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new Activation(null));
  }
}
