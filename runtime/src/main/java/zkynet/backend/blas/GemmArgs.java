package zkynet.backend.blas;

/**
 * Argument checks shared by every {@link Gemm}: run before any element is read, so that a bad call
 * throws a clear {@link IllegalArgumentException} instead of reading past an array (Java) or
 * aborting the JVM (native code). Extents are computed in {@code long}, so no {@code int} overflow
 * of {@code m * k} etc. can slip through.
 */
final class GemmArgs {
  private GemmArgs() {}

  /**
   * Checks a GEMM call: dims non-negative; each matrix's offset, leading dimension (at least
   * {@code max(1, stored row length)}, as BLAS demands) and extent within its array.
   *
   */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    check("sgemm", transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
  }

  static void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    check("dgemm", transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
  }

  /** The array lengths are -1 for a null array. */
  private static void check(String op, boolean transA, boolean transB, int m, int n, int k,
      int a, int aOff, int lda, int b, int bOff, int ldb, int c, int cOff, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          op + ": dimensions must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
    }
    // Messages are built only for a bad call: this check runs on every product.
    String problem = matrix("A", transA ? k : m, transA ? m : k, a, aOff, lda);
    if (problem == null) {
      problem = matrix("B", transB ? n : k, transB ? k : n, b, bOff, ldb);
    }
    if (problem == null) {
      problem = matrix("C", m, n, c, cOff, ldc);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem + " (" + op + " m=" + m + ", n=" + n + ", k=" + k
          + ", transA=" + transA + ", transB=" + transB + ")");
    }
  }

  /**
   * Checks what a batched call adds to a plain one: a non-negative count and strides, offsets of
   * the last item within {@code int}, and C items that do not overlap. The caller then checks the
   * first and the last item as plain calls; offsets grow with the item, so the others lie between.
   */
  static void batch(String op, int batch, int m, int n, int aOff, int strideA, int bOff,
      int strideB, int cOff, int ldc, int strideC) {
    String problem = null;
    long last = batch - 1L;
    long cItem = m == 0 || n == 0 ? 0 : (m - 1L) * ldc + n;
    if (batch < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
      problem = "batch and strides must be >= 0";
    } else if (batch == 0) {
      return;
    } else if (aOff + last * strideA > Integer.MAX_VALUE || bOff + last * strideB > Integer.MAX_VALUE
        || cOff + last * strideC > Integer.MAX_VALUE) {
      problem = "the last item's offset exceeds any array";
    } else if (batch > 1 && strideC < cItem) {
      problem = "C items overlap: each spans " + cItem + " elements (m=" + m + ", n=" + n + ", ldc="
          + ldc + ")";
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem + " (" + op + " batch=" + batch + ", strides A "
          + strideA + ", B " + strideB + ", C " + strideC + ")");
    }
  }

  /**
   * What is wrong with one stored (row-major, before transposition) {@code rows x cols} matrix, or
   * null if nothing is.
   */
  private static String matrix(String name, int rows, int cols, int length, int off, int ld) {
    if (length < 0) {
      return name + " is null";
    }
    long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
    if (off >= 0 && ld >= Math.max(1, cols) && end <= length) {
      return null;
    }
    String what = name + " (stored " + rows + "x" + cols + ", offset " + off + ", leading dim " + ld
        + ", array length " + length + ")";
    if (off < 0) {
      return what + ": offset must be >= 0";
    }
    if (ld < Math.max(1, cols)) {
      return what + ": leading dim must be >= max(1, " + cols + ")";
    }
    return what + ": needs elements up to index " + (end - 1) + ", past the array's end";
  }

  /**
   * Does the whole call when there is no product to add ({@code m}, {@code n} or {@code k} zero, or
   * {@code alpha == 0}): {@code C = beta * C}, zeros for {@code beta == 0} whatever C held. Returns
   * true if it did, so native code never sees an empty matrix and A and B are not read.
   */
  static boolean sgemmWithoutProduct(int m, int n, int k, float alpha, float beta, float[] c,
      int cOff, int ldc) {
    if (m != 0 && n != 0 && k != 0 && alpha != 0) {
      return false;
    }
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = row; j < row + n; j++) {
        c[j] = beta == 0 ? 0f : beta * c[j];
      }
    }
    return true;
  }

  /** {@link #sgemmWithoutProduct} for float64. */
  static boolean dgemmWithoutProduct(int m, int n, int k, double alpha, double beta, double[] c,
      int cOff, int ldc) {
    if (m != 0 && n != 0 && k != 0 && alpha != 0) {
      return false;
    }
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = row; j < row + n; j++) {
        c[j] = beta == 0 ? 0 : beta * c[j];
      }
    }
    return true;
  }
}
