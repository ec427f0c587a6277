package zkynet.backend.jvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The shared worker pool of the JVM backend: daemon threads, as many as the JVM has processors (or
 * the system property {@code zkynet.threads}; 1 turns splitting off). A kernel over {@code n}
 * elements splits into equal contiguous ranges, one per thread, when its work {@code n * cost}
 * reaches {@link #THRESHOLD}; the calling thread runs the first range itself.
 *
 * <p>The threshold was measured with {@code ParallelThreshold} (runtime/src/test/java, a harness:
 * warm-up, then the median of 200 timings per size) on the 2-core Zen 2 machine: a float32 add of
 * {@code n} elements on 1 and 2 threads. Splitting costs about 8-15 us of hand-off; two threads
 * first win at about 2^16 (65536) elements for an add (cost 1) and at about 2^12 for a fast tanh
 * (cost 8, about 8 times the work per element); see the README's "Speed" section.
 */
final class Parallel {
  /** Work ({@code elements * cost}) from which a kernel is split across the pool. */
  static final long THRESHOLD = 1L << 16;

  /** Per-element cost of arithmetic kernels (add, mul, copy, compare). */
  static final int CHEAP = 1;

  /** Per-element cost of transcendental kernels (exp, log, tanh, sigmoid, pow). */
  static final int COSTLY = 8;

  static final int THREADS = Math.max(1, Integer.getInteger("zkynet.threads",
      Runtime.getRuntime().availableProcessors()));

  private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setName("zkynet-worker-" + t.getPoolIndex());
    t.setDaemon(true);
    return t;
  }, null, false);

  private Parallel() {}

  /** A kernel over the element range {@code [from, to)}. */
  interface Range {
    void run(int from, int to);
  }

  /** Whether a kernel over {@code n} elements of per-element {@code cost} should split. */
  static boolean worthSplitting(long n, int cost) {
    return THREADS > 1 && n * cost >= THRESHOLD && !(Thread.currentThread() instanceof ForkJoinWorkerThread);
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into one range per thread (callers first check
   * {@link #worthSplitting}). An exception in any range is rethrown here after all ranges end.
   */
  static void forRange(int n, Range body) {
    int chunks = (int) Math.min(THREADS, n);
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
    for (int c = 1; c < chunks; c++) {
      int from = bound(n, chunks, c);
      int to = bound(n, chunks, c + 1);
      tasks[c] = POOL.submit(() -> body.run(from, to));
    }
    RuntimeException failure = null;
    try {
      body.run(0, bound(n, chunks, 1));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (int c = 1; c < chunks; c++) {
      try {
        tasks[c].join();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Start of range {@code c} of {@code chunks} over {@code n}; aligned to 16 elements (whole cache lines) for long ranges. */
  private static int bound(int n, int chunks, int c) {
    if (c >= chunks) {
      return n;
    }
    long b = (long) n * c / chunks;
    return (int) (n >= 1024 ? b & ~15L : b);
  }
}
