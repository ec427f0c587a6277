package zkynet.backend.blas;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS through JavaCPP, for Java 17-21: heap arrays are copied into native scratch memory that
 * each thread keeps and reuses (grown to its largest call, freed with the thread), {@code cblas_?gemm}
 * runs on it, and C is copied back. Only the matrices' elements are copied, packed densely, never
 * whole arrays; JavaCPP's {@code float[]} overloads (which copy whole arrays through JNI both ways on
 * every call) are not used. Measured 1.43 ms for the 8 GEMMs of an MLP step where zero-copy FFM takes
 * 1.19 ms (README "Speed").
 */
final class JavaCppGemm extends CheckedGemm {
  private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
  private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
  private static final int TRANS = openblas_nolapack.CblasTrans;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Loads OpenBLAS (see {@link OpenBlas#libraryPath()} for what it throws). */
  JavaCppGemm() {
    OpenBlas.libraryPath();
  }

  @Override
  public String name() {
    return "openblas-javacpp";
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    Scratch s = SCRATCH.get();
    int aCols = transA ? m : k;
    int bCols = transB ? k : n;
    s.fa = pack(s.fa, a, aOff, lda, transA ? k : m, aCols);
    s.fb = pack(s.fb, b, bOff, ldb, transB ? n : k, bCols);
    s.fc = beta == 0 ? ensure(s.fc, (long) m * n) : pack(s.fc, c, cOff, ldc, m, n);
    openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS, m, n, k, alpha, s.fa, aCols, s.fb, bCols, beta, s.fc, n);
    unpack(s.fc, c, cOff, ldc, m, n);
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c,
      int cOff, int ldc) {
    Scratch s = SCRATCH.get();
    int aCols = transA ? m : k;
    int bCols = transB ? k : n;
    s.da = pack(s.da, a, aOff, lda, transA ? k : m, aCols);
    s.db = pack(s.db, b, bOff, ldb, transB ? n : k, bCols);
    s.dc = beta == 0 ? ensure(s.dc, (long) m * n) : pack(s.dc, c, cOff, ldc, m, n);
    openblas_nolapack.cblas_dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS, m, n, k, alpha, s.da, aCols, s.db, bCols, beta, s.dc, n);
    unpack(s.dc, c, cOff, ldc, m, n);
  }

  /** One thread's native operands, grown as needed. */
  private static final class Scratch {
    FloatPointer fa;
    FloatPointer fb;
    FloatPointer fc;
    DoublePointer da;
    DoublePointer db;
    DoublePointer dc;
  }

  /** Copies the {@code rows x cols} matrix at {@code off} (row stride {@code ld}) densely into p. */
  private static FloatPointer pack(FloatPointer p, float[] x, int off, int ld, int rows, int cols) {
    p = ensure(p, (long) rows * cols);
    if (ld == cols) {
      p.put(x, off, rows * cols);
    } else {
      for (int i = 0; i < rows; i++) {
        p.position((long) i * cols).put(x, off + i * ld, cols);
      }
    }
    return p.position(0);
  }

  private static DoublePointer pack(DoublePointer p, double[] x, int off, int ld, int rows,
      int cols) {
    p = ensure(p, (long) rows * cols);
    if (ld == cols) {
      p.put(x, off, rows * cols);
    } else {
      for (int i = 0; i < rows; i++) {
        p.position((long) i * cols).put(x, off + i * ld, cols);
      }
    }
    return p.position(0);
  }

  /**
   * Copies the dense {@code rows x cols} result in p into x at {@code off} with row stride {@code
   * ld}: one JNI copy when the rows are adjacent there too (a fresh result, always in matmul), else
   * one per row.
   */
  private static void unpack(FloatPointer p, float[] x, int off, int ld, int rows, int cols) {
    if (ld == cols || rows == 1) {
      p.position(0).get(x, off, rows * cols);
    } else {
      for (int i = 0; i < rows; i++) {
        p.position((long) i * cols).get(x, off + i * ld, cols);
      }
    }
    p.position(0);
  }

  private static void unpack(DoublePointer p, double[] x, int off, int ld, int rows, int cols) {
    if (ld == cols || rows == 1) {
      p.position(0).get(x, off, rows * cols);
    } else {
      for (int i = 0; i < rows; i++) {
        p.position((long) i * cols).get(x, off + i * ld, cols);
      }
    }
    p.position(0);
  }

  private static FloatPointer ensure(FloatPointer p, long size) {
    if (p != null && p.capacity() >= size) {
      return p.position(0);
    }
    if (p != null) {
      p.close();
    }
    return new FloatPointer(size);
  }

  private static DoublePointer ensure(DoublePointer p, long size) {
    if (p != null && p.capacity() >= size) {
      return p.position(0);
    }
    if (p != null) {
      p.close();
    }
    return new DoublePointer(size);
  }
}
