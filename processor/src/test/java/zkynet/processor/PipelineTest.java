package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.processor.Testing.compileRecording;
import static zkynet.processor.Testing.describe;
import static zkynet.processor.Testing.message;
import static zkynet.processor.Testing.source;

import com.google.testing.compile.Compilation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Recorded;
import zkynet.processor.Testing.Source;

/** The pipeline as a whole: deterministic output, and nothing generated for an element in error. */
class PipelineTest {
  @Test
  void compilingTheSameSourcesTwiceGeneratesIdenticalText() {
    Map<String, String> first = generatedSources(GoldenFileTest.compileGoldenInputs());
    Map<String, String> second = generatedSources(GoldenFileTest.compileGoldenInputs());
    assertEquals(List.of("/SOURCE_OUTPUT/zkynet/BuiltinsOps.java",
            "/SOURCE_OUTPUT/zkynet/examples/ActivationsOps.java",
            "/SOURCE_OUTPUT/zkynet/examples/Zk_SimpleModel.java"),
        first.keySet().stream().sorted().toList());
    assertEquals(first.keySet(), second.keySet());
    for (String name : first.keySet()) {
      assertEquals(first.get(name), second.get(name), name + " differs between two compilations");
    }
  }

  private static Map<String, String> generatedSources(Compilation c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JavaFileObject f : c.generatedSourceFiles()) {
      out.put(f.getName(), Testing.read(f));
    }
    return out;
  }

  private static final Source ONE_BAD_OPERATOR = source("zkynet.examples.Activations", """
      package zkynet.examples;

      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Activations {
        @Operator
        public static Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }

        @Operator
        public static Tensor total(Tensor x) {
          double t = x.sum().item();
          return x.mul(0.0).add(t);
        }
      }
      """);

  private static final Source GOOD_OPERATOR = source("zkynet.examples.Other", """
      package zkynet.examples;

      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Other {
        @Operator
        public static Tensor twice(Tensor x) {
          return x.mul(2.0);
        }
      }
      """);

  @Test
  void classWithOneBadOperatorGeneratesNothing() {
    Recorded r = compileRecording(ONE_BAD_OPERATOR, GOOD_OPERATOR);
    assertFalse(r.success());
    assertTrue(r.diagnostics().stream().anyMatch(d -> message(d).startsWith("[ZK204]")),
        () -> describe(r.diagnostics()));
    assertFalse(r.generatedSources().contains("zkynet.examples.ActivationsOps"),
        "ActivationsOps was generated although Activations has an error: " + r.generatedSources());
    // Control: the recording works, and an unrelated good class is still generated.
    assertEquals(List.of("zkynet.examples.OtherOps"), r.generatedSources());
  }

  @Test
  void moduleWithAnErrorGetsOnlyAPlaceholderBaseAndNoFollowOnError() {
    Source module = source("zkynet.examples.Affine", """
        package zkynet.examples;

        import zkynet.Module;
        import zkynet.Node;
        import zkynet.Parameter;

        @Module
        public class Affine extends Zk_Affine {
          Parameter w = parameter(1.0);

          Node call(Node x) {
            return x;
          }
        }
        """);
    Recorded r = compileRecording(module, GOOD_OPERATOR);
    assertFalse(r.success());
    // The one real error, and no "cannot find symbol Zk_Affine" after it: a placeholder base (whose
    // hooks only throw; the compilation fails anyway) lets the module's declaration resolve.
    List<String> errors = r.diagnostics().stream()
        .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR).map(Testing::message).toList();
    assertEquals(1, errors.size(), () -> describe(r.diagnostics()));
    assertTrue(errors.get(0).startsWith("[ZK404]"), errors.get(0));
    assertEquals(List.of("zkynet.examples.OtherOps", "zkynet.examples.Zk_Affine"), r.generatedSources());
  }

  @Test
  void recordingCompilerSeesWhatASuccessfulCompilationGenerates() {
    Recorded r = compileRecording(GOOD_OPERATOR);
    assertTrue(r.success(), () -> describe(r.diagnostics()));
    assertEquals(List.of("zkynet.examples.OtherOps"), r.generatedSources());
  }
}
