package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.backend.Shapes;
import zkynet.backend.blas.Blas;
import zkynet.backend.blas.Gemm;

/**
 * Batched matrix products through {@link Blas#gemm()}: each operand's last two axes are handed to
 * GEMM as they lie in memory, a transposed view as a transpose flag with its leading dimension, and
 * broadcast batch axes (stride 0) as the same matrix again; only layouts GEMM cannot describe (a
 * broadcast or sliced inner axis) are copied first.
 */
final class MatMul {
  private MatMul() {}

  /** How GEMM reads a {@code rows x cols} matrix: row-major with leading dimension {@code ld}, or transposed. */
  private record Mat(boolean transposed, int ld) {
    /** The GEMM view of a matrix with row stride {@code sr} and column stride {@code sc}; null if there is none. */
    static Mat of(int rows, int cols, int sr, int sc) {
      if ((cols == 1 || sc == 1) && (rows == 1 || sr >= cols)) {
        return new Mat(false, rows == 1 ? cols : sr);
      }
      if ((rows == 1 || sr == 1) && (cols == 1 || sc >= rows)) {
        return new Mat(true, cols == 1 ? rows : sc);
      }
      return null;
    }

    static Mat of(JvmStorage x, int rows, int cols) {
      int[] st = x.strides();
      int r = st.length;
      return of(rows, cols, st[r - 2], st[r - 1]);
    }
  }

  /** {@code a [B..., m, k] @ b [B..., k, n]} with equal batch axes; a fresh contiguous result. */
  static JvmStorage matmul(JvmStorage a, JvmStorage b) {
    int rank = a.shape.length;
    int m = a.shape[rank - 2];
    int k = a.shape[rank - 1];
    int n = b.shape[rank - 1];
    int[] outShape = a.shape.clone();
    outShape[rank - 1] = n;
    int outSize = Shapes.checkedSize("matmul", outShape);
    if (outSize == 0 || k == 0) {
      return JvmStorage.zeros(a.dtype(), outShape, outSize); // an empty sum is 0
    }
    // GEMM with beta 0 writes every element of C whatever it held (GemmCases: C full of NaN)
    JvmStorage out = JvmStorage.uninitialized(a.dtype(), outShape, outSize);
    Mat ma = Mat.of(a, m, k);
    if (ma == null) {
      a = JvmBackend.contiguous(a);
      ma = Mat.of(a, m, k);
    }
    Mat mb = Mat.of(b, k, n);
    if (mb == null) {
      b = JvmBackend.contiguous(b);
      mb = Mat.of(b, k, n);
    }
    int[] batch = Arrays.copyOf(outShape, rank - 2);
    int[] outStrides = Shapes.strides(batch);
    for (int i = 0; i < outStrides.length; i++) {
      outStrides[i] *= m * n;
    }
    Walk w = new Walk(batch, new int[][] {Arrays.copyOf(a.strides(), rank - 2),
        Arrays.copyOf(b.strides(), rank - 2), outStrides}, a.offset, b.offset, 0);
    Gemm gemm = Blas.gemm();
    for (long r = 0; r < w.rows; r++) {
      for (int i = 0; i < w.inner; i++) {
        int ao = w.off[0] + i * w.innerStride[0];
        int bo = w.off[1] + i * w.innerStride[1];
        int oo = w.off[2] + i * w.innerStride[2];
        if (out.isFloat()) {
          gemm.sgemm(ma.transposed, mb.transposed, m, n, k, 1f, a.f, ao, ma.ld, b.f, bo, mb.ld, 0f, out.f, oo, n);
        } else {
          gemm.dgemm(ma.transposed, mb.transposed, m, n, k, 1.0, a.d, ao, ma.ld, b.d, bo, mb.ld, 0.0, out.d, oo, n);
        }
      }
      w.next();
    }
    return out;
  }
}
