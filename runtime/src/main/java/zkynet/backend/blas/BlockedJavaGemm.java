package zkynet.backend.blas;

/**
 * Plain-Java GEMM for speed, the fallback where no native BLAS loads: transposed operands are first
 * copied into row-major order, then C is computed in panels of 256 columns and 128
 * steps of k (a panel of B stays in the L2 cache), four steps of k at a time so that each element of
 * C is loaded and stored once per four products. The inner loops run along rows, which C2
 * vectorises. Single-threaded.
 */
public final class BlockedJavaGemm extends CheckedGemm {
  public static final BlockedJavaGemm INSTANCE = new BlockedJavaGemm();

  private static final int NB = 256;
  private static final int KB = 128;

  private BlockedJavaGemm() {}

  @Override
  public String name() {
    return "java-blocked";
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (transA) {
      a = transpose(a, aOff, lda, k, m);
      aOff = 0;
      lda = k;
    }
    if (transB) {
      b = transpose(b, bOff, ldb, n, k);
      bOff = 0;
      ldb = n;
    }
    GemmArgs.sgemmWithoutProduct(m, n, 0, alpha, beta, c, cOff, ldc); // C = beta * C
    for (int j0 = 0; j0 < n; j0 += NB) {
      int j1 = Math.min(n, j0 + NB);
      for (int p0 = 0; p0 < k; p0 += KB) {
        int p1 = Math.min(k, p0 + KB);
        for (int i = 0; i < m; i++) {
          int ci = cOff + i * ldc;
          int ai = aOff + i * lda;
          int p = p0;
          for (; p + 4 <= p1; p += 4) {
            float x0 = alpha * a[ai + p];
            float x1 = alpha * a[ai + p + 1];
            float x2 = alpha * a[ai + p + 2];
            float x3 = alpha * a[ai + p + 3];
            int b0 = bOff + p * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
            }
          }
          for (; p < p1; p++) {
            float x = alpha * a[ai + p];
            int bp = bOff + p * ldb;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += x * b[bp + j];
            }
          }
        }
      }
    }
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    if (transA) {
      a = transpose(a, aOff, lda, k, m);
      aOff = 0;
      lda = k;
    }
    if (transB) {
      b = transpose(b, bOff, ldb, n, k);
      bOff = 0;
      ldb = n;
    }
    GemmArgs.dgemmWithoutProduct(m, n, 0, alpha, beta, c, cOff, ldc); // C = beta * C
    for (int j0 = 0; j0 < n; j0 += NB) {
      int j1 = Math.min(n, j0 + NB);
      for (int p0 = 0; p0 < k; p0 += KB) {
        int p1 = Math.min(k, p0 + KB);
        for (int i = 0; i < m; i++) {
          int ci = cOff + i * ldc;
          int ai = aOff + i * lda;
          int p = p0;
          for (; p + 4 <= p1; p += 4) {
            double x0 = alpha * a[ai + p];
            double x1 = alpha * a[ai + p + 1];
            double x2 = alpha * a[ai + p + 2];
            double x3 = alpha * a[ai + p + 3];
            int b0 = bOff + p * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
            }
          }
          for (; p < p1; p++) {
            double x = alpha * a[ai + p];
            int bp = bOff + p * ldb;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += x * b[bp + j];
            }
          }
        }
      }
    }
  }

  /** The {@code rows x cols} matrix at {@code off} (row stride {@code ld}), transposed, dense. */
  private static float[] transpose(float[] x, int off, int ld, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < cols; q++) {
        t[q * rows + r] = x[off + r * ld + q];
      }
    }
    return t;
  }

  private static double[] transpose(double[] x, int off, int ld, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < cols; q++) {
        t[q * rows + r] = x[off + r * ld + q];
      }
    }
    return t;
  }
}
