package zkynet.backend.blas;

/**
 * The part every {@link Gemm} shares: arguments checked first ({@link GemmArgs}), calls without a
 * product ({@code m}, {@code n} or {@code k} zero, or {@code alpha == 0}) done in Java without
 * reading A or B; the rest goes to the implementation with {@code m, n, k >= 1}.
 */
abstract class CheckedGemm implements Gemm {
  @Override
  public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc) {
    GemmArgs.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (!GemmArgs.sgemmWithoutProduct(m, n, k, alpha, beta, c, cOff, ldc)) {
      product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  @Override
  public final void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c,
      int cOff, int ldc) {
    GemmArgs.dgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (!GemmArgs.dgemmWithoutProduct(m, n, k, alpha, beta, c, cOff, ldc)) {
      product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** sgemm with checked arguments, {@code m, n, k >= 1} and {@code alpha != 0}. */
  abstract void product(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc);

  /** dgemm with checked arguments, {@code m, n, k >= 1} and {@code alpha != 0}. */
  abstract void product(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c,
      int cOff, int ldc);
}
