package zkynet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.processor.Testing.assertContains;
import static zkynet.processor.Testing.assertNotContains;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.processor.Testing.Source;

/**
 * What a called operator's reverse pass returns per input ({@code @GradientFlow}) decides where the
 * caller tests a part for null: never where the callee always returns it when asked, never for an
 * input the callee ignores (that argument gets no adjoint and is not asked for), and only where the
 * callee may return null (a user's {@code @Derivative}). The same holds whether the callee is compiled
 * alongside (its own derivation) or read from a class file (its annotation).
 */
class CalleeFlowTest {
  private static final String FLOW = "GradientFlow.Flow.";

  private static final Source CALLEES = source("zkynet.examples.Callees", """
      package zkynet.examples;

      import zkynet.Derivative;
      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Callees {
        /** Ignores b: its gradient is always null. */
        @Operator
        public static Tensor first(Tensor a, Tensor b) {
          return a.exp();
        }

        /** A supplied derivative, which may return null. */
        @Operator
        public static Tensor clipped(Tensor x) {
          return x.tanh();
        }

        @Derivative(of = "clipped", wrt = "x")
        public static Tensor clippedGrad(Tensor g, Tensor y, Tensor x) {
          return null;
        }
      }
      """);

  private static final Source CALLERS = source("zkynet.examples.Callers", """
      package zkynet.examples;

      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Callers {
        /** y reaches the result only through the input first ignores. */
        @Operator
        public static Tensor onlyIgnored(Tensor x, Tensor y) {
          Tensor t = y.tanh();
          return Callees.first(x, t);
        }

        /** y also reaches the result directly. */
        @Operator
        public static Tensor alsoDirect(Tensor x, Tensor y) {
          Tensor t = y.tanh();
          return Callees.first(x, t).add(t);
        }

        /** Through a supplied derivative: the part may be null, so it is tested. */
        @Operator
        public static Tensor throughSupplied(Tensor x) {
          Tensor n = x.neg();
          return Callees.clipped(n);
        }

        /** Two levels: onlyIgnored's own flow (derived in this compilation) says y gets nothing. */
        @Operator
        public static Tensor twoLevels(Tensor x, Tensor y) {
          return onlyIgnored(x.mul(2.0), y);
        }
      }
      """);

  private static final Pattern BACKWARD = Pattern.compile(
      "public static final class (\\w+) implements Differentiable \\{.*?(@GradientFlow\\(.*?\\))\\n"
          + "    public Tensor\\[\\] backward\\(.*?\\n    }\\n", Pattern.DOTALL);

  @Test
  void calleeFlowsAreWrittenOnTheirBackward() {
    String ops = generated(compile(CALLEES), "zkynet.examples.CalleesOps");
    assertEquals("@GradientFlow({" + FLOW + "WHEN_NEEDED, " + FLOW + "NONE})", backward(ops, "First").flow());
    assertContains(backward(ops, "First").text(), "return new Tensor[] {gA, null};");
    assertEquals("@GradientFlow(" + FLOW + "MAYBE)", backward(ops, "Clipped").flow());
  }

  @Test
  void callersTestForNullOnlyWhereTheCalleeMayReturnIt() {
    String ops = generated(compile(CALLEES, CALLERS), "zkynet.examples.CallersOps");
    assertCallers(ops);
  }

  @Test
  void aCalleeReadFromAClassFileGivesTheSameCode(@TempDir Path classes) throws IOException {
    Compilation callees = compile(CALLEES);
    assertThat(callees).succeeded();
    int written = 0;
    for (JavaFileObject f : callees.generatedFiles()) {
      String name = f.toUri().getPath();
      int at = name.indexOf("/zkynet/examples/");
      if (f.getKind() == JavaFileObject.Kind.CLASS && at >= 0) {
        Path out = classes.resolve(name.substring(at + 1));
        Files.createDirectories(out.getParent());
        try (InputStream in = f.openInputStream()) {
          Files.copy(in, out);
        }
        written++;
      }
    }
    assertTrue(written >= 3, "wrote only " + written + " class files of Callees");
    List<JavaFileObject> files = new ArrayList<>(Stubs.all());
    files.add(CALLERS.file());
    Compilation callers = Compiler.javac().withProcessors(new ZkynetProcessor())
        .withClasspath(List.of(classes.toFile())).compile(files);
    String fromClassFile = generated(callers, "zkynet.examples.CallersOps");
    assertCallers(fromClassFile);
    assertEquals(generated(compile(CALLEES, CALLERS), "zkynet.examples.CallersOps"), fromClassFile);
  }

  @Test
  void aParameterNamedLikeTheAnnotationDoesNotShadowIt() {
    Source named = source("zkynet.examples.Named", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Named {
          @Operator
          public static Tensor named(Tensor GradientFlow, Tensor Flow) {
            return GradientFlow.mul(Flow);
          }
        }
        """);
    String ops = generated(compile(named), "zkynet.examples.NamedOps").replaceAll("\\s+", " ");
    assertContains(ops, "@zkynet.autodiff.GradientFlow({zkynet.autodiff.GradientFlow.Flow.WHEN_NEEDED,"
        + " zkynet.autodiff.GradientFlow.Flow.WHEN_NEEDED})");
  }

  private static void assertCallers(String ops) {
    Backward onlyIgnored = backward(ops, "OnlyIgnored");
    assertEquals("@GradientFlow({" + FLOW + "WHEN_NEEDED, " + FLOW + "NONE})", onlyIgnored.flow());
    assertContains(onlyIgnored.text(), "firstCall1.backward(gFirst1, new boolean[] {true, false});",
        "return new Tensor[] {gX, null};");
    // t leads only to the ignored input: no adjoint, no rule for tanh
    assertNotContains(onlyIgnored.text(), "Tensor gT", "tanhWrtSelf", "!= null");

    Backward alsoDirect = backward(ops, "AlsoDirect");
    assertEquals("@GradientFlow({" + FLOW + "WHEN_NEEDED, " + FLOW + "WHEN_NEEDED})", alsoDirect.flow());
    assertContains(alsoDirect.text(), "new boolean[] {true, false});",
        "gT = Grad.accumulate(gT, Rules.addWrtOther(",
        "gY = Grad.accumulate(gY, Rules.tanhWrtSelf(gT, t, y), y, batch);");
    assertNotContains(alsoDirect.text(), "!= null");

    Backward supplied = backward(ops, "ThroughSupplied");
    assertEquals("@GradientFlow(" + FLOW + "MAYBE)", supplied.flow());
    assertContains(supplied.text(), "gN = Grad.accumulate(gN, gClippedCall1[0], n, batch);",
        "if (gN != null) {\n        gX = Grad.accumulate(gX, Rules.negWrtSelf(gN, n, x), x, batch);");

    Backward twoLevels = backward(ops, "TwoLevels");
    assertEquals("@GradientFlow({" + FLOW + "WHEN_NEEDED, " + FLOW + "NONE})", twoLevels.flow());
    assertContains(twoLevels.text(), "new boolean[] {true, false});", "return new Tensor[] {gX, null};");
    assertNotContains(twoLevels.text(), "!= null");
  }

  /** A generated operator class's backward: its annotation and its text. */
  private record Backward(String flow, String text) {}

  private static Backward backward(String ops, String opClass) {
    Matcher m = BACKWARD.matcher(ops);
    while (m.find()) {
      if (m.group(1).equals(opClass)) {
        return new Backward(m.group(2), m.group(0).substring(m.start(2) - m.start()));
      }
    }
    throw new AssertionError("no backward of " + opClass + " in\n" + ops);
  }
}
