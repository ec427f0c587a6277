package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.resource;
import static zkynet.processor.Testing.resourceText;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated sources compared as EXACT text with src/test/resources/golden/ (tree equivalence would
 * ignore the comments that quote the forward lines, and the member order).
 *
 * <p>To regenerate after an intended change to the generated code, run (from the repository root)
 * {@code mvn -q -B -pl processor test -Dtest=GoldenFileTest -Dzkynet.updateGolden=true}: the test
 * then writes the golden files instead of comparing (and passes); review them with git diff. See
 * src/test/resources/golden/README.md.
 */
class GoldenFileTest {
  static final String UPDATE_PROPERTY = "zkynet.updateGolden";

  private static Compilation compilation;

  /** The golden inputs: the seed's Activations and SimpleModel, and the builtins SimpleModel calls. */
  static Compilation compileGoldenInputs() {
    return compile(
        resource("zkynet.examples.Activations", "golden/Activations.java"),
        resource("zkynet.examples.SimpleModel", "golden/SimpleModel.java"),
        resource("zkynet.Builtins", "golden/Builtins.java"));
  }

  @BeforeAll
  static void compileOnce() {
    compilation = compileGoldenInputs();
  }

  @Test
  void activationsOpsMatchesGoldenText() {
    assertGolden("golden/ActivationsOps.java",
        generated(compilation, "zkynet.examples.ActivationsOps"));
  }

  @Test
  void simpleModelBaseMatchesGoldenText() {
    assertGolden("golden/Zk_SimpleModel.java",
        generated(compilation, "zkynet.examples.Zk_SimpleModel"));
  }

  /** Compares {@code actual} with the golden resource {@code path}, or rewrites it in update mode. */
  static void assertGolden(String path, String actual) {
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Path file = Path.of(System.getProperty("basedir", "."), "src/test/resources", path);
      try {
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.out.println("[golden] wrote " + file.toAbsolutePath());
      return;
    }
    String expected = resourceText(path);
    if (!expected.equals(actual)) {
      assertEquals(expected, actual, firstDifference(path, expected, actual));
    }
  }

  /** A readable account of the first differing line, with a little context. */
  static String firstDifference(String path, String expected, String actual) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    int i = 0;
    while (i < e.length && i < a.length && e[i].equals(a[i])) {
      i++;
    }
    StringBuilder s = new StringBuilder();
    s.append("generated text differs from ").append(path).append(" at line ").append(i + 1)
        .append(" (expected ").append(e.length).append(" lines, got ").append(a.length)
        .append(")\n");
    for (int k = Math.max(0, i - 3); k < i; k++) {
      s.append("   ").append(String.format("%4d", k + 1)).append("   ").append(e[k]).append('\n');
    }
    s.append(" - ").append(String.format("%4d", i + 1)).append("   ")
        .append(i < e.length ? e[i] : "<end of file>").append('\n');
    s.append(" + ").append(String.format("%4d", i + 1)).append("   ")
        .append(i < a.length ? a[i] : "<end of file>").append('\n');
    s.append("If the change is intended, regenerate with -D").append(UPDATE_PROPERTY)
        .append("=true (see src/test/resources/golden/README.md) and review the diff.\n");
    return s.toString();
  }
}
