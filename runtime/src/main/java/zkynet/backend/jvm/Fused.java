package zkynet.backend.jvm;

import java.util.Arrays;
import java.util.function.Supplier;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.backend.Backends;

/**
 * The seam between the JVM backend and the fused kernels the processor generates for elementwise
 * operator bodies: a fused loop runs only when every tensor it reads is float32 on this backend (and
 * this backend makes new tensors), and then reads and writes plain dense {@code float[]} arrays,
 * chunked across {@link Parallel}'s pool above its threshold. Anywhere else the generated op-by-op
 * code runs.
 */
public final class Fused {
  /** Per-element cost of a fused body with a transcendental function, for the split decision. */
  public static final int COSTLY = Parallel.COSTLY;

  /** Per-element cost of a fused body of arithmetic only. */
  public static final int CHEAP = Parallel.CHEAP;

  /** Whether fused code runs at all: system property {@code zkynet.fusion} ({@code false} turns it off). */
  private static final boolean ENABLED = !"false".equals(System.getProperty("zkynet.fusion"));

  /** Set while {@link #opByOp} runs on a thread. */
  private static final ThreadLocal<Boolean> OFF = ThreadLocal.withInitial(() -> false);

  private Fused() {}

  /**
   * Runs {@code work} on this thread with fusion off, so that operators constructed (and
   * differentiated) inside it take their op-by-op path: for tests and benchmarks comparing the two.
   */
  public static <T> T opByOp(Supplier<T> work) {
    boolean before = OFF.get();
    OFF.set(true);
    try {
      return work.get();
    } finally {
      OFF.set(before);
    }
  }

  /** A fused loop body over the element range {@code [start, end)}. */
  public interface Range {
    void run(int start, int end);
  }

  /** A fused loop body that also returns the sum of its values over {@code [start, end)}. */
  public interface SumRange {
    double run(int start, int end);
  }

  /**
   * Whether fused code may run on {@code first} and {@code others}: all float32 on the JVM backend,
   * the current backend the JVM one, and all of one shape except rank-0 operands (which broadcast).
   */
  public static boolean applies(Tensor first, Tensor... others) {
    if (!ENABLED || OFF.get() || Backends.current() != JvmBackend.INSTANCE || !onJvmFloat(first)) {
      return false;
    }
    int[] shape = widest(first, others).shape();
    for (Tensor t : others) {
      if (!onJvmFloat(t)) {
        return false;
      }
    }
    for (Tensor t : others) {
      if (t.rank() > 0 && !Arrays.equals(t.shape(), shape)) {
        return false;
      }
    }
    return first.rank() == 0 || Arrays.equals(first.shape(), shape);
  }

  /** The first operand of the highest rank: its shape is the fused loop's. */
  public static Tensor widest(Tensor first, Tensor... others) {
    Tensor widest = first;
    for (Tensor t : others) {
      widest = t.rank() > widest.rank() ? t : widest;
    }
    return widest;
  }

  /** Whether cotangent {@code g} is float32 on the JVM backend and shaped like {@code output} (no batch axes). */
  public static boolean matches(Tensor g, Tensor output) {
    return onJvmFloat(g) && Arrays.equals(g.shape(), output.shape());
  }

  private static boolean onJvmFloat(Tensor t) {
    return t.dtype() == DType.FLOAT32 && t.storage() instanceof JvmStorage;
  }

  /** The elements of {@code t} as a dense array (index 0 up, row-major): its own, or a copy of a view. */
  public static float[] floats(Tensor t) {
    return JvmBackend.dense((JvmStorage) t.storage()).f;
  }

  /** {@link #floats(Tensor)} of an operand of a loop over {@code n} elements: a rank-0 one is broadcast. */
  public static float[] floats(Tensor t, int n) {
    if (t.rank() > 0 || n == 1) {
      return floats(t);
    }
    float[] out = new float[n];
    Arrays.fill(out, scalar(t));
    return out;
  }

  /** The value of a float32 tensor of one element (a rank-0 operand or a scalar cotangent). */
  public static float scalar(Tensor t) {
    JvmStorage s = (JvmStorage) t.storage();
    return s.f[s.offset];
  }

  /**
   * The gradient of {@code input} from its per-element values {@code g}: shaped like the input, the
   * elements summed for a rank-0 input that was broadcast.
   */
  public static Tensor gradient(float[] g, Tensor input) {
    if (input.rank() > 0 || g.length == 1) {
      return Tensor.wrap(g, input.shape());
    }
    double total = 0;
    for (float v : g) {
      total += v;
    }
    return Tensor.wrap(new float[] {(float) total});
  }

  /** A float32 tensor over {@code data} (kept, not copied) with the shape of {@code like}. */
  public static Tensor result(float[] data, Tensor like) {
    return Tensor.wrap(data, like.shape());
  }

  /** {@code x^c} as the backend's float32 pow kernel computes it ({@code x * x} for c = 2). */
  public static float pow(float x, float c) {
    return c == 2 ? x * x : (float) Math.pow(x, c);
  }

  /** Runs {@code body} over {@code [0, n)}, split across the pool when {@code n * cost} is large. */
  public static void forRange(int n, int cost, Range body) {
    if (Parallel.worthSplitting(n, cost)) {
      Parallel.forRange(n, body::run);
    } else {
      body.run(0, n);
    }
  }

  /** {@link #forRange} for a body that sums: the total over {@code [0, n)}, as a float32 scalar tensor. */
  public static Tensor sum(int n, int cost, SumRange body) {
    double total;
    if (Parallel.worthSplitting(n, cost)) {
      double[] parts = new double[Parallel.THREADS];
      int[] next = {0};
      Parallel.forRange(n, (start, end) -> {
        double part = body.run(start, end);
        synchronized (parts) {
          parts[next[0]++] = part;
        }
      });
      Arrays.sort(parts); // the same total whichever range finished first
      total = 0;
      for (double p : parts) {
        total += p;
      }
    } else {
      total = body.run(0, n);
    }
    return Tensor.wrap(new float[] {(float) total});
  }
}
