package zkynet.backend.jvm;

import java.util.Arrays;
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
  private static final Shelves FLOATS = new Shelves();
  private static final Shelves DOUBLES = new Shelves();
  private static final Object LOCK = new Object();
  private static long held;
  private static final AtomicLong REUSED = new AtomicLong();
  private static final AtomicLong GIVEN = new AtomicLong();

  private ArrayPool() {}

  /** A float array of {@code length}: a pooled one if there is one, zeroed if {@code zeroed}. */
  static float[] floats(int length, boolean zeroed) {
    float[] a = length < MIN_LENGTH ? null : (float[]) take(FLOATS, length, 4L);
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
    double[] a = length < MIN_LENGTH ? null : (double[]) take(DOUBLES, length, 8L);
    if (a == null) {
      return new double[length];
    }
    if (zeroed) {
      Arrays.fill(a, 0d);
    }
    return a;
  }

  private static Object take(Shelves pool, int length, long bytes) {
    Object a;
    synchronized (LOCK) {
      a = pool.pop(length);
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
  private static void put(Shelves pool, Object a, int length, long bytes) {
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
      pool.push(length, a);
      held += size;
    }
    GIVEN.incrementAndGet();
  }

  /**
   * Stacks of arrays by length, found by open addressing on the length itself: no boxed keys and no
   * hash nodes, so a lookup reads the table's two small arrays and the top of one stack. (A
   * {@code HashMap<Integer, ArrayDeque>} took 16 us per step of the MLP benchmark in misses on its
   * nodes, keys and deques after the step's memory traffic.) Not thread-safe: used under the lock.
   */
  static final class Shelves {
    /** Lengths by slot; 0 marks a free slot (pooled lengths are at least {@link #MIN_LENGTH}). */
    private int[] lengths = new int[16];
    private Object[][] stacks = new Object[16][];
    private int[] counts = new int[16];
    private int used;

    /** The array given last of this length, removed; null if there is none. */
    Object pop(int length) {
      int i = slot(length);
      if (lengths[i] != length || counts[i] == 0) {
        return null;
      }
      Object[] stack = stacks[i];
      int top = --counts[i];
      Object a = stack[top];
      stack[top] = null;
      return a;
    }

    void push(int length, Object a) {
      int i = slot(length);
      if (lengths[i] != length) {
        if (2 * (used + 1) > lengths.length) {
          grow();
          i = slot(length);
        }
        lengths[i] = length;
        stacks[i] = new Object[4];
        used++;
      }
      if (counts[i] == stacks[i].length) {
        stacks[i] = Arrays.copyOf(stacks[i], 2 * counts[i]);
      }
      stacks[i][counts[i]++] = a;
    }

    /** How many arrays of this length are held (for tests). */
    int count(int length) {
      int i = slot(length);
      return lengths[i] == length ? counts[i] : 0;
    }

    void clear() {
      Arrays.fill(lengths, 0);
      Arrays.fill(stacks, null);
      Arrays.fill(counts, 0);
      used = 0;
    }

    /** The slot holding {@code length}, else the free slot where it would go (linear probing). */
    private int slot(int length) {
      int mask = lengths.length - 1;
      int i = (length * 0x9E3779B9) >>> 16 & mask;
      while (lengths[i] != length && lengths[i] != 0) {
        i = (i + 1) & mask;
      }
      return i;
    }

    /** Doubles the table (at most half full, so probes stay short). */
    private void grow() {
      int[] oldLengths = lengths;
      Object[][] oldStacks = stacks;
      int[] oldCounts = counts;
      lengths = new int[2 * oldLengths.length];
      stacks = new Object[lengths.length][];
      counts = new int[lengths.length];
      for (int j = 0; j < oldLengths.length; j++) {
        if (oldLengths[j] != 0) {
          int i = slot(oldLengths[j]);
          lengths[i] = oldLengths[j];
          stacks[i] = oldStacks[j];
          counts[i] = oldCounts[j];
        }
      }
    }
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
