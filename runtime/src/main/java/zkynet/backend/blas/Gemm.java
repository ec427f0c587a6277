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
}
