package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.InputNode;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Feeding values inside a forward pass: a sub-module called with a raw number or a tensor records
 * constants in the current graph (the seed's {@code m1(3.) + m2(x)}); a parameter can be passed
 * where a node is expected. With f(x; w) = (x + w) x^2: df/dx = 3x^2 + 2wx, df/dw = x^2.
 */
class ValuesInForwardTest {
  private static final double TOL = 1e-5;

  /** The seed's m1(3.) + m2(x). */
  @Module
  static class SeedComposite extends Zk_ValuesInForwardTest_SeedComposite {
    final SimpleModel m1 = new SimpleModel(1);
    final SimpleModel m2 = new SimpleModel(2);

    Node call(Node x) {
      return add(m1.apply(3.0), m2.apply(x));
    }
  }

  /** m1([3, 4]) + m2(x), the constant a tensor. */
  @Module
  static class TensorComposite extends Zk_ValuesInForwardTest_TensorComposite {
    final SimpleModel m1 = new SimpleModel(1);
    final SimpleModel m2 = new SimpleModel(2);
    final Tensor three4 = Tensor.of(new double[] {3, 4}, DType.FLOAT32, 2);

    Node call(Node x) {
      return add(m1.apply(three4), m2.apply(x));
    }
  }

  /** inner(w) * w + inner(x): the outer parameter w is the inner module's input. */
  @Module
  static class ParameterAsInput extends Zk_ValuesInForwardTest_ParameterAsInput {
    final Parameter w;
    final SimpleModel inner = new SimpleModel(1);

    ParameterAsInput() {
      w = parameter(2.0);
    }

    Node call(Node x) {
      Node fw = inner.apply(w);
      return add(mult(fw, w), inner.apply(x));
    }
  }

  /** A two-input sub-module called with a node and a number; a module that is not a field. */
  @Module
  static class Mixed extends Zk_ValuesInForwardTest_Mixed {
    final CompositeNoSharing pair = new CompositeNoSharing(1, 2);
    private final Supplier<SimpleModel> other; // not a sub-module field

    Mixed(SimpleModel other) {
      this.other = () -> other;
    }

    Node call(Node x) {
      return add(pair.apply(x, 4.0), other.get().apply(x));
    }
  }

  @Test
  void seedCompositeWithARawNumber() {
    SeedComposite m = new SeedComposite();
    ModuleGraph r = m.apply(4.0);
    assertEquals(36 + 96, r.value().item(), TOL);
    r.back();
    assertEquals(9, r.grad(m.param("m1.w")).item(), TOL);
    assertEquals(16, r.grad(m.param("m2.w")).item(), TOL);
    assertEquals(48 + 16, r.grad(m.input("x")).item(), TOL);
    List<InputNode> constants = constants(r);
    assertEquals(1, constants.size());
    assertEquals(3.0, constants.get(0).value().item(), 0.0);
    assertEquals("", constants.get(0).instancePath(), "made by the caller, where it is used");
    assertFalse(r.hasGradient(constants.get(0)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> r.grad(constants.get(0)));
    assertTrue(e.getMessage().contains("constants never get one"), e.getMessage());
    assertEquals(36 + 96, m.infer(4.0).item(), TOL);
  }

  @Test
  void seedCompositeWithATensor() {
    TensorComposite m = new TensorComposite();
    ModuleGraph r = m.apply(Tensor.of(1.0, DType.FLOAT32));
    assertArrayEquals(new double[] {36 + 3, 80 + 3}, r.value().toDoubleArray(), TOL);
    r.back();
    assertArrayEquals(new double[] {9, 16}, r.grad(m.param("m1.w")).toDoubleArray(), TOL);
    assertArrayEquals(new double[] {1, 1}, r.grad(m.param("m2.w")).toDoubleArray(), TOL);
    assertArrayEquals(new double[] {7, 7}, r.grad(m.input("x")).toDoubleArray(), TOL);
    List<InputNode> constants = constants(r);
    assertEquals(1, constants.size());
    assertFalse(r.hasGradient(constants.get(0)));
    assertArrayEquals(r.value().toDoubleArray(),
        m.infer(Tensor.of(1.0, DType.FLOAT32)).toDoubleArray(), 0.0);
  }

  @Test
  void parameterPassedAsInputAccumulatesOverItsUses() {
    ParameterAsInput m = new ParameterAsInput();
    ModuleGraph r = m.apply(3.0);
    // (w + v) w^3 + (x + v) x^2 at w = 2, v = 1, x = 3.
    assertEquals(24 + 36, r.value().item(), TOL);
    r.back();
    assertEquals(8 + 3 * 3 * 4, r.grad(m.param("w")).item(), TOL); // w^3 + 3 (w + v) w^2
    assertEquals(8 + 9, r.grad(m.param("inner.w")).item(), TOL); // w^3 + x^2
    assertEquals(27 + 6, r.grad(m.input("x")).item(), TOL);
    long wNodes = r.nodes().stream()
        .filter(n -> n instanceof InputNode in && in.slot() == m.param("w")).count();
    assertEquals(1, wNodes, "one node per parameter per call");
    assertEquals(24 + 36, m.infer(3.0).item(), TOL);
  }

  @Test
  void mixedArgumentsAndAModuleThatIsNotAField() {
    SimpleModel other = new SimpleModel(-1);
    Mixed m = new Mixed(other);
    ModuleGraph r = m.apply(2.0);
    // pair: f(2; 1) + f(4; 2) = 12 + 96; other: f(2; -1) = 4.
    assertEquals(12 + 96 + 4, r.value().item(), TOL);
    r.back();
    assertEquals(16 + 8, r.grad(m.input("x")).item(), TOL); // 3x^2 + 2wx for w = 1 and w = -1
    assertEquals(16, r.grad(m.param("pair.m2.w")).item(), TOL);
    assertEquals(4, r.grad(other.param("w")).item(), TOL);
    assertTrue(r.nodes().stream().anyMatch(n -> n.instancePath().equals(other.name())),
        "a module that is not a field appears under its name");
    assertEquals(12 + 96 + 4, m.infer(2.0).item(), TOL);
  }

  @Test
  void aNestedResultIsNotAGraphAndCannotCrossCalls() {
    AtomicReference<ModuleGraph> kept = new AtomicReference<>();
    SimpleModel inner = new SimpleModel(1);
    Leaky leaky = new Leaky(inner, kept);
    ModuleGraph r = leaky.apply(1.0);
    assertTrue(kept.get().nested());
    assertEquals(36, kept.get().value().item(), TOL);
    IllegalStateException back = assertThrows(IllegalStateException.class, kept.get()::back);
    assertTrue(back.getMessage().startsWith(inner.name() + " was called inside the forward pass of "
        + "call " + r.callId() + ": its result is a node of that call"), back.getMessage());
    assertThrows(IllegalStateException.class, kept.get()::nodes);
    IllegalArgumentException cross = assertThrows(IllegalArgumentException.class,
        () -> new Leaky(inner, new AtomicReference<>()) {
          @Override
          Node call(Node x) {
            return add(x, kept.get());
          }
        }.apply(1.0));
    assertTrue(cross.getMessage().contains("nodes cannot cross calls"), cross.getMessage());
    assertFalse(CallSession.active());
  }

  /** Keeps the nested result of inner(3) where a test can reach it after the call. */
  @Module
  static class Leaky extends Zk_ValuesInForwardTest_Leaky {
    final SimpleModel inner;
    private final AtomicReference<ModuleGraph> kept;

    Leaky(SimpleModel inner, AtomicReference<ModuleGraph> kept) {
      this.inner = inner;
      this.kept = kept;
    }

    Node call(Node x) {
      ModuleGraph nested = inner.apply(3.0);
      kept.set(nested);
      return add(x, nested);
    }
  }

  private static List<InputNode> constants(ModuleGraph r) {
    return r.nodes().stream().filter(n -> n instanceof InputNode in
        && in.kind() == InputNode.Kind.CONSTANT).map(n -> (InputNode) n).toList();
  }
}
