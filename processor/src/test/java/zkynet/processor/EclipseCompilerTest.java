package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing behind {@link CompilerSupportTest}: Eclipse's batch compiler (ecj), which has no
 * javac tree API, runs zkynet's processor on an operator. It must print one [ZK902] error, and no
 * crash (before, {@code Trees.instance} threw outside any guard: an internal compiler error).
 */
class EclipseCompilerTest {
  @Test
  void ecjGetsOneClearErrorInsteadOfACrash(@TempDir Path dir) throws IOException {
    List<String> args = new ArrayList<>(List.of("-17", "-proc:only", "-processor",
        ZkynetProcessor.class.getName(), "-processorpath", System.getProperty("java.class.path"),
        "-classpath", dir.toString()));
    for (String path : Stubs.PATHS) {
      args.add(write(dir, path, Stubs.text(path)).toString());
    }
    args.add(write(dir, "zkynet/examples/Activations.java", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Activations {
          @Operator
          public static Tensor softplus(Tensor x) {
            return x.exp().add(1.0).log();
          }
        }
        """).toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    boolean ok = BatchCompiler.compile(args.toArray(String[]::new), new PrintWriter(out),
        new PrintWriter(err), null);
    String printed = out + "\n" + err;
    assertFalse(ok, printed);
    assertEquals(1, printed.split("\\[ZK902]", -1).length - 1, printed);
    assertTrue(printed.contains("[ZK902] zkynet's annotation processor needs javac's tree API"),
        printed);
    assertFalse(printed.contains("Exception") || printed.contains("internal compiler error"), printed);
  }

  private static Path write(Path dir, String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
