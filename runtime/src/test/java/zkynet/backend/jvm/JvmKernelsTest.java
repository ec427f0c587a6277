package zkynet.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.backend.Backend;
import zkynet.backend.Storage;

/**
 * The JVM backend's kernels at sizes that take the split (multi-threaded) paths and on views, against
 * element-by-element references; and from several threads at once.
 */
class JvmKernelsTest {
  private static final JvmBackend B = JvmBackend.INSTANCE;
  /** Above {@link Parallel#THRESHOLD} for every kernel, and odd. */
  private static final int BIG = (int) Parallel.THRESHOLD + 3;

  private static float[] random(Random rng, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (rng.nextGaussian() * 3);
    }
    return f;
  }

  private static float[] floats(Storage s) {
    double[] d = B.read(s);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** Large elementwise kernels and reductions equal the per-element reference exactly (sums within rounding). */
  static void checkBig(long seed) {
    Random rng = new Random(seed);
    float[] a = random(rng, BIG);
    float[] b = random(rng, BIG);
    Storage sa = B.create(a, new int[] {BIG});
    Storage sb = B.create(b, new int[] {BIG});
    float[] add = floats(B.binary(Backend.Binary.ADD, sa, sb));
    float[] tanh = floats(B.unary(Backend.Unary.TANH, sa));
    float[] scaled = floats(B.scalar(Backend.Scalar.MUL, sa, 1.5));
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < BIG; i++) {
      assertEquals(a[i] + b[i], add[i], 0, "add at " + i);
      assertEquals(FastMath.tanh(a[i]), tanh[i], 0, "tanh at " + i);
      assertEquals(a[i] * 1.5f, scaled[i], 0, "mul at " + i);
      sum += a[i];
      max = Math.max(max, a[i]);
    }
    assertEquals(sum, B.item(B.reduce(Backend.Reduce.SUM, sa, new int[] {0})), 1e-6 * BIG);
    assertEquals(max, B.item(B.reduce(Backend.Reduce.MAX, sa, new int[] {0})), 0);
  }

  @Test
  void splitKernelsMatchTheReference() {
    checkBig(1);
  }

  @Test
  void manyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = 100 + t;
        done.add(pool.submit(() -> checkBig(seed)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void biasAddAndBatchSumOnViews() {
    Random rng = new Random(3);
    float[] x = random(rng, 128 * 256);
    float[] bias = random(rng, 256);
    Storage sx = B.create(x, new int[] {128, 256});
    Storage sb = B.broadcastTo(B.reshape(B.create(bias, new int[] {256}), new int[] {1, 256}), new int[] {128, 256});
    float[] y = floats(B.binary(Backend.Binary.ADD, sx, sb));
    double[] colSums = B.read(B.reduce(Backend.Reduce.SUM, sx, new int[] {0}));
    for (int j = 0; j < 256; j++) {
      double s = 0;
      for (int i = 0; i < 128; i++) {
        assertEquals(x[i * 256 + j] + bias[j], y[i * 256 + j], 0);
        s += x[i * 256 + j];
      }
      assertEquals(s, colSums[j], 1e-3);
    }
  }

  /**
   * Sums and means over leading axes (column sums, four rows per pass) against double sums: row counts
   * around the block of four, a slice starting inside its array, rank 3, both dtypes, and a column
   * whose terms cancel (1e8, 1, -1e8: 1 in double, 0 had it been summed in float).
   */
  @Test
  void sumsOverLeadingAxes() {
    Random rng = new Random(6);
    for (int rows : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 128}) {
      for (int cols : new int[] {1, 3, 256}) {
        double[] x = new double[(rows + 2) * cols];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rng.nextGaussian();
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
          Storage all = B.create(x, new int[] {rows + 2, cols}, dtype);
          Storage s = B.slice(all, 0, 2, rows + 2); // contiguous, from offset 2 * cols
          double[] sums = B.read(B.reduce(Backend.Reduce.SUM, s, new int[] {0}));
          double[] means = B.read(B.reduce(Backend.Reduce.MEAN, s, new int[] {0}));
          for (int j = 0; j < cols; j++) {
            double want = 0;
            for (int i = 2; i < rows + 2; i++) {
              want += x[i * cols + j];
            }
            String where = dtype + " " + rows + "x" + cols + " column " + j;
            boolean f32 = dtype == DType.FLOAT32; // summed in double, rounded once to float
            assertEquals(want, sums[j], f32 ? Math.ulp((float) want) : 1e-12 * rows, where);
            assertEquals(want / rows, means[j], f32 ? Math.ulp((float) (want / rows)) : 1e-12, where + " (mean)");
          }
        }
      }
    }
    double[] cancelling = {1e8, 2, 1, 3, -1e8, 4, 0, 5}; // exact in float32
    Storage matrix = B.create(cancelling, new int[] {4, 2}, DType.FLOAT32);
    assertArrayEquals(new double[] {1, 14}, B.read(B.reduce(Backend.Reduce.SUM, matrix, new int[] {0})));
    Storage cube = B.create(cancelling, new int[] {2, 2, 2}, DType.FLOAT32);
    assertArrayEquals(new double[] {1, 14}, B.read(B.reduce(Backend.Reduce.SUM, cube, new int[] {0, 1})));
    assertArrayEquals(new double[] {1e8 - 1e8, 6, 1, 8}, B.read(B.reduce(Backend.Reduce.SUM, cube, new int[] {0})));
  }

  @Test
  void transposedViewsGoToGemmWithoutCopies() {
    Random rng = new Random(4);
    int m = 7;
    int k = 5;
    int n = 3;
    float[] a = random(rng, k * m); // stored [k, m]: used transposed
    float[] b = random(rng, n * k); // stored [n, k]: used transposed
    Storage at = B.permute(B.create(a, new int[] {k, m}), new int[] {1, 0});
    Storage bt = B.permute(B.create(b, new int[] {n, k}), new int[] {1, 0});
    double[] c = B.read(B.matmul(at, bt));
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[p * m + i] * b[j * k + p];
        }
        assertEquals(s, c[i * n + j], 1e-4, "c[" + i + "][" + j + "]");
      }
    }
  }

  /**
   * The sum of squares at lengths around the column layout's edges (Java 21+ sums in double columns,
   * Java 17-20 in float blocks folded into double, within 8 * 2^-24: SumOfSquaresAccuracyTest): squares
   * of huge floats stay finite, NaN and infinities anywhere propagate.
   */
  @Test
  void sumOfSquaresInDoubleAtEveryLayout() {
    Random rng = new Random(5);
    for (int n : new int[] {0, 1, 7, 1023, 1024, 1025, 256 * 7 + 13, BIG}) {
      float[] x = random(rng, n);
      double want = 0;
      for (float v : x) {
        want += (double) v * v;
      }
      Storage s = B.create(x, new int[] {n});
      double tolerance = Runtime.version().feature() >= 21 ? 1e-12 : 8 * 0x1p-24;
      assertEquals(want, B.sumOfSquares(s), tolerance * want, "n = " + n);
      if (n == 0) {
        continue;
      }
      for (int at : new int[] {0, n / 2, n - 1}) {
        float[] y = x.clone();
        y[at] = Float.MAX_VALUE;
        double big = want - (double) x[at] * x[at] + (double) Float.MAX_VALUE * Float.MAX_VALUE;
        assertEquals(big, B.sumOfSquares(B.create(y, new int[] {n})), 1e-12 * big, "max at " + at);
        y[at] = Float.NEGATIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, B.sumOfSquares(B.create(y, new int[] {n})), "-inf at " + at);
        y[at] = Float.NaN;
        assertEquals(Double.NaN, B.sumOfSquares(B.create(y, new int[] {n})), "NaN at " + at);
      }
    }
  }

  @Test
  void addInPlaceWritesOnlyTheAccumulator() {
    Storage acc = B.binary(Backend.Binary.ADD, B.create(new float[] {1, 2, 3, 4}, new int[] {2, 2}),
        B.create(new float[] {0, 0, 0, 0}, new int[] {2, 2}));
    Storage row = B.create(new float[] {10, 20}, new int[] {1, 2});
    Storage x = B.broadcastTo(row, new int[] {2, 2});
    assertSame(acc, B.addInPlace(acc, x));
    assertArrayEquals(new double[] {11, 22, 13, 24}, B.read(acc));
    assertArrayEquals(new double[] {10, 20}, B.read(row));
    assertEquals(DType.FLOAT32, acc.dtype());
  }
}
