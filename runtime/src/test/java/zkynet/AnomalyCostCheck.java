package zkynet;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;

import java.util.Arrays;

/**
 * Not a unit test: a benchmark main for the cost of anomaly mode. Times {@code apply} + {@code back}
 * of a 16-operator module (median and best of 41 rounds of 300 calls, after warm-up) with anomaly
 * mode off, and on ({@code on}); {@code other} keeps a scope open on another thread, so the hot-path
 * check passes and each operator also looks at its thread's scope depth.
 *
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes:$(deps) zkynet.AnomalyCostCheck off
 * </pre>
 */
public final class AnomalyCostCheck {
  private AnomalyCostCheck() {}

  /** Eight rounds of x * w + b on a scalar: 16 operators. */
  @Module
  static class Chain extends Zk_AnomalyCostCheck_Chain {
    final Parameter w;
    final Parameter b;

    Chain() {
      w = parameter(0.5);
      b = parameter(0.25);
    }

    Node call(Node x) {
      Node y = x;
      for (int i = 0; i < 8; i++) {
        y = add(mult(y, w), b);
      }
      return y;
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "off";
    Chain m = new Chain();
    Tensor x = Tensor.of(1.5f);
    Anomaly scope = mode.equals("on") ? Anomaly.detect() : null;
    Thread other = null;
    if (mode.equals("other")) {
      other = new Thread(() -> {
        try (Anomaly a = Anomaly.detect()) {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          // done
        }
      });
      other.start();
    }
    int rounds = 41;
    int calls = 300;
    double[] micros = new double[rounds];
    for (int warm = 0; warm < 3000; warm++) {
      m.apply(x).back();
    }
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        m.apply(x).back();
      }
      micros[r] = (System.nanoTime() - t0) / 1e3 / calls;
    }
    Arrays.sort(micros);
    System.out.printf("anomaly %s: apply+back of 16 operators: median %.1f us, min %.1f us per call%n",
        mode, micros[rounds / 2], micros[0]);
    long n = 200_000_000L;
    long t0 = System.nanoTime();
    long hits = 0;
    for (long i = 0; i < n; i++) {
      if (Anomaly.armed()) {
        hits++;
      }
    }
    System.out.printf("Anomaly.armed(): %.2f ns per check (%d armed)%n",
        (System.nanoTime() - t0) / (double) n, hits);
    if (scope != null) {
      scope.close();
    }
    if (other != null) {
      other.interrupt();
    }
  }
}
