package zkynet.backend.jvm;

/**
 * Iteration over the elements of several arrays that share a shape but not a layout (each operand has
 * its own strides and start offset). Axes of size 1 are dropped and adjacent axes that every operand
 * lays out contiguously are merged, so the walk is a sequence of {@link #rows} runs of {@link #inner}
 * elements each; within a run operand {@code p} advances by {@code innerStride[p]}. Use:
 *
 * <pre>{@code
 * for (long r = 0; r < w.rows; r++) { kernel(w.off[0], w.innerStride[0], ..., w.inner); w.next(); }
 * }</pre>
 */
final class Walk {
  final int inner;
  final int[] innerStride;
  final long rows;
  /** The current run's start offset in each operand's array. */
  final int[] off;
  private final int outer;
  private final int[] dims;
  private final int[][] strides;
  private final int[] index;

  Walk(int[] shape, int[][] operandStrides, int... offsets) {
    int k = operandStrides.length;
    int r = shape.length;
    int[] dl = new int[r];
    int[][] sl = new int[k][r];
    int n = 0;
    for (int i = 0; i < r; i++) {
      if (shape[i] == 1) {
        continue;
      }
      if (n > 0 && mergeable(operandStrides, sl, n - 1, i, shape[i])) {
        dl[n - 1] *= shape[i];
        for (int p = 0; p < k; p++) {
          sl[p][n - 1] = operandStrides[p][i];
        }
        continue;
      }
      dl[n] = shape[i];
      for (int p = 0; p < k; p++) {
        sl[p][n] = operandStrides[p][i];
      }
      n++;
    }
    innerStride = new int[k];
    if (n == 0) {
      inner = 1;
      outer = 0;
    } else {
      inner = dl[n - 1];
      outer = n - 1;
      for (int p = 0; p < k; p++) {
        innerStride[p] = sl[p][n - 1];
      }
    }
    dims = dl;
    strides = sl;
    long rowCount = 1;
    for (int a = 0; a < outer; a++) {
      rowCount *= dl[a];
    }
    rows = rowCount;
    index = new int[Math.max(outer, 0)];
    off = offsets.clone();
  }

  private static boolean mergeable(int[][] operandStrides, int[][] merged, int prev, int axis, int size) {
    for (int p = 0; p < operandStrides.length; p++) {
      if (merged[p][prev] != (long) operandStrides[p][axis] * size) {
        return false;
      }
    }
    return true;
  }

  /** Advances {@link #off} to the next run. */
  void next() {
    for (int a = outer - 1; a >= 0; a--) {
      for (int p = 0; p < off.length; p++) {
        off[p] += strides[p][a];
      }
      if (++index[a] < dims[a]) {
        return;
      }
      for (int p = 0; p < off.length; p++) {
        off[p] -= strides[p][a] * dims[a];
      }
      index[a] = 0;
    }
  }
}
