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

  /** Per thread, the fused loops it has run ({@link #loopsRun}). */
  private static final ThreadLocal<long[]> RUNS = ThreadLocal.withInitial(() -> new long[1]);

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

  /**
   * How many fused loops (forward or backward) the calling thread has started so far: how a test
   * tells that an operator took its fused path, not only that its values agree.
   */
  public static long loopsRun() {
    return RUNS.get()[0];
  }

  /** Counts one fused loop started on the calling thread. */
  static void countRun() {
    RUNS.get()[0]++;
  }

  /**
   * The plan of a fused loop over {@code operands}, or null when fused code may not run on them: not
   * all float32 on the JVM backend (or the current backend another), or shapes that do not broadcast
   * (see {@link FusedLoop}).
   */
  public static FusedLoop plan(Tensor... operands) {
    if (!ENABLED || OFF.get() || Backends.current() != JvmBackend.INSTANCE) {
      return null;
    }
    for (Tensor t : operands) {
      if (!onJvmFloat(t)) {
        return null;
      }
    }
    return FusedLoop.of(operands);
  }

  /**
   * The plan of a fused loop closed by a reduction over the last axis ({@code sum(-1)}, {@code
   * mean(-1)}): like {@link #plan}, and null too when the operands' shape has no axis.
   */
  public static FusedLoop planRows(Tensor... operands) {
    FusedLoop loop = plan(operands);
    return loop != null && loop.hasRows() ? loop : null;
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

  /** The value of a float32 tensor of one element (a rank-0 operand or a scalar cotangent). */
  public static float scalar(Tensor t) {
    JvmStorage s = (JvmStorage) t.storage();
    return s.f[s.offset];
  }

  /** {@code x^c} as the backend's float32 pow kernel computes it ({@code x * x} for c = 2). */
  public static float pow(float x, float c) {
    return c == 2 ? x * x : (float) Math.pow(x, c);
  }
}
