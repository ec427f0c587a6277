package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.div;
import static zkynet.BuiltinsOps.log;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import zkynet.train.Optimizer;
import zkynet.train.Optimizer.NonFinite;
import zkynet.train.Sgd;

/** Anomaly mode (NaN and infinities found where they appear) and the optimizers' policy for them. */
class AnomalyTest {
  @Module
  static class Inner extends Zk_AnomalyTest_Inner {
    Node call(Node x) {
      return log(x);
    }
  }

  /** sum(log(x * w)) through a sub-module. */
  @Module
  static class Outer extends Zk_AnomalyTest_Outer {
    final Parameter w;
    final Inner inner = new Inner();

    Outer() {
      w = parameter(Tensor.of(1f, 1f));
    }

    Node call(Node x) {
      return sum(inner.apply(mult(x, w)));
    }
  }

  /** log(x) recorded the way a facade that knows its operator's source line records it. */
  @Module
  static class Declared extends Zk_AnomalyTest_Declared {
    Node call(Node x) {
      return CallSession.apply("log", "Builtins.java:69", () -> new BuiltinsOps.Log(x.value()), x);
    }
  }

  /** 1 / x: finite forward at 1e-30, infinite derivative (-1 / x^2) in float32. */
  @Module
  static class Reciprocal extends Zk_AnomalyTest_Reciprocal {
    Node call(Node x) {
      return div(Operand.constant(1f), x);
    }
  }

  /** x * log(w) + x * v: at w = 0 the gradient of w is infinite, that of v finite. */
  @Module
  static class LogLoss extends Zk_AnomalyTest_LogLoss {
    final Parameter w;
    final Parameter v;

    LogLoss(double w0) {
      w = parameter(Tensor.of(w0, DType.FLOAT64));
      v = parameter(Tensor.of(2.0, DType.FLOAT64));
    }

    Node call(Node x) {
      return add(mult(x, log(w)), mult(x, v));
    }
  }

  private static final Tensor BAD_X = Tensor.of(2f, -1f);

  /** The line number of {@code code} in this test's source (the module's directory is the working one). */
  private static int line(String code) {
    try {
      List<String> lines = Files.readAllLines(Path.of("src/test/java/zkynet/AnomalyTest.java"));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).trim().equals(code)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no line " + code);
  }

  @Test
  void offByDefaultNaNPropagatesAsInNumpy() {
    assertFalse(Anomaly.enabled());
    assertTrue(Double.isNaN(new Outer().apply(BAD_X).value().item()));
  }

  @Test
  void aNaNInTheForwardPassNamesTheOperatorModulePathSourceAndInputs() {
    Outer m = new Outer();
    Anomaly.NonFiniteException e;
    try (Anomaly a = Anomaly.detect()) {
      assertTrue(Anomaly.enabled());
      e = assertThrows(Anomaly.NonFiniteException.class, () -> m.apply(BAD_X));
    }
    assertFalse(Anomaly.enabled());
    assertFalse(CallSession.active(), "the failed call left its session behind");
    String msg = e.getMessage();
    assertEquals("log", e.operator());
    assertEquals(Anomaly.Pass.FORWARD, e.pass());
    assertEquals(m.functionalName() + "/" + m.inner.functionalName(), e.modulePath());
    assertTrue(msg.contains("forward pass of operator 'log'"), msg);
    assertTrue(msg.contains("module path " + e.modulePath()), msg);
    assertTrue(msg.contains("its output is [2] float32 [0.6931, nan]: 1 NaN and 0 infinite values "
        + "(first at index [1])"), msg);
    assertTrue(msg.contains("operator zkynet.Builtins.log (generated zkynet.BuiltinsOps.Log)"), msg);
    assertTrue(msg.contains("zkynet.BuiltinsOps.log(BuiltinsOps.java:"), msg);
    assertTrue(msg.contains("AnomalyTest$Inner.call(AnomalyTest.java:" + line("return log(x);")
        + ")"), msg);
    assertTrue(msg.contains("inputs: mult [2] float32 [2, -1]"), "input shape and values: " + msg);
  }

  @Test
  void anInfinityInTheBackwardPassNamesTheOperatorTheInputAndTheForwardCallSite() {
    Reciprocal m = new Reciprocal();
    Anomaly.NonFiniteException e;
    try (Anomaly a = Anomaly.detect()) {
      ModuleGraph g = m.apply(Tensor.of(1e-30f));
      assertEquals(1e30, g.value().item(), 1e24); // the forward pass is finite
      e = assertThrows(Anomaly.NonFiniteException.class, g::back);
      assertFalse(g.hasGradients(), "a failed back() publishes no gradients");
    }
    String msg = e.getMessage();
    assertEquals("div", e.operator());
    assertEquals(Anomaly.Pass.BACKWARD, e.pass());
    assertTrue(msg.contains("backward pass of operator 'div'"), msg);
    assertTrue(msg.contains("the gradient with respect to input 1 (variable x"), msg);
    assertTrue(msg.contains("is [] float32 -inf: 0 NaN and 1 infinite value"), msg);
    assertTrue(msg.contains("AnomalyTest$Reciprocal.call(AnomalyTest.java:"
        + line("return div(Operand.constant(1f), x);") + ")"), msg);
  }

  @Test
  void aSourceLineGivenByTheFacadeIsReported() {
    try (Anomaly a = Anomaly.detect()) {
      Anomaly.NonFiniteException e = assertThrows(Anomaly.NonFiniteException.class,
          () -> new Declared().apply(BAD_X));
      assertTrue(e.getMessage().contains("operator zkynet.Builtins.log (generated "
          + "zkynet.BuiltinsOps.Log), declared at Builtins.java:69, called at "), e.getMessage());
    }
  }

  @Test
  void theModeIsScopedToTheThreadThatOpenedIt() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Anomaly a = Anomaly.detect()) {
      double v = other.submit(() -> new Outer().apply(BAD_X).value().item()).get();
      assertTrue(Double.isNaN(v), "another thread is not in anomaly mode");
      try (Anomaly nested = Anomaly.detect()) {
        assertTrue(Anomaly.enabled());
      }
      assertTrue(Anomaly.enabled(), "closing a nested scope keeps the outer one");
      IllegalStateException wrongThread = assertThrows(IllegalStateException.class,
          () -> {
            try {
              other.submit(a::close).get();
            } catch (java.util.concurrent.ExecutionException ex) {
              throw ex.getCause();
            }
          });
      assertTrue(wrongThread.getMessage().contains("closed on the thread that opened it"));
    } finally {
      other.shutdownNow();
    }
    assertFalse(Anomaly.enabled());
  }

  @Test
  void finiteValuesPassAnomalyModeUnchanged() {
    Outer m = new Outer();
    try (Anomaly a = Anomaly.detect()) {
      ModuleGraph g = m.apply(Tensor.of(2f, 3f));
      g.back();
      assertEquals(Math.log(6), g.value().item(), 1e-6);
      assertEquals(0.5, g.grad(m.input("x")).toDoubleArray()[0], 1e-6);
    }
  }

  private static ModuleGraph lossAtZero(LogLoss m) {
    ModuleGraph g = m.apply(Tensor.of(1.0, DType.FLOAT64));
    g.back();
    return g;
  }

  @Test
  void anOptimizerCanRefuseAStepWithANonFiniteGradient() {
    LogLoss m = new LogLoss(0);
    Optimizer sgd = new Sgd(m, 0.5).onNonFiniteGradient(NonFinite.THROW);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(lossAtZero(m)));
    assertTrue(e.getMessage().contains("gradient of parameter 'w'"), e.getMessage());
    assertTrue(e.getMessage().contains("no parameter was changed"), e.getMessage());
    assertEquals(0.0, m.param("w").value().item());
    assertEquals(2.0, m.param("v").value().item());
    assertEquals(0, sgd.steps());
  }

  @Test
  void anOptimizerCanSkipAndCountStepsWithNonFiniteGradients() {
    LogLoss m = new LogLoss(0);
    Optimizer sgd = new Sgd(m, 0.5).onNonFiniteGradient(NonFinite.SKIP);
    sgd.step(lossAtZero(m));
    sgd.step(lossAtZero(m));
    assertEquals(2, sgd.skippedSteps());
    assertEquals(0, sgd.steps());
    assertEquals(2.0, m.param("v").value().item(), "a skipped step changes nothing");
    LogLoss fine = new LogLoss(1);
    Optimizer ok = new Sgd(fine, 0.5).onNonFiniteGradient(NonFinite.SKIP);
    ok.step(lossAtZero(fine)); // d/dw = 1 / w = 1, d/dv = 1
    assertEquals(1, ok.steps());
    assertEquals(0, ok.skippedSteps());
    assertEquals(0.5, fine.param("w").value().item());
    assertEquals(1.5, fine.param("v").value().item());
  }

  @Test
  void byDefaultAnOptimizerAppliesANonFiniteGradient() {
    LogLoss m = new LogLoss(0);
    Optimizer sgd = new Sgd(m, 0.5);
    assertEquals(NonFinite.APPLY, sgd.nonFiniteGradientPolicy());
    sgd.step(lossAtZero(m));
    assertEquals(Double.NEGATIVE_INFINITY, m.param("w").value().item());
    assertEquals(1.5, m.param("v").value().item());
  }
}
