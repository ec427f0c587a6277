package zkynet.examples;

import java.nio.file.Path;

/** The parts of the demo that come from later pieces: pictures and training. */
final class DemoExtras {
  private DemoExtras() {}

  static void run(Path out) throws Exception {
  }
}
