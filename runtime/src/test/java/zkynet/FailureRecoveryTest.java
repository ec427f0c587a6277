package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.div;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;

import org.junit.jupiter.api.Test;

/** A failed call or a failed back() leaves nothing that breaks the next one. */
class FailureRecoveryTest {
  /** sum((x * w + x @ m) / x): for an x of length 1 the product x * w works, the matmul fails. */
  @Module
  static class Chain extends Zk_FailureRecoveryTest_Chain {
    final Parameter w;
    final Parameter m;

    Chain() {
      w = parameter(Tensor.of(1.0, 2.0));
      m = parameter(Tensor.of(new double[][] {{1, 0}, {0, 1}}));
    }

    Node call(Node x) {
      Node scaled = mult(x, w);
      Node mixed = matmul(x, m);
      return sum(div(add(scaled, mixed), x));
    }
  }

  private static final Tensor GOOD = Tensor.of(2.0, 4.0);

  private static void assertGood(Chain c, ModuleGraph g) {
    assertEquals(5.0, g.value().item(), 1e-6); // sum(w + 1) at m = identity
    assertArrayEquals(new double[] {1, 1}, g.grad(c.param("w")).toDoubleArray(), 1e-6);
    assertArrayEquals(new double[] {0, 0}, g.grad(c.input("x")).toDoubleArray(), 1e-6);
  }

  @Test
  void aForwardPassThatThrowsMidwayThenAGoodCall() {
    Chain c = new Chain();
    ModuleGraph before = c.apply(GOOD);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.apply(Tensor.of(1.0, 2.0, 3.0)));
    assertTrue(e.getMessage().startsWith("mult("), e.getMessage());
    assertFalse(CallSession.active(), "the failed call's session is closed");
    e = assertThrows(IllegalArgumentException.class, () -> c.apply(Tensor.of(1.0)));
    assertTrue(e.getMessage().startsWith("matmul("), "failed midway, after mult: " + e.getMessage());
    assertFalse(CallSession.active());
    ModuleGraph after = c.apply(GOOD);
    after.back();
    assertGood(c, after);
    assertEquals(after.nodes().size(), before.nodes().size(), "no node of a failed call leaked in");
    before.back(); // a graph made before the failures is unaffected
    assertGood(c, before);
  }

  @Test
  void backAfterAFailedBackIsCorrect() {
    Chain c = new Chain();
    ModuleGraph g = c.apply(GOOD);
    assertThrows(IllegalArgumentException.class, () -> g.back(Tensor.of(1.0, DType.FLOAT64)));
    assertFalse(g.hasGradients());
    // A backward pass that throws midway (anomaly mode finds an infinity in div's derivative).
    ModuleGraph zero = c.apply(Tensor.of(1e-200, 1.0));
    try (Anomaly a = Anomaly.detect()) {
      assertThrows(Anomaly.NonFiniteException.class, zero::back);
    }
    assertFalse(zero.hasGradients(), "a failed back() publishes no partial gradients");
    IllegalStateException noGrads = assertThrows(IllegalStateException.class,
        () -> zero.grad(c.param("w")));
    assertTrue(noGrads.getMessage().contains("call back() before grad"), noGrads.getMessage());
    g.back();
    assertGood(c, g);
    g.back(); // and again: recomputed, not accumulated
    assertGood(c, g);
  }
}
