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
 * <p>The threshold was measured with {@code ParallelThreshold} (runtime/src/test/java: a harness with
 * warm-up and the median of 201 wall-clock timings per size) on the 2-core Zen 2 machine, for float32
 * add, tanh and exp over 2^10 .. 2^20 elements on one thread and split in two. Handing a range to the
 * pool costs 9-20 us; on that machine (shared, load average 11-14 during the run) the split first won
 * at 2^20 elements for add (0.78 of the one-thread time; 1.15-1.45 at 2^17-2^19) and at 2^19 for
 * tanh (0.81). Costs weigh kernels by their measured time per element (add 0.2-0.3 ns, tanh 0.8 ns,
 * exp/log/sigmoid about 6 ns), so {@code THRESHOLD = 2^19} splits an add from 512K elements, a tanh
 * from 128K and an exp from 22K (about 130 us of work). On an idle machine splitting pays earlier;
 * the value errs towards not splitting, which never costs more than the hand-off.
 */
final class Parallel {
  /** Work ({@code elements * cost}) from which a kernel is split across the pool. */
  static final long THRESHOLD = 1L << 19;

  /** Per-element cost of arithmetic kernels (add, mul, compare, copy). */
  static final int CHEAP = 1;

  /** Per-element cost of {@link FastMath#tanh} (vectorised rational function). */
  static final int MEDIUM = 4;

  /** Per-element cost of the other transcendental kernels (exp, log, sigmoid, pow). */
  static final int COSTLY = 24;

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
   * Runs {@code body} over {@code [0, n)}: split into one range per thread when {@code work} elements
   * of per-element {@code cost} pay for it (see {@link #worthSplitting}), else on the calling thread.
   */
  static void split(long work, int cost, int n, Range body) {
    if (worthSplitting(work, cost)) {
      forRange(n, body);
    } else {
      body.run(0, n);
    }
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
