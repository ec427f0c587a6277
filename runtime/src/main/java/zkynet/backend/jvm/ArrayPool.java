package zkynet.backend.jvm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Result arrays of closed graphs, by type and length, for the next kernels' results. A training
 * step makes the same shapes as the one before, so its arrays come back here when its graph is
 * closed and the next step takes them: memory still in cache, instead of new memory the JVM zeroes
 * first (3.6 MB per step of an MLP 784-256-256-10 at batch 128, about a tenth of the step).
 *
 * <p>Only arrays of at least {@link #MIN_LENGTH} elements are pooled (a small array is cheaper to
 * allocate than to look up). A taken array is zeroed, like a new one, unless the kernel takes it
 * as it is because it writes every element (elementwise kernels, GEMM with beta 0). The pool holds
 * at most {@code zkynet.pool.bytes} bytes (default: an eighth of the heap, at most 256 MB); when it
 * is full, everything it holds is dropped for the garbage collector (the sizes that stopped coming
 * back make room for the ones in use now). The most recently given array is taken first (the one
 * most likely in cache). With the system property {@code zkynet.recycle.poison=true} (the tests
 * set it) every array given back is filled with NaN, so that a read of recycled memory, or a kernel
 * that takes an array as it is and leaves an element unwritten, could not pass unnoticed.
 */
public final class ArrayPool {
  /** The smallest length pooled. */
  public static final int MIN_LENGTH = 4096;

  private static final long CAPACITY = Long.getLong("zkynet.pool.bytes",
      Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
  private static final boolean POISON = Boolean.getBoolean("zkynet.recycle.poison");

  /** Float and double arrays by length, each a stack (the last given is taken first); under its lock. */
  private static final Map<Integer, ArrayDeque<float[]>> FLOATS = new HashMap<>();
  private static final Map<Integer, ArrayDeque<double[]>> DOUBLES = new HashMap<>();
  private static final Object LOCK = new Object();
  private static long held;
  private static final AtomicLong REUSED = new AtomicLong();
  private static final AtomicLong GIVEN = new AtomicLong();

  private ArrayPool() {}

  /** A float array of {@code length}: a pooled one if there is one, zeroed if {@code zeroed}. */
  static float[] floats(int length, boolean zeroed) {
    float[] a = length < MIN_LENGTH ? null : take(FLOATS, length, 4L);
    if (a == null) {
      return new float[length];
    }
    if (zeroed) {
      Arrays.fill(a, 0f);
    }
    return a;
  }

  /** A double array of {@code length}: a pooled one if there is one, zeroed if {@code zeroed}. */
  static double[] doubles(int length, boolean zeroed) {
    double[] a = length < MIN_LENGTH ? null : take(DOUBLES, length, 8L);
    if (a == null) {
      return new double[length];
    }
    if (zeroed) {
      Arrays.fill(a, 0d);
    }
    return a;
  }

  private static <A> A take(Map<Integer, ArrayDeque<A>> pool, int length, long bytes) {
    A a;
    synchronized (LOCK) {
      ArrayDeque<A> stack = pool.get(length);
      a = stack == null ? null : stack.pollLast();
      if (a == null) {
        return null;
      }
      held -= bytes * length;
    }
    REUSED.incrementAndGet();
    return a;
  }

  /** Takes back an array nobody reads any more (a recycled result). */
  static void give(float[] a) {
    if (POISON) {
      Arrays.fill(a, Float.NaN);
    }
    put(FLOATS, a, a.length, 4L);
  }

  /** Takes back an array nobody reads any more (a recycled result). */
  static void give(double[] a) {
    if (POISON) {
      Arrays.fill(a, Double.NaN);
    }
    put(DOUBLES, a, a.length, 8L);
  }

  /**
   * Adds an array. When the pool is full, what it holds is dropped first: the sizes that stopped
   * coming back (another model, another batch size) make room for the ones in use now.
   */
  private static <A> void put(Map<Integer, ArrayDeque<A>> pool, A a, int length, long bytes) {
    long size = bytes * length;
    if (size > CAPACITY) {
      return;
    }
    synchronized (LOCK) {
      if (held + size > CAPACITY) {
        FLOATS.clear();
        DOUBLES.clear();
        held = 0;
      }
      pool.computeIfAbsent(length, k -> new ArrayDeque<>()).addLast(a);
      held += size;
    }
    GIVEN.incrementAndGet();
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
    synchronized (LOCK) {
      return held;
    }
  }
}
