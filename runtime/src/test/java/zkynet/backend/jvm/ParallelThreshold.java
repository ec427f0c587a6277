package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.backend.Backend;

/**
 * Not a unit test: the harness that chose {@link Parallel#THRESHOLD}. For sizes 2^10 .. 2^20 it times
 * a float32 kernel (add, tanh, exp) on one thread and split across the pool (wall clock, warm-up, then
 * the median of 201 runs) and prints the ratio. Run it on an otherwise idle machine:
 *
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes zkynet.backend.jvm.ParallelThreshold
 * </pre>
 */
public final class ParallelThreshold {
  private ParallelThreshold() {}

  public static void main(String[] args) {
    int max = 1 << 20;
    float[] a = new float[max];
    float[] b = new float[max];
    float[] o = new float[max];
    for (int i = 0; i < max; i++) {
      a[i] = (float) Math.sin(i);
      b[i] = (float) Math.cos(i);
    }
    for (String kernel : new String[] {"add", "tanh", "exp"}) {
      for (int n = 1 << 10; n <= max; n <<= 1) {
        int size = n;
        Parallel.Range body = (from, to) -> {
          switch (kernel) {
            case "add" -> F32.binary(Backend.Binary.ADD, a, b, o, from, to);
            case "tanh" -> F32.unary(Backend.Unary.TANH, a, o, from, to);
            default -> F32.unary(Backend.Unary.EXP, a, o, from, to);
          }
        };
        double one = median(() -> body.run(0, size));
        double split = median(() -> Parallel.forRange(size, body));
        System.out.printf("%-5s n=2^%-2d  1 thread %9.1f us   %d threads %9.1f us   ratio %.2f%n", kernel,
            Integer.numberOfTrailingZeros(n), one / 1e3, Parallel.THREADS, split / 1e3, split / one);
      }
    }
  }

  private static double median(Runnable r) {
    for (int i = 0; i < 200; i++) {
      r.run();
    }
    double[] t = new double[201];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      r.run();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
