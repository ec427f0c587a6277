package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.tanh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code module.infer(...)}: evaluation without a graph. Values equal {@code apply(...).value()},
 * nothing is recorded, failures leave nothing behind, inference values never enter a graph.
 */
class InferenceTest {
  /** tanh(x * w) + x, with a record of how many nodes its session holds at the end of call. */
  @Module
  static class Counting extends Zk_InferenceTest_Counting {
    final Parameter w;
    final AtomicInteger recorded = new AtomicInteger(-1);
    final AtomicReference<Node> last = new AtomicReference<>();

    Counting(double w0) {
      w = parameter(w0);
    }

    Node call(Node x) {
      Node y = add(tanh(mult(x, w)), x);
      recorded.set(CallSession.current("test").nodes().size());
      last.set(y);
      return y;
    }
  }

  /** Uses a frozen model's inference as a constant of its own graph (like torch.no_grad()). */
  @Module
  static class UsesFrozen extends Zk_InferenceTest_UsesFrozen {
    final Parameter w;
    final Counting frozen = new Counting(0.5);

    UsesFrozen() {
      w = parameter(2.0);
    }

    Node call(Node x) {
      Tensor target = frozen.infer(x.value());
      return mult(sum(mult(x, w)), Operand.constant(target.sum()));
    }
  }

  /** An inference that fails inside its forward pass; the graph goes on being recorded. */
  @Module
  static class SurvivesFailedInference extends Zk_InferenceTest_SurvivesFailedInference {
    final Parameter w;
    final CallSessionTest.Fragile fragile = new CallSessionTest.Fragile();

    SurvivesFailedInference() {
      w = parameter(3.0);
    }

    Node call(Node x) {
      try {
        fragile.infer(1.0, -1.0);
      } catch (IllegalStateException expected) {
        // the inference session is closed; this call's session is current again
      }
      return mult(x, w);
    }
  }

  /** Calls a sub-module with a raw value and tries to differentiate its result. */
  @Module
  static class BacksNested extends Zk_InferenceTest_BacksNested {
    final Counting inner = new Counting(1);

    Node call(Node x) {
      ModuleGraph nested = inner.apply(3.0);
      nested.back();
      return add(x, nested);
    }
  }

  private static double expected(double x, double w) {
    return Math.tanh(x * w) + x;
  }

  @Test
  void inferEqualsApplyAndRecordsNothing() {
    Counting m = new Counting(0.7);
    Tensor x = Tensor.of(new double[] {-1, 0.5, 2}, DType.FLOAT32, 3);
    ModuleGraph graph = m.apply(x);
    assertEquals(5, m.recorded.get()); // x, w and three operators
    Tensor inferred = m.infer(x);
    assertEquals(0, m.recorded.get());
    assertArrayEquals(graph.value().toDoubleArray(), inferred.toDoubleArray(), 0.0);
    assertEquals(expected(2, 0.7), inferred.toDoubleArray()[2], 1e-6);
    assertFalse(CallSession.active());
    assertTrue(m.last.get() instanceof ValueNode);
    assertEquals(-1, m.last.get().id());
  }

  @Test
  void failureMidwayLeavesNothingBehind() {
    CallSessionTest.Fragile m = new CallSessionTest.Fragile();
    IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
        () -> m.infer(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(shapes.getMessage().startsWith("add([3], [2]) failed in Fragile (inference): "),
        shapes.getMessage());
    assertFalse(CallSession.active());
    assertThrows(IllegalStateException.class, () -> m.infer(3, -1));
    assertFalse(CallSession.active());
    assertFalse(CallSession.inferring());
    assertEquals(7.0, m.infer(3, 1).item(), 1e-6);
    ModuleGraph r = m.apply(3, 1);
    r.back();
    assertEquals(3.0, r.grad(m.param("w")).item(), 1e-6);
  }

  @Test
  void inferenceInsideAForwardPassIsAConstantAndTheGraphContinues() {
    UsesFrozen m = new UsesFrozen();
    ModuleGraph r = m.apply(new double[] {1, 2});
    double t = expected(1, 0.5) + expected(2, 0.5);
    assertEquals(3 * 2 * t, r.value().item(), 1e-5);
    r.back();
    assertArrayEquals(new double[] {2 * t, 2 * t}, r.grad(m.input("x")).toDoubleArray(), 1e-5);
    assertEquals(3 * t, r.grad(m.param("w")).item(), 1e-5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.grad(m.param("frozen.w")));
    assertTrue(e.getMessage().contains("is not a leaf of this graph"), e.getMessage());
    assertFalse(CallSession.active());
  }

  @Test
  void aFailedInferenceInsideAForwardPassRestoresTheCall() {
    SurvivesFailedInference m = new SurvivesFailedInference();
    ModuleGraph r = m.apply(2.0);
    assertEquals(6.0, r.value().item(), 1e-6);
    r.back();
    assertEquals(2.0, r.grad(m.param("w")).item(), 1e-6);
    assertFalse(CallSession.active());
  }

  @Test
  void inferenceValuesCannotEnterAGraph() {
    Counting m = new Counting(1);
    m.infer(2.0);
    ValueNode stale = (ValueNode) m.last.get();
    ModuleGraph r = m.apply(2.0);
    r.back();
    IllegalArgumentException grad = assertThrows(IllegalArgumentException.class,
        () -> r.grad(stale));
    assertTrue(grad.getMessage().contains("was computed in an inference call"), grad.getMessage());
    // A value of one inference call used in another call's forward pass.
    IllegalArgumentException cross = assertThrows(IllegalArgumentException.class,
        () -> new Counting(1) {
          @Override
          Node call(Node x) {
            return add(x, stale);
          }
        }.apply(1.0));
    assertTrue(cross.getMessage().contains("(an inference call, module.infer)"), cross.getMessage());
    assertFalse(CallSession.active());
  }

  @Test
  void nestedResultsHaveNoGraphOfTheirOwn() {
    for (boolean infer : new boolean[] {false, true}) {
      BacksNested m = new BacksNested();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> {
            if (infer) {
              m.infer(1.0);
            } else {
              m.apply(1.0);
            }
          });
      assertTrue(e.getMessage().contains("was called inside the forward pass of call")
          && e.getMessage().contains("back() is not available on it"), e.getMessage());
      assertEquals(infer, e.getMessage().contains("inference call"), e.getMessage());
      assertFalse(CallSession.active());
    }
  }

  @Test
  void operandsAreNotValuesAtTopLevel() {
    Counting m = new Counting(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.infer(m.param("w")));
    assertTrue(e.getMessage().contains("input 'x' is a Parameter"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.apply((Object) m.param("w")));
    IllegalStateException nodes = assertThrows(IllegalStateException.class,
        () -> m.apply(m.param("w")));
    assertTrue(nodes.getMessage().contains("needs a module call in progress"), nodes.getMessage());
  }

  @Test
  void manyThreadsInferAtOnce() throws Exception {
    Counting m = new Counting(0.3);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            double x = thread * 1000 + i;
            double got = (i % 3 == 0 ? m.apply(x).value() : m.infer(x)).item();
            if (Math.abs(got - expected(x, 0.3)) > 1e-3 * Math.abs(x) + 1e-6 || CallSession.active()) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
