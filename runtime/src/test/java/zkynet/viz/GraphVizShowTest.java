package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.ModuleGraph;

/** {@code show} without a display: it writes the files and says so on stdout. */
class GraphVizShowTest {
  @TempDir
  Path dir;

  @Test
  void headlessShowWritesFilesAndSaysWhere() throws Exception {
    String before = System.getProperty("zkynet.viz.headless");
    System.setProperty("zkynet.viz.headless", "true"); // no window even where a display exists
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    GraphViz.PictureFiles files;
    try {
      ModuleGraph g = new VizModels.Simple(1.0).apply(3.0);
      g.back();
      files = GraphViz.show(g, 2, "simple model at x = 3", dir);
    } finally {
      System.setOut(out);
      if (before == null) {
        System.clearProperty("zkynet.viz.headless");
      } else {
        System.setProperty("zkynet.viz.headless", before);
      }
    }
    String said = captured.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("not showing \"simple model at x = 3\""), said);
    assertTrue(said.contains("wrote it to files instead"), said);
    assertTrue(said.contains(files.png().toString()) && said.contains(files.svg().toString())
        && said.contains(files.dot().toString()), said);
    assertTrue(files.png().getFileName().toString().equals("simple-model-at-x-3.png"));
    assertTrue(Files.size(files.png()) > 1000 && Files.size(files.svg()) > 1000
        && Files.readString(files.dot()).contains("grad 33"));
  }

  @Test
  void defaultDirectoryIsUnderTheTemporaryDirectory() {
    assertTrue(GraphViz.defaultDirectory().startsWith(Path.of(System.getProperty("java.io.tmpdir"))));
  }
}
