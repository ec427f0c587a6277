package zkynet.backend.blas;

/**
 * Plain-Java GEMM, the simplest: the reference every other binding is tested against ({@link
 * BlockedJavaGemm} is the faster fallback when no native BLAS can be loaded). Loops are ordered
 * (i, p, j) so the inner loop runs along rows of B and C,
 * which C2 vectorises. Arguments are checked first ({@link IllegalArgumentException} naming the
 * operand and shapes); with {@code alpha == 0} or {@code k == 0}, A and B are not read.
 */
public final class JavaGemm extends CheckedGemm {
  public static final JavaGemm INSTANCE = new JavaGemm();

  private JavaGemm() {}

  @Override
  public String name() {
    return "java";
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0 ? 0f : beta * c[ci + j];
      }
      for (int p = 0; p < k; p++) {
        float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        if (transB) {
          for (int j = 0; j < n; j++) {
            c[ci + j] += av * b[bOff + j * ldb + p];
          }
        } else {
          int bp = bOff + p * ldb;
          for (int j = 0; j < n; j++) {
            c[ci + j] += av * b[bp + j];
          }
        }
      }
    }
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0 ? 0 : beta * c[ci + j];
      }
      for (int p = 0; p < k; p++) {
        double av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        if (transB) {
          for (int j = 0; j < n; j++) {
            c[ci + j] += av * b[bOff + j * ldb + p];
          }
        } else {
          int bp = bOff + p * ldb;
          for (int j = 0; j < n; j++) {
            c[ci + j] += av * b[bp + j];
          }
        }
      }
    }
  }
}
