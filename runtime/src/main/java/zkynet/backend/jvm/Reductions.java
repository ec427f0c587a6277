package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.backend.Backend.Reduce;
import zkynet.backend.Backend.Unary;
import zkynet.backend.Shapes;

/**
 * SUM, MEAN, MAX and MIN over any set of axes, in one pass over the input in its memory order: the output
 * is addressed with stride 0 on the reduced axes, so a run along a reduced last axis folds into one
 * accumulator (eight partial sums) and a run along a kept axis adds a row into the output's row; a
 * sum over the leading axes of a contiguous input (over a batch) adds four rows at a time. Accumulation is in double for both dtypes. A full reduction of a large
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
      } else if (!max && outSize > 1 && x.contiguous() && leading(axes)) {
        columnSums(x, x.size / outSize, outSize, acc);
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

  /** Whether {@code axes} (sorted) are the leading axes {@code 0 .. axes.length - 1}. */
  private static boolean leading(int[] axes) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] != i) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code acc[j] += sum over r of x[r][j]} for contiguous x laid out as {@code rows x cols} (a sum
   * over the leading axes, such as a bias gradient's sum over the batch). Four rows are added in
   * double per pass over {@code acc}, so acc is loaded and stored once per four elements instead of
   * once per element as in the Walk's row by row form. Measured in the benchmark's MLP step (one
   * process, the two forms alternating step by step over 128 rows of its three gradients, 66K
   * elements; medians of 3,000 steps, three runs): Java 17 27.1-27.7 us against 37.9-38.5, Java 25
   * 13.6-28.3 against 17.0-25.3 (two runs of three faster).
   */
  private static void columnSums(JvmStorage x, int rows, int cols, double[] acc) {
    int r = 0;
    for (int a = x.offset; r + 3 < rows; r += 4, a += 4 * cols) {
      if (x.isFloat()) {
        columnSums4(x.f, a, cols, acc);
      } else {
        columnSums4(x.d, a, cols, acc);
      }
    }
    for (int a = x.offset + r * cols; r < rows; r++, a += cols) {
      run(x, false, a, 1, acc, 0, 1, cols);
    }
  }

  private static void columnSums4(float[] x, int a, int cols, double[] acc) {
    int b = a + cols;
    int c = b + cols;
    int d = c + cols;
    for (int j = 0; j < cols; j++) {
      acc[j] += ((double) x[a + j] + x[b + j]) + ((double) x[c + j] + x[d + j]);
    }
  }

  private static void columnSums4(double[] x, int a, int cols, double[] acc) {
    int b = a + cols;
    int c = b + cols;
    int d = c + cols;
    for (int j = 0; j < cols; j++) {
      acc[j] += (x[a + j] + x[b + j]) + (x[c + j] + x[d + j]);
    }
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
   * scalar chains, and 62-137 us on Java 17 (two sessions' measurements) for the chains. SuperWord
   * learned conversions between sizes in JDK 20, so the switch is at 21, the next LTS (not measured on
   * 21-24). Below 21 the float
   * blocks of {@link #squaresInFloatBlocks} take the place of the column form. They would be faster on
   * Java 25 too (SquaresHarness, median / min: 33 / 28 us against 80 / 27 us at 784 x 256, 4.8 / 4.1
   * against 13.2 / 13.1 us at 128 x 256), but the column form keeps the accuracy of double there.
   */
  private static final boolean WIDENING_VECTORISES = Runtime.version().feature() >= 21;

  /** Width of the column form: one double accumulator per column of a {@code COLUMNS}-wide layout. */
  private static final int COLUMNS = 256;

  private static double squares(float[] x, int from, int to) {
    if (to - from < 4 * COLUMNS) {
      return squaresInChains(x, from, to);
    }
    return WIDENING_VECTORISES ? squaresByColumns(x, from, to) : squaresInFloat(x, from, to);
  }

  /**
   * The sum of squares by {@link #squaresInFloatBlocks}, or again in double where that result is not
   * trusted (NaN, infinite, or below {@link #TRUSTED_FLOAT_BLOCKS}): the Java 17-20 form.
   */
  static double squaresInFloat(float[] x, int from, int to) {
    double s = squaresInFloatBlocks(x, from, to);
    return s >= TRUSTED_FLOAT_BLOCKS && s < Double.POSITIVE_INFINITY ? s : squaresInChains(x, from, to);
  }

  /** The sum of squares in double, in eight independent chains (scalar on Java 17: it widens). */
  static double squaresInChains(float[] x, int from, int to) {
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

  /** Rows of {@link #COLUMNS} copied and squared together by {@link #squaresInFloatBlocks}. */
  private static final int ROWS_PER_COPY = 4;

  /** Rows whose squares a float column accumulator sums before it is added into its double. */
  private static final int FLOAT_BLOCK_ROWS = 16;

  /**
   * Below this a result of {@link #squaresInFloatBlocks} may have lost too much to float underflow, and
   * the sum is taken again in double. A float square of |x| below 2^-63 is subnormal or flushes to 0,
   * each off by at most 2^-150 (half the spacing 2^-149 of subnormals; sums of subnormals are exact),
   * so fewer than 2^31 elements lose less than 2^-119 in all: at most 2^-24 of any result from 2^-95.
   */
  private static final double TRUSTED_FLOAT_BLOCKS = 0x1p-95;

  /**
   * The sum of squares for Java 17-20, where C2 vectorises float arithmetic but neither a widening to
   * double nor (between two float arrays) an access at an offset unknown relative to the other: so
   * {@link #ROWS_PER_COPY} rows of {@link #COLUMNS} are copied to a buffer (one arraycopy), squared and
   * added to a float accumulator per column (all at constant offsets), and after {@link #FLOAT_BLOCK_ROWS}
   * rows each column's float sum is added into its double. The ragged tail (less than one copy) is
   * summed in double. Measured on Java 17 (SquaresHarness, median / min): 35 / 29 us against 63 / 62 us
   * for {@link #squaresInChains} at 784 x 256, 9.1 / 6.3 against 10.2 / 10.1 us at 128 x 256.
   *
   * <p>Error, u = 2^-24: a square is rounded once, added to three others in a tree of two levels, and
   * that group to the column's float sum at most B/4 - 1 = 3 times before the fold (B =
   * {@link #FLOAT_BLOCK_ROWS}): at most 6 roundings of non-negative terms, so a block is within
   * 6u / (1 - 6u) of its exact sum. Underflow adds at most u above {@link #TRUSTED_FLOAT_BLOCKS}, and the
   * double additions after the fold about (n / 4096 + 258) * 2^-53 (2^-34 for 2^31 elements). In all the
   * result is within 8u (4.8e-7) of the exact sum; on random data typically 1e-10 to 1e-9.
   *
   * <p>{@link #squaresInFloat} does not trust, and sums again in double, a result that is NaN (a NaN
   * element), infinite (an infinite element, or a float square or block sum above 3.4e38, finite in
   * double) or below {@link #TRUSTED_FLOAT_BLOCKS}.
   */
  private static double squaresInFloatBlocks(float[] x, int from, int to) {
    float[] rows = new float[ROWS_PER_COPY * COLUMNS];
    float[] block = new float[COLUMNS];
    double[] acc = new double[COLUMNS];
    int i = from;
    int copy = ROWS_PER_COPY * COLUMNS;
    int blockRows = 0;
    for (; i + copy <= to; i += copy) {
      System.arraycopy(x, i, rows, 0, copy);
      for (int j = 0; j < COLUMNS; j++) {
        float a = rows[j], b = rows[j + COLUMNS], c = rows[j + 2 * COLUMNS], d = rows[j + 3 * COLUMNS];
        block[j] += (a * a + b * b) + (c * c + d * d);
      }
      blockRows += ROWS_PER_COPY;
      if (blockRows == FLOAT_BLOCK_ROWS) {
        addInto(acc, block);
        blockRows = 0;
      }
    }
    addInto(acc, block);
    return sum(acc) + squaresInChains(x, i, to);
  }

  /** {@code acc += block}, widening; then {@code block = 0}. */
  private static void addInto(double[] acc, float[] block) {
    for (int j = 0; j < block.length; j++) {
      acc[j] += block[j];
      block[j] = 0;
    }
  }

  /**
   * The sum of squares laid out as rows of {@link #COLUMNS}: each column accumulates in its own double
   * (the same index in the accumulators and the row, which C2 vectorises, widening included), the
   * columns and the ragged tail are summed at the end.
   */
  static double squaresByColumns(float[] x, int from, int to) {
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
