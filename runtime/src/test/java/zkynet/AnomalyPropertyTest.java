package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.log;
import static zkynet.BuiltinsOps.sum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Anomaly mode switched on for the whole JVM with {@code -Dzkynet.anomaly=true} (read once, when
 * {@link Anomaly} loads, so it needs a JVM of its own): a child JVM computes {@code sum(log(x))} at a
 * negative x on a thread that never opened a scope, and reports what happened on its output.
 */
class AnomalyPropertyTest {
  @Module
  static class LogSum extends Zk_AnomalyPropertyTest_LogSum {
    Node call(Node x) {
      return sum(log(x));
    }
  }

  /** The child: prints "enabled=..." then "thrown: <operator> <pass>" or "value=<v>". */
  public static void main(String[] args) {
    System.out.println("enabled=" + Anomaly.enabled());
    Thread worker = new Thread(() -> {
      try {
        System.out.println("value=" + new LogSum().apply(Tensor.of(2f, -1f)).value().item());
      } catch (Anomaly.NonFiniteException e) {
        System.out.println("thrown: " + e.operator() + " " + e.pass());
      }
    });
    worker.start();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String child(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), AnomalyPropertyTest.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void thePropertyTurnsItOnForEveryThread() throws Exception {
    String out = child("-Dzkynet.anomaly=true");
    assertTrue(out.contains("enabled=true"), out);
    assertTrue(out.contains("thrown: log FORWARD"), out);
  }

  @Test
  void withoutThePropertyNaNPropagates() throws Exception {
    String out = child();
    assertTrue(out.contains("enabled=false"), out);
    assertTrue(out.contains("value=NaN"), out);
  }
}
