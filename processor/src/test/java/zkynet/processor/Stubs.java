package zkynet.processor;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaFileObject;

/**
 * Source stubs of the runtime API, shared by every processor test. The processor module has no
 * runtime (and no ND4J) on its classpath by design, so each test compilation includes these small
 * source versions of the types the processor reads ({@code @Primitive}/{@code @Constant} Tensor
 * methods, {@code @Vjp} rules, the annotations) and that generated code calls ({@code
 * CallSession.node/apply}, {@code Grad.accumulate}, {@code Rules.*}, the {@code ModuleBase} hooks).
 * Their signatures are copied from runtime/src/main/java; bodies do nothing. They live in
 * src/test/resources/stubs/, except {@link #FROM_RUNTIME}: small files (depending on stubs at most) that the
 * tests compile from the runtime's own sources.
 */
final class Stubs {
  /** Every stub, as a path under {@code stubs/} on the test classpath. */
  static final List<String> PATHS = List.of(
      "zkynet/Tensor.java",
      "zkynet/Operator.java",
      "zkynet/Derivative.java",
      "zkynet/NoGrad.java",
      "zkynet/Module.java",
      "zkynet/Node.java",
      "zkynet/OperatorNode.java",
      "zkynet/Operand.java",
      "zkynet/Parameter.java",
      "zkynet/ModuleBase.java",
      "zkynet/ModuleGraph.java",
      "zkynet/CallSession.java",
      "zkynet/autodiff/Differentiable.java",
      "zkynet/autodiff/Primitive.java",
      "zkynet/autodiff/Constant.java",
      "zkynet/autodiff/Vjp.java",
      "zkynet/DType.java",
      "zkynet/autodiff/Grad.java",
      "zkynet/autodiff/Rules.java",
      "zkynet/autodiff/ScalarRules.java",
      "zkynet/autodiff/GradientFlow.java",
      "zkynet/backend/jvm/Fused.java",
      "zkynet/backend/jvm/FusedLoop.java",
      "zkynet/backend/jvm/FastMath.java",
      "zkynet/backend/Erf.java",
      "org/nd4j/linalg/api/ndarray/INDArray.java");

  /** Stubs that are the runtime's source files themselves (tests run in the processor's directory). */
  static final Set<String> FROM_RUNTIME = Set.of("zkynet/autodiff/ScalarRules.java",
      "zkynet/autodiff/GradientFlow.java", "zkynet/backend/Erf.java");

  private static final Path RUNTIME_SOURCES = Path.of("..", "runtime", "src", "main", "java");

  private static final Map<String, String> TEXT = load();
  private static final Map<String, JavaFileObject> FILES = files();

  private Stubs() {}

  /** All stubs, in a fixed order. */
  static List<JavaFileObject> all() {
    return List.copyOf(FILES.values());
  }

  /** All stubs but the one at {@code path} (e.g. to replace the rule table in one test). */
  static List<JavaFileObject> allExcept(String path) {
    if (!FILES.containsKey(path)) {
      throw new IllegalArgumentException("no stub " + path + "; stubs are " + PATHS);
    }
    List<JavaFileObject> out = new ArrayList<>();
    FILES.forEach((p, f) -> {
      if (!p.equals(path)) {
        out.add(f);
      }
    });
    return out;
  }

  /** The text of one stub. */
  static String text(String path) {
    String t = TEXT.get(path);
    if (t == null) {
      throw new IllegalArgumentException("no stub " + path + "; stubs are " + PATHS);
    }
    return t;
  }

  private static Map<String, String> load() {
    Map<String, String> text = new LinkedHashMap<>();
    for (String path : PATHS) {
      if (FROM_RUNTIME.contains(path)) {
        try {
          text.put(path, Files.readString(RUNTIME_SOURCES.resolve(path)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        continue;
      }
      String resource = "/stubs/" + path;
      try (InputStream in = Stubs.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + resource);
        }
        text.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text;
  }

  private static Map<String, JavaFileObject> files() {
    Map<String, JavaFileObject> files = new LinkedHashMap<>();
    TEXT.forEach((path, text) -> files.put(path, JavaFileObjects.forSourceString(
        path.substring(0, path.length() - ".java".length()).replace('/', '.'), text)));
    return files;
  }
}
