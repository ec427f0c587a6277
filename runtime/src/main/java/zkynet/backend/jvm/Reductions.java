package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.backend.Backend.Reduce;
import zkynet.backend.Backend.Unary;
import zkynet.backend.Shapes;

/**
 * SUM, MEAN, MAX and MIN over any set of axes, in one pass over the input in its memory order: the output
 * is addressed with stride 0 on the reduced axes, so a run along a reduced last axis folds into one
 * accumulator (eight partial sums) and a run along a kept axis adds a row into the output's row (the
 * sum over a batch axis). Accumulation is in double for both dtypes. A full reduction of a large
 * contiguous array splits across {@link Parallel}.
 */
final class Reductions {
  private Reductions() {}

  static JvmStorage reduce(Reduce op, JvmStorage x, int[] axes) {
    int[] shape = x.shape;
    int[] outShape = Shapes.without(shape, axes);
    int outSize = (int) Shapes.size(outShape);
    long count = Shapes.size(shape) / Math.max(1, outSize);
    double[] acc = new double[outSize];
    boolean max = op == Reduce.MAX;
    boolean min = op == Reduce.MIN;
    if (max || min) {
      Arrays.fill(acc, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (x.size > 0 && min) { // min x = -max(-x), exactly (negation is exact; NaN stays NaN)
      JvmStorage negated = (JvmStorage) JvmBackend.INSTANCE.unary(Unary.NEG, x);
      JvmStorage r = reduce(Reduce.MAX, negated, axes);
      return (JvmStorage) JvmBackend.INSTANCE.unary(Unary.NEG, r);
    }
    if (x.size > 0) {
      if (outSize == 1 && x.contiguous() && Parallel.worthSplitting(x.size, Parallel.CHEAP)) {
        acc[0] = whole(x, max);
      } else {
        int[] outStrides = new int[shape.length];
        int[] kept = Shapes.strides(outShape);
        for (int i = 0, j = 0, next = 0; i < shape.length; i++) {
          if (next < axes.length && axes[next] == i) {
            next++;
          } else {
            outStrides[i] = kept[j++];
          }
        }
        Walk w = new Walk(shape, new int[][] {x.strides(), outStrides}, x.offset, 0);
        for (long r = 0; r < w.rows; r++) {
          run(x, max, w.off[0], w.innerStride[0], acc, w.off[1], w.innerStride[1], w.inner);
          w.next();
        }
      }
    }
    if (op == Reduce.MEAN) {
      for (int i = 0; i < outSize; i++) {
        acc[i] /= count; // 0 / 0 = NaN: the mean of nothing, as in numpy
      }
    }
    return JvmStorage.of(acc, outShape, x.dtype());
  }

  /**
   * The sum of the squares of all elements, in double (a float32 square never overflows there), in
   * one pass with eight independent accumulators; a large array splits across the pool.
   */
  static double sumOfSquares(JvmStorage s) {
    JvmStorage x = JvmBackend.contiguous(s);
    if (!Parallel.worthSplitting(x.size, Parallel.CHEAP)) {
      return squares(x, x.offset, x.offset + x.size);
    }
    int chunks = Parallel.THREADS;
    double[] partial = new double[chunks];
    int per = (x.size + chunks - 1) / chunks;
    Parallel.forRange(chunks, (from, to) -> {
      for (int c = from; c < to; c++) {
        int lo = Math.min(x.size, c * per);
        partial[c] = squares(x, x.offset + lo, x.offset + Math.min(x.size, lo + per));
      }
    });
    double r = 0;
    for (double p : partial) {
      r += p;
    }
    return r;
  }

  private static double squares(JvmStorage x, int from, int to) {
    return x.isFloat() ? squares(x.f, from, to) : squares(x.d, from, to);
  }

  /**
   * Whether C2 vectorises a loop that widens float to double. Measured here on 784 x 256 floats: the
   * column form of {@link #squares(float[], int, int)} takes 26 us on Java 25 against 62 us for eight
   * scalar chains, and 137 us on Java 17, where the chains stay. SuperWord learned conversions between
   * sizes in JDK 20, so the switch is at 21, the next LTS (not measured on 21-24).
   */
  private static final boolean WIDENING_VECTORISES = Runtime.version().feature() >= 21;

  /** Width of the column form: one double accumulator per column of a {@code COLUMNS}-wide layout. */
  private static final int COLUMNS = 256;

  private static double squares(float[] x, int from, int to) {
    if (WIDENING_VECTORISES && to - from >= 4 * COLUMNS) {
      return squaresByColumns(x, from, to);
    }
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
      double v4 = x[i + 4], v5 = x[i + 5], v6 = x[i + 6], v7 = x[i + 7];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
      s4 += v4 * v4;
      s5 += v5 * v5;
      s6 += v6 * v6;
      s7 += v7 * v7;
    }
    for (; i < to; i++) {
      double v = x[i];
      s0 += v * v;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /**
   * The sum of squares laid out as rows of {@link #COLUMNS}: each column accumulates in its own double
   * (the same index in the accumulators and the row, which C2 vectorises, widening included), the
   * columns and the ragged tail are summed at the end.
   */
  private static double squaresByColumns(float[] x, int from, int to) {
    double[] acc = new double[COLUMNS];
    int i = from;
    for (; i + COLUMNS <= to; i += COLUMNS) {
      for (int j = 0; j < COLUMNS; j++) {
        double v = x[i + j];
        acc[j] += v * v;
      }
    }
    double tail = 0;
    for (; i < to; i++) {
      double v = x[i];
      tail += v * v;
    }
    return sum(acc) + tail;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s;
  }

  private static double squares(double[] x, int from, int to) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      s0 += x[i] * x[i];
      s1 += x[i + 1] * x[i + 1];
      s2 += x[i + 2] * x[i + 2];
      s3 += x[i + 3] * x[i + 3];
      s4 += x[i + 4] * x[i + 4];
      s5 += x[i + 5] * x[i + 5];
      s6 += x[i + 6] * x[i + 6];
      s7 += x[i + 7] * x[i + 7];
    }
    for (; i < to; i++) {
      s0 += x[i] * x[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** The sum or maximum of a whole contiguous array, split across the pool. */
  private static double whole(JvmStorage x, boolean max) {
    int chunks = Parallel.THREADS;
    double[] partial = new double[chunks];
    int per = (x.size + chunks - 1) / chunks;
    Parallel.forRange(chunks, (from, to) -> {
      for (int c = from; c < to; c++) {
        int lo = Math.min(x.size, c * per);
        int hi = Math.min(x.size, lo + per);
        double[] one = {max ? Double.NEGATIVE_INFINITY : 0};
        run(x, max, x.offset + lo, 1, one, 0, 0, hi - lo);
        partial[c] = one[0];
      }
    });
    double r = partial[0];
    for (int c = 1; c < chunks; c++) {
      r = max ? Math.max(r, partial[c]) : r + partial[c];
    }
    return r;
  }

  private static void run(JvmStorage x, boolean max, int xo, int sx, double[] acc, int ao, int sa, int n) {
    if (x.isFloat()) {
      if (max) {
        maxRun(x.f, xo, sx, acc, ao, sa, n);
      } else {
        sumRun(x.f, xo, sx, acc, ao, sa, n);
      }
    } else if (max) {
      maxRun(x.d, xo, sx, acc, ao, sa, n);
    } else {
      sumRun(x.d, xo, sx, acc, ao, sa, n);
    }
  }

  /** Half a block: where {@link #blockSum} keeps the rounding errors. */
  private static final int HALF = FusedLoop.BLOCK / 2;

  /** A thread's block for {@link #sum(float[], int, int)}'s pairwise sums. */
  private static final ThreadLocal<float[]> WORK =
      ThreadLocal.withInitial(() -> new float[FusedLoop.BLOCK]);

  /**
   * The sum of {@code x[from, to)}, as accurate as a double sum: each whole block of {@link
   * FusedLoop#BLOCK} by {@link #blockSum} into the thread's work block (vectorised: about 30% faster
   * than in double on Zen 2), one whose float partial sums overflow (or that holds an infinity or a
   * NaN) and the rest in double.
   */
  static double sum(float[] x, int from, int to) {
    if (to - from < FusedLoop.BLOCK) {
      return sumInDouble(x, from, to);
    }
    float[] work = WORK.get();
    double total = 0;
    int i = from;
    for (; i + FusedLoop.BLOCK <= to; i += FusedLoop.BLOCK) {
      double block = blockSum(x, i, work, 0);
      total += Double.isFinite(block) ? block : sumInDouble(x, i, i + FusedLoop.BLOCK);
    }
    return total + sumInDouble(x, i, to);
  }

  /**
   * The sum of the whole block {@code x[from, from + BLOCK)}, written into {@code v} from {@code at}
   * ({@code v} may be {@code x} itself, then overwritten; the block's BLOCK floats): pairwise in float32 with
   * each addition's rounding error kept (Knuth's TwoSum), by halvings, each a loop over the one array
   * at constant distances, which C2 vectorises (8 floats per AVX2 add); a sum in double or in a few
   * float accumulators is a chain of dependent scalar adds that it does not. The first halving adds
   * the block's second half into its first and leaves the errors in the second half; each next one
   * halves the sums the same way and adds their errors, and the errors' errors (of the order of
   * 2^-48 of the sum of magnitudes), into the second half's front. The {@code BLOCK / 16} sums and
   * their errors left are summed in double. So the result is within {@code 24 * 2^-48} (about
   * 1e-13) times the sum of the block's magnitudes of the exact sum, as accurate as a double sum (a
   * double sum of {@code BLOCK} values: {@code 4096 * 2^-53}); a float partial sum that overflows
   * gives a non-finite result (the caller then sums in double). Measured on Zen 2 with Java 17, with
   * the loop storing the values: 0.30 ms per million values against 0.44 summed in double.
   */
  static double blockSum(float[] x, int from, float[] v, int at) {
    for (int j = 0; j < HALF; j++) {
      float a = x[from + j];
      float b = x[from + j + HALF];
      float s = a + b;
      v[at + j] = s;
      v[at + j + HALF] = twoSumError(a, b, s);
    }
    halve(v, at, FusedLoop.BLOCK / 4);
    halve(v, at, FusedLoop.BLOCK / 8);
    halve(v, at, FusedLoop.BLOCK / 16);
    int rest = FusedLoop.BLOCK / 16;
    return sumInDouble(v, at, at + rest) + sumInDouble(v, at + HALF, at + HALF + rest);
  }

  /**
   * The sums {@code v[j]} of the first {@code 2h} elements from {@code from} halved ({@code v[j] +=
   * v[j + h]}), their errors {@code v[j + HALF]} likewise, plus the new additions' errors ({@code h}
   * a constant once inlined).
   */
  private static void halve(float[] v, int from, int h) {
    for (int j = from; j < from + h; j++) {
      float a = v[j];
      float b = v[j + h];
      float s = a + b;
      v[j] = s;
      v[j + HALF] += v[j + HALF + h] + twoSumError(a, b, s);
    }
  }

  /** The rounding error of {@code s = a + b} (Knuth's TwoSum: {@code a + b == s + error} exactly, without overflow). */
  private static float twoSumError(float a, float b, float s) {
    float bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  // The float and double twins below differ only in the array type (Java has no generics over primitives).

  /** The sum of {@code x[from, to)} in double, in eight independent chains (both FP adders busy). */
  static double sumInDouble(float[] x, int from, int to) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
      s4 += x[i + 4];
      s5 += x[i + 5];
      s6 += x[i + 6];
      s7 += x[i + 7];
    }
    for (; i < to; i++) {
      s0 += x[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  private static void sumRun(float[] x, int xo, int sx, double[] acc, int ao, int sa, int n) {
    if (sa == 0 && sx == 1) {
      acc[ao] += sum(x, xo, xo + n);
    } else if (sa == 1 && sx == 1) {
      for (int i = 0; i < n; i++) {
        acc[ao + i] += x[xo + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        acc[ao + i * sa] += x[xo + i * sx];
      }
    }
  }

  /** The sum of {@code x[from, to)}, in eight independent chains like its float twin. */
  static double sum(double[] x, int from, int to) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = from;
    for (; i + 7 < to; i += 8) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
      s4 += x[i + 4];
      s5 += x[i + 5];
      s6 += x[i + 6];
      s7 += x[i + 7];
    }
    for (; i < to; i++) {
      s0 += x[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  private static void sumRun(double[] x, int xo, int sx, double[] acc, int ao, int sa, int n) {
    if (sa == 0 && sx == 1) {
      acc[ao] += sum(x, xo, xo + n);
    } else if (sa == 1 && sx == 1) {
      for (int i = 0; i < n; i++) {
        acc[ao + i] += x[xo + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        acc[ao + i * sa] += x[xo + i * sx];
      }
    }
  }

  private static void maxRun(float[] x, int xo, int sx, double[] acc, int ao, int sa, int n) {
    for (int i = 0; i < n; i++) {
      acc[ao + i * sa] = Math.max(acc[ao + i * sa], x[xo + i * sx]); // NaN propagates
    }
  }

  private static void maxRun(double[] x, int xo, int sx, double[] acc, int ao, int sa, int n) {
    for (int i = 0; i < n; i++) {
      acc[ao + i * sa] = Math.max(acc[ao + i * sa], x[xo + i * sx]);
    }
  }
}
