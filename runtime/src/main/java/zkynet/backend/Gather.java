package zkynet.backend;

/**
 * Row-major loops behind {@link Backend#take} and {@link Backend#indexAdd}: a tensor seen as
 * {@code [outer, n, inner]} around the indexed axis, whole inner blocks copied (or added) per index.
 */
final class Gather {
  private Gather() {}

  static double[] take(double[] x, int[] shape, int axis, int[] indices) {
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

  static double[] indexAdd(double[] x, int[] shape, int axis, int[] indices, int size) {
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

  private static int inner(int[] shape, int axis) {
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    return inner;
  }

  private static int outer(int[] shape, int axis) {
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= shape[i];
    }
    return outer;
  }
}
