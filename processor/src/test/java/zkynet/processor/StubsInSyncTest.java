package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The processor's tests compile against source stubs of the runtime (the processor module has no
 * ND4J, so it cannot use the real runtime). This test keeps the stubs honest: the signatures the
 * processor reads (Tensor's @Primitive and @Constant methods, the @Vjp rules) must be the
 * runtime's own, in the same order. Runs from the processor module directory, as Maven does.
 */
class StubsInSyncTest {
  private static final Path RUNTIME = Path.of("..", "runtime", "src", "main", "java", "zkynet");
  private static final Path STUBS = Path.of("src", "test", "resources", "stubs", "zkynet");

  /** Annotated declarations: the annotation and the signature up to the opening brace. */
  private static final Pattern MARKED = Pattern.compile(
      "(@(?:Primitive|Constant|Vjp\\([^)]*\\)))\\s+(public[^{;]*)");

  @Test
  void tensorPrimitivesMatchTheRuntime() throws IOException {
    assertSameSignatures("Tensor.java");
  }

  @Test
  void rulesMatchTheRuntime() throws IOException {
    assertSameSignatures("autodiff/Rules.java");
  }

  private static void assertSameSignatures(String file) throws IOException {
    List<String> runtime = signatures(RUNTIME.resolve(file));
    List<String> stub = signatures(STUBS.resolve(file));
    assertTrue(runtime.size() > 20, "read too few signatures from the runtime's " + file);
    assertEquals(String.join("\n", runtime), String.join("\n", stub),
        "the test stub " + file + " no longer matches the runtime: copy the changed signatures");
  }

  private static List<String> signatures(Path file) throws IOException {
    String text = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    List<String> out = new ArrayList<>();
    Matcher m = MARKED.matcher(text);
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2).replaceAll("\\s+", " ").trim());
    }
    return out;
  }
}
