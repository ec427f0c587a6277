package zkynet.backend.jvm;

import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Result arrays of closed graphs, by type and length, for the next kernels' results. A training
 * step makes the same shapes as the one before, so its arrays come back here when its graph is
 * closed and the next step takes them: memory still in cache, instead of new memory the JVM zeroes
 * first (3.6 MB per step of an MLP 784-256-256-10 at batch 128, about a tenth of the step).
 *
 * <p>Only arrays of at least {@link #MIN_LENGTH} elements are pooled (a small array is cheaper to
 * allocate than to look up). A taken array is zeroed, like a new one, so kernels may rely on zeros
 * as before. The pool holds at most {@code zkynet.pool.bytes} bytes (default: an eighth of the
 * heap, at most 256 MB); when it is full, everything it holds is dropped for the garbage collector
 * (the sizes that stopped coming back make room for the ones in use now). The most
 * recently given array is taken first (the one most likely in cache). With the system property
 * {@code zkynet.recycle.poison=true} (the tests set it) every array given back is filled with NaN,
 * so that a read of recycled memory could not pass unnoticed.
 */
public final class ArrayPool {
  /** The smallest length pooled. */
  public static final int MIN_LENGTH = 4096;

  private static final long CAPACITY = Long.getLong("zkynet.pool.bytes",
      Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
  private static final boolean POISON = Boolean.getBoolean("zkynet.recycle.poison");

  private static final ConcurrentHashMap<Integer, Deque<float[]>> FLOATS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Integer, Deque<double[]>> DOUBLES = new ConcurrentHashMap<>();
  private static final AtomicLong HELD = new AtomicLong();
  private static final AtomicLong REUSED = new AtomicLong();
  private static final AtomicLong GIVEN = new AtomicLong();

  private ArrayPool() {}

  /** A zeroed float array of {@code length}: a pooled one if there is one. */
  static float[] floats(int length) {
    float[] a = length < MIN_LENGTH ? null : poll(FLOATS, length, 4L);
    if (a == null) {
      return new float[length];
    }
    Arrays.fill(a, 0f);
    return a;
  }

  /** A zeroed double array of {@code length}: a pooled one if there is one. */
  static double[] doubles(int length) {
    double[] a = length < MIN_LENGTH ? null : poll(DOUBLES, length, 8L);
    if (a == null) {
      return new double[length];
    }
    Arrays.fill(a, 0d);
    return a;
  }

  private static <A> A poll(ConcurrentHashMap<Integer, Deque<A>> pool, int length, long bytes) {
    Deque<A> q = pool.get(length);
    A a = q == null ? null : q.pollLast();
    if (a != null) {
      HELD.addAndGet(-bytes * length);
      REUSED.incrementAndGet();
    }
    return a;
  }

  /** Takes back an array nobody reads any more (a recycled result), if the pool has room. */
  static void give(float[] a) {
    if (room(4L * a.length)) {
      if (POISON) {
        Arrays.fill(a, Float.NaN);
      }
      FLOATS.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).addLast(a);
    }
  }

  /** Takes back an array nobody reads any more (a recycled result), if the pool has room. */
  static void give(double[] a) {
    if (room(8L * a.length)) {
      if (POISON) {
        Arrays.fill(a, Double.NaN);
      }
      DOUBLES.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).addLast(a);
    }
  }

  /**
   * Counts {@code bytes} in. When the pool is full, what it holds is dropped first: the sizes that
   * stopped coming back (another model, another batch size) make room for the ones in use now.
   */
  private static boolean room(long bytes) {
    if (bytes > CAPACITY) {
      return false;
    }
    if (HELD.addAndGet(bytes) > CAPACITY) {
      HELD.addAndGet(-bytes);
      drain(FLOATS, 4L);
      drain(DOUBLES, 8L);
      HELD.addAndGet(bytes);
    }
    GIVEN.incrementAndGet();
    return true;
  }

  private static <A> void drain(ConcurrentHashMap<Integer, Deque<A>> pool, long bytes) {
    pool.forEach((length, q) -> {
      while (q.pollLast() != null) {
        HELD.addAndGet(-bytes * length);
      }
    });
  }

  /** How many arrays kernels have taken from the pool since the JVM started (a probe for tests). */
  public static long reused() {
    return REUSED.get();
  }

  /** How many arrays closed graphs have given to the pool since the JVM started. */
  public static long given() {
    return GIVEN.get();
  }

  /** The bytes the pool holds now. */
  public static long heldBytes() {
    return HELD.get();
  }
}
