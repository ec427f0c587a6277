package zkynet.backend.jvm;

import zkynet.backend.Gather;
import zkynet.backend.Shapes;

/**
 * take and indexAdd on the heap arrays themselves (no float64 round trip for float32): the operand,
 * made contiguous, is seen as {@code [outer, n, inner]} around the indexed axis, and whole inner
 * blocks are copied ({@link System#arraycopy}) or added per index.
 */
final class Indexing {
  private Indexing() {}

  static JvmStorage take(JvmStorage s, int axis, int[] indices) {
    JvmStorage x = JvmBackend.contiguous(s);
    int n = x.shape[axis];
    int inner = Gather.inner(x.shape, axis);
    int outer = Gather.outer(x.shape, axis);
    int[] shape = x.shape.clone();
    shape[axis] = indices.length;
    JvmStorage out = JvmStorage.zeros(x.dtype(), shape, Shapes.checkedSize("take", shape));
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < indices.length; i++) {
        int from = x.offset + (o * n + indices[i]) * inner;
        int to = (o * indices.length + i) * inner;
        if (x.isFloat()) {
          System.arraycopy(x.f, from, out.f, to, inner);
        } else {
          System.arraycopy(x.d, from, out.d, to, inner);
        }
      }
    }
    return out;
  }

  static JvmStorage indexAdd(JvmStorage s, int axis, int[] indices, int size) {
    JvmStorage x = JvmBackend.contiguous(s);
    int inner = Gather.inner(x.shape, axis);
    int outer = Gather.outer(x.shape, axis);
    int[] shape = x.shape.clone();
    shape[axis] = size;
    JvmStorage out = JvmStorage.zeros(x.dtype(), shape, Shapes.checkedSize("indexAdd", shape));
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < indices.length; i++) {
        int from = x.offset + (o * indices.length + i) * inner;
        int to = (o * size + indices[i]) * inner;
        if (x.isFloat()) {
          addRun(x.f, from, out.f, to, inner);
        } else {
          addRun(x.d, from, out.d, to, inner);
        }
      }
    }
    return out;
  }

  private static void addRun(float[] x, int from, float[] o, int to, int n) {
    for (int k = 0; k < n; k++) {
      o[to + k] += x[from + k];
    }
  }

  private static void addRun(double[] x, int from, double[] o, int to, int n) {
    for (int k = 0; k < n; k++) {
      o[to + k] += x[from + k];
    }
  }
}
