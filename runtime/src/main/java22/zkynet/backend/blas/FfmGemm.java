package zkynet.backend.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * OpenBLAS through the Foreign Function and Memory API (Java 22+), zero copy: {@code cblas_?gemm} is
 * called as a critical function ({@link Linker.Option#critical(boolean) critical(true)}), which may
 * receive heap segments, so it reads and writes the Java arrays in place. The library is the one
 * JavaCPP extracted ({@link OpenBlas}). While a critical call runs, the JVM keeps the arrays in place
 * (G1 pins their regions; other collectors may hold off collection): milliseconds at most for the
 * sizes of a training step.
 */
final class FfmGemm extends CheckedGemm {
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBRARY =
      SymbolLookup.libraryLookup(Path.of(OpenBlas.libraryPath()), Arena.global());
  private static final MethodHandle SGEMM = gemm("cblas_sgemm", JAVA_FLOAT);
  private static final MethodHandle DGEMM = gemm("cblas_dgemm", JAVA_DOUBLE);
  private static final MethodHandle CORENAME =
      function("openblas_get_corename", FunctionDescriptor.of(ADDRESS));
  private static final MethodHandle CONFIG =
      function("openblas_get_config", FunctionDescriptor.of(ADDRESS));
  private static final MethodHandle THREADS =
      function("openblas_get_num_threads", FunctionDescriptor.of(JAVA_INT));

  @Override
  public String name() {
    return "openblas-ffm";
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    try {
      SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
          alpha, MemorySegment.ofArray(a).asSlice(4L * aOff), lda,
          MemorySegment.ofArray(b).asSlice(4L * bOff), ldb, beta,
          MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
    } catch (Throwable e) {
      throw new IllegalStateException("cblas_sgemm failed", e);
    }
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c,
      int cOff, int ldc) {
    try {
      DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
          alpha, MemorySegment.ofArray(a).asSlice(8L * aOff), lda,
          MemorySegment.ofArray(b).asSlice(8L * bOff), ldb, beta,
          MemorySegment.ofArray(c).asSlice(8L * cOff), ldc);
    } catch (Throwable e) {
      throw new IllegalStateException("cblas_dgemm failed", e);
    }
  }

  /** A {@code const char *f(void)} of OpenBLAS, e.g. {@code openblas_get_corename}. */
  static String text(String function) {
    MethodHandle handle = switch (function) {
      case "openblas_get_corename" -> CORENAME;
      case "openblas_get_config" -> CONFIG;
      default -> throw new IllegalArgumentException("not an OpenBLAS text function: " + function);
    };
    try {
      return ((MemorySegment) handle.invokeExact()).reinterpret(Integer.MAX_VALUE).getString(0);
    } catch (Throwable e) {
      throw new IllegalStateException(function + " failed", e);
    }
  }

  static int threads() {
    try {
      return (int) THREADS.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("openblas_get_num_threads failed", e);
    }
  }

  /** {@code void cblas_?gemm(order, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc)}. */
  private static MethodHandle gemm(String name, java.lang.foreign.ValueLayout scalar) {
    return LINKER.downcallHandle(symbol(name),
        FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            scalar, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, scalar, ADDRESS, JAVA_INT),
        Linker.Option.critical(true));
  }

  private static MethodHandle function(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(symbol(name), descriptor);
  }

  private static MemorySegment symbol(String name) {
    return LIBRARY.find(name).orElseThrow(
        () -> new IllegalStateException(name + " not found in " + OpenBlas.libraryPath()));
  }
}
