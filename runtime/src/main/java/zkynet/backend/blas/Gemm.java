package zkynet.backend.blas;

/**
 * The one seam between zkynet and a BLAS: row-major general matrix products on Java arrays,
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its transpose.
 *
 * <p>A is {@code m x k} after {@code op}, B is {@code k x n}, C is {@code m x n}; each matrix starts at
 * its offset in its array and has a leading dimension (row stride) of at least its stored row length.
 * Implementations never keep the arrays and write only the {@code m x n} elements of C. With {@code beta
 * == 0}, C's previous contents are ignored (NaN included), as in BLAS.
 */
public interface Gemm {
  /** A short name for reports, e.g. {@code "openblas-ffm"} or {@code "java"}. */
  String name();

  void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

  void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

  /**
   * {@code batch} independent products of the same shapes (batched matmul): item {@code i} reads A at
   * {@code aOff + i * strideA} and B at {@code bOff + i * strideB} and writes C at {@code cOff + i *
   * strideC}. A stride of 0 shares an operand between items (one weight matrix for a batch of
   * inputs); C items must not overlap. Every item is checked before any is computed, so a bad call
   * writes nothing.
   */
  default void sgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb,
      int strideB, float beta, float[] c, int cOff, int ldc, int strideC) {
    GemmArgs.batch("sgemmBatched", batch, m, n, aOff, strideA, bOff, strideB, cOff, ldc, strideC);
    if (batch > 0) {
      int last = batch - 1;
      try {
        GemmArgs.sgemm(transA, transB, m, n, k, a, aOff + last * strideA, lda, b,
            bOff + last * strideB, ldb, c, cOff + last * strideC, ldc);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sgemmBatched item " + last + " of " + batch + ": "
            + e.getMessage(), e);
      }
    }
    for (int i = 0; i < batch; i++) {
      sgemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
          beta, c, cOff + i * strideC, ldc);
    }
  }

  /** {@link #sgemmBatched} in float64. */
  default void dgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, int aOff, int lda, int strideA, double[] b, int bOff, int ldb,
      int strideB, double beta, double[] c, int cOff, int ldc, int strideC) {
    GemmArgs.batch("dgemmBatched", batch, m, n, aOff, strideA, bOff, strideB, cOff, ldc, strideC);
    if (batch > 0) {
      int last = batch - 1;
      try {
        GemmArgs.dgemm(transA, transB, m, n, k, a, aOff + last * strideA, lda, b,
            bOff + last * strideB, ldb, c, cOff + last * strideC, ldc);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dgemmBatched item " + last + " of " + batch + ": "
            + e.getMessage(), e);
      }
    }
    for (int i = 0; i < batch; i++) {
      dgemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
          beta, c, cOff + i * strideC, ldc);
    }
  }
}
