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

  // The float and double twins below differ only in the array type (Java has no generics over primitives).

  /** The sum of {@code x[from, to)} in double, in eight independent chains (both FP adders busy). */
  static double sum(float[] x, int from, int to) {
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
