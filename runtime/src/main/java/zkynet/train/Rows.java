package zkynet.train;

import java.util.Arrays;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Row-major values {@code [N, ...]} held in the storage of their dtype ({@code float[]} for float32,
 * {@code double[]} for float64), so a float32 dataset costs 4 bytes a value and its mini-batches are
 * gathered from float storage without a detour through {@code double[]}. Immutable.
 */
final class Rows {
  private final float[] floats; // float32, else null
  private final double[] doubles; // float64, else null
  private final int count;
  private final int[] rowShape;
  private final int rowSize;

  private Rows(float[] floats, double[] doubles, int count, int[] rowShape) {
    this.floats = floats;
    this.doubles = doubles;
    this.count = count;
    this.rowShape = rowShape;
    this.rowSize = Math.toIntExact(sizeOf(rowShape));
    long expected = (long) count * rowSize;
    long actual = floats != null ? floats.length : doubles.length;
    if (expected != actual) {
      throw new IllegalArgumentException(actual + " values do not fill " + count + " rows of shape "
          + Arrays.toString(rowShape) + " (" + expected + " values)");
    }
  }

  /** The rows of a tensor of rank >= 1 (copied). {@code what} names it in errors. */
  static Rows of(Tensor t, String what) {
    if (t.rank() < 1) {
      throw new IllegalArgumentException("Dataset: " + what + " need a leading row axis, got a scalar");
    }
    int[] shape = t.shape();
    int[] row = Arrays.copyOfRange(shape, 1, shape.length);
    double[] d = t.toDoubleArray();
    if (t.dtype() == DType.FLOAT64) {
      return new Rows(null, d, shape[0], row);
    }
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return new Rows(f, null, shape[0], row);
  }

  /** Float32 rows over {@code data} (kept, not copied), shaped {@code [N, ...]}. */
  static Rows ofFloats(float[] data, int[] shape) {
    if (shape.length < 1) {
      throw new IllegalArgumentException("Dataset: a shape needs a leading row axis, got []");
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("Dataset: negative size in shape " + Arrays.toString(shape));
      }
    }
    return new Rows(data, null, shape[0], Arrays.copyOfRange(shape, 1, shape.length));
  }

  int count() {
    return count;
  }

  int[] rowShape() {
    return rowShape.clone();
  }

  DType dtype() {
    return floats != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  /** All rows as one tensor. */
  Tensor all() {
    return floats != null ? tensor(floats, count) : Tensor.of(doubles, DType.FLOAT64, shape(count));
  }

  /**
   * The given rows (in that order) as one tensor {@code [rows.length, ...]}, copied straight from
   * this storage. Rows must be in range (checked by the caller).
   */
  Tensor gather(int[] rows) {
    return subset(rows).all();
  }

  /** A copy of the given rows. */
  Rows subset(int[] rows) {
    int n = rows.length;
    if (floats != null) {
      float[] out = new float[Math.multiplyExact(n, rowSize)];
      for (int i = 0; i < n; i++) {
        System.arraycopy(floats, rows[i] * rowSize, out, i * rowSize, rowSize);
      }
      return new Rows(out, null, n, rowShape);
    }
    double[] out = new double[Math.multiplyExact(n, rowSize)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(doubles, rows[i] * rowSize, out, i * rowSize, rowSize);
    }
    return new Rows(null, out, n, rowShape);
  }

  private Tensor tensor(float[] data, int n) {
    // Tensor offers no (float[], dtype, shape) factory yet: the rank-1 float32 one, then a reshape.
    return Tensor.of(data).reshape(shape(n));
  }

  int[] shape(int n) {
    int[] s = new int[rowShape.length + 1];
    s[0] = n;
    System.arraycopy(rowShape, 0, s, 1, rowShape.length);
    return s;
  }

  private static long sizeOf(int[] shape) {
    long size = 1;
    for (int d : shape) {
      size = Math.multiplyExact(size, d);
    }
    return size;
  }
}
