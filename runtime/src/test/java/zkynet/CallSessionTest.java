package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Call sessions: scoping, failure, threads and misuse. */
class CallSessionTest {
  /** Multiplies its two inputs; throws when asked to (the second input is negative). */
  @Module
  static class Fragile extends Zk_CallSessionTest_Fragile {
    final Parameter w;

    Fragile() {
      w = parameter(2.0);
    }

    Node call(Node x, Node fail) {
      Node y = mult(x, w);
      if (fail.value().sum().item() < 0) {
        throw new IllegalStateException("asked to fail");
      }
      return add(y, fail);
    }
  }

  /** Calls a sub-module with raw values inside its forward pass: they become constants. */
  @Module
  static class Nested extends Zk_CallSessionTest_Nested {
    final Fragile inner = new Fragile();

    Node call(Node x) {
      return add(x, inner.apply(1.0, 1.0));
    }
  }

  @Test
  void forwardThatThrowsLeavesNoSessionBehind() {
    Fragile m = new Fragile();
    assertThrows(IllegalStateException.class, () -> m.apply(3, -1));
    assertFalse(CallSession.active());
    ModuleGraph r = m.apply(3, 1);
    assertEquals(7.0, r.value().item(), 1e-6);
    r.back();
    assertEquals(3.0, r.grad(m.param("w")).item(), 1e-6);
  }

  @Test
  void operatorOutsideACallIsAClearError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> add(Operand.constant(1.0), Operand.constant(2.0)));
    assertTrue(e.getMessage().contains("needs a module call in progress"), e.getMessage());
  }

  @Test
  void rawCallInsideForwardJoinsTheCall() {
    Nested m = new Nested();
    ModuleGraph r = m.apply(1.0);
    assertEquals(1 + (1 * 2 + 1), r.value().item(), 1e-6); // x + (1 * w + 1), w = 2
    r.back();
    assertEquals(1.0, r.grad(m.input("x")).item(), 1e-6);
    assertEquals(1.0, r.grad(m.param("inner.w")).item(), 1e-6);
    assertFalse(CallSession.active());
  }

  @Test
  void nodesCannotCrossCalls() {
    Fragile m = new Fragile();
    ModuleGraph first = m.apply(1, 1);
    ModuleGraph second = m.apply(1, 1);
    assertThrows(IllegalArgumentException.class, () -> second.grad(first.root()));
  }

  @Test
  void threadsHaveTheirOwnSessions() throws Exception {
    Fragile m = new Fragile();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Double> a = pool.submit(() -> m.apply(1, 1).value().item());
      Future<Double> b = pool.submit(() -> m.apply(2, 1).value().item());
      assertEquals(3.0, a.get(), 1e-6);
      assertEquals(5.0, b.get(), 1e-6);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void operatorFailureNamesTheOperatorAndShapes() {
    Fragile m = new Fragile();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.apply(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(e.getMessage().startsWith("add("), e.getMessage());
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    assertFalse(CallSession.active());
  }
}
