package zkynet.backend;

/**
 * Row-major loops behind {@link Backend#take}, {@link Backend#indexAdd} and {@link Backend#argmax}: a
 * tensor seen as {@code [outer, n, inner]} around the indexed axis, whole inner blocks copied (or
 * added) per index. Public for the backends in other packages; not an API.
 */
public final class Gather {
  private Gather() {}

  /** Index of the first maximum along {@code axis} (the first NaN wins, as in numpy); a non-empty axis. */
  public static double[] argmax(double[] v, int[] shape, int axis) {
    int len = shape[axis];
    int inner = inner(shape, axis);
    double[] idx = new double[outer(shape, axis) * inner];
    for (int o = 0; o < idx.length; o++) {
      int base = (o / inner) * len * inner + o % inner;
      int best = 0;
      double bestValue = v[base];
      for (int i = 1; i < len && bestValue == bestValue; i++) {
        double value = v[base + i * inner];
        if (value > bestValue || value != value) {
          best = i;
          bestValue = value;
        }
      }
      idx[o] = best;
    }
    return idx;
  }

  public static double[] take(double[] x, int[] shape, int axis, int[] indices) {
    int n = shape[axis];
    int inner = inner(shape, axis);
    int outer = outer(shape, axis);
    double[] out = new double[Math.multiplyExact(Math.multiplyExact(outer, indices.length), inner)];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(x, (o * n + indices[i]) * inner, out, (o * indices.length + i) * inner, inner);
      }
    }
    return out;
  }

  public static double[] indexAdd(double[] x, int[] shape, int axis, int[] indices, int size) {
    int inner = inner(shape, axis);
    int outer = outer(shape, axis);
    double[] out = new double[Math.multiplyExact(Math.multiplyExact(outer, size), inner)];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < indices.length; i++) {
        int from = (o * indices.length + i) * inner;
        int to = (o * size + indices[i]) * inner;
        for (int k = 0; k < inner; k++) {
          out[to + k] += x[from + k];
        }
      }
    }
    return out;
  }

  /** The number of elements after {@code axis} (the size of one slice's inner block). */
  public static int inner(int[] shape, int axis) {
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    return inner;
  }

  /** The number of elements before {@code axis}. */
  public static int outer(int[] shape, int axis) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    return outer;
  }
}
