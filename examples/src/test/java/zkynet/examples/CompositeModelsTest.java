package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import zkynet.InputNode;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.OperatorNode;
import zkynet.Tensor;

/**
 * The seed's four composite models. With f(x; w) = (x + w) x^2: df/dx = 3x^2 + 2wx, df/dw = x^2.
 * Gradients accumulate over every use of a shared weight or a shared input, in one flat graph.
 */
class CompositeModelsTest {
  private static final double TOL = 1e-4;

  @Test
  void noSharing() {
    CompositeNoSharing m = new CompositeNoSharing(1, 2);
    ModuleGraph r = m.apply(3, 4);
    assertEquals(36 + 96, r.value().item(), TOL);
    r.back();
    assertEquals(33, r.grad(m.input("x")).item(), TOL);
    assertEquals(48 + 16, r.grad(m.input("y")).item(), TOL);
    assertEquals(9, r.grad(m.param("m1.w")).item(), TOL);
    assertEquals(16, r.grad(m.param("m2.w")).item(), TOL);
    assertFlat(r, 2 + 2, 3 * 2 + 1);
  }

  @Test
  void weightSharingUsesBothRawValues() {
    CompositeWeightSharing m = new CompositeWeightSharing(1);
    ModuleGraph r = m.apply(3, 4);
    assertEquals(36 + 80, r.value().item(), TOL);
    r.back();
    assertEquals(9 + 16, r.grad(m.param("m.w")).item(), TOL);
    assertEquals(33, r.grad(m.input("x")).item(), TOL);
    assertEquals(56, r.grad(m.input("y")).item(), TOL);
    assertFlat(r, 2 + 1, 3 * 2 + 1);
  }

  @Test
  void inputSharing() {
    CompositeInputSharing m = new CompositeInputSharing(1, 2);
    ModuleGraph r = m.apply(3);
    assertEquals(36 + 45, r.value().item(), TOL);
    r.back();
    assertEquals(33 + 39, r.grad(m.input("x")).item(), TOL);
    assertEquals(9, r.grad(m.param("m1.w")).item(), TOL);
    assertEquals(9, r.grad(m.param("m2.w")).item(), TOL);
    assertFlat(r, 1 + 2, 3 * 2 + 1);
  }

  @Test
  void weightAndInputSharing() {
    CompositeWeightAndInputSharing m = new CompositeWeightAndInputSharing(1);
    ModuleGraph r = m.apply(3);
    assertEquals(72, r.value().item(), TOL);
    r.back();
    assertEquals(66, r.grad(m.input("x")).item(), TOL);
    assertEquals(18, r.grad(m.param("m.w")).item(), TOL);
    assertFlat(r, 1 + 1, 3 * 2 + 1);
    assertEquals(List.of("m.w"), List.copyOf(m.namedParameters().keySet()));
  }

  @Test
  void vectorInputsThroughComposites() {
    CompositeWeightSharing m = new CompositeWeightSharing(1);
    ModuleGraph r = m.apply(new double[] {3, 4, 5}, new double[] {1, 2, 3});
    r.back();
    Tensor gw = r.grad(m.param("m.w"));
    assertArrayEquals(new int[] {3}, gw.shape());
    assertArrayEquals(new double[] {9 + 1, 16 + 4, 25 + 9}, gw.toDoubleArray(), TOL);
  }

  @Test
  void operatorsRecordTheModuleTheyCameFrom() {
    CompositeNoSharing m = new CompositeNoSharing(1, 2);
    ModuleGraph r = m.apply(3, 4);
    long fromInner = r.nodes().stream()
        .filter(n -> n instanceof OperatorNode && n.modulePath().equals("CompositeNoSharing/SimpleModel"))
        .count();
    assertEquals(6, fromInner);
    assertEquals("CompositeNoSharing", r.root().modulePath());
  }

  /** One flat graph: only input and operator nodes, with the given counts. */
  private static void assertFlat(ModuleGraph r, int inputs, int operators) {
    int in = 0;
    int op = 0;
    for (Node n : r.nodes()) {
      if (n instanceof InputNode) {
        in++;
      } else {
        op++;
      }
      assertEquals(r.callId(), n.callId());
    }
    assertEquals(inputs, in, "input nodes");
    assertEquals(operators, op, "operator nodes");
  }
}
