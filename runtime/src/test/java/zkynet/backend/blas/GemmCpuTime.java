package zkynet.backend.blas;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link GemmBench#w3Step()} timed by the calling thread's CPU time, one OpenBLAS thread: on a shared
 * machine, wall-clock medians measure the other processes more than the code. Not a test; run with
 * the jmh profile and {@code -Djmh.main=zkynet.backend.blas.GemmCpuTime -Djmh.args="BINDING..."}.
 * Prints min and median per binding.
 */
public final class GemmCpuTime {
  private GemmCpuTime() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] bindings = args.length > 0 ? args
        : new String[] {"openblas-ffm", "openblas-jni", "openblas-javacpp", "java-blocked", "java"};
    for (String binding : bindings) {
      GemmBench bench = new GemmBench();
      bench.binding = binding;
      bench.threads = 1;
      try {
        bench.setUp();
      } catch (RuntimeException | LinkageError e) {
        System.out.println(binding + ": not available here (" + e + ")");
        continue;
      }
      int steps = binding.startsWith("java") ? 40 : 400;
      for (int i = 0; i < steps; i++) {
        bench.w3Step();
      }
      long[] nanos = new long[steps];
      for (int i = 0; i < steps; i++) {
        long start = threads.getCurrentThreadCpuTime();
        bench.w3Step();
        nanos[i] = threads.getCurrentThreadCpuTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf("%s, Java %d: CPU time per W3 step min %.3f ms, median %.3f ms (%d steps)%n",
          binding, Runtime.version().feature(), nanos[0] / 1e6, nanos[steps / 2] / 1e6, steps);
    }
  }
}
