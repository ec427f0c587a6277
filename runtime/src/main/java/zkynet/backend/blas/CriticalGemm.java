package zkynet.backend.blas;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * OpenBLAS on Java heap arrays without copies on any JDK: zkynet's own JNI library ({@code
 * src/main/c/zkynet_blas.c}, built into the jar for linux-x86_64) holds the arrays with {@code
 * GetPrimitiveArrayCritical} while {@code cblas_?gemm} of the OpenBLAS JavaCPP loaded runs on them.
 * This is the Java 17-21 path; on Java 22+ FFM's critical downcalls do the same ({@code FfmGemm}).
 *
 * <p>While a thread holds arrays this way the garbage collector may have to wait for it (G1 on Java
 * 17-21), so products of more than {@link #MAX_HELD} multiply-adds (tens of milliseconds), where
 * copying costs well under 1% of the product, go through {@link JavaCppGemm}'s copies instead.
 * Arguments are checked in Java before native code sees them ({@link CheckedGemm}). On Java 17-21 G1
 * can fail an allocation that waited too often for held arrays to be released (JDK-8192647, gone
 * with region pinning in 22) when other threads hold arrays nearly all the time; a program that
 * sees {@code Retried waiting for GCLocker too often} chooses {@code -Dzkynet.blas=openblas-javacpp}.
 */
final class CriticalGemm extends CheckedGemm {
  /** The library inside the jar, for the one platform the build compiles it on. */
  static final String RESOURCE = "/zkynet/backend/blas/linux-x86_64/libzkynet-blas.so";

  /** Products above this many multiply-adds ({@code m * n * k}) copy instead of holding arrays. */
  static final long MAX_HELD = 1L << 27;

  private final JavaCppGemm copying;

  /**
   * Loads OpenBLAS and this binding's library.
   *
   * @throws IllegalStateException if either cannot be loaded here, saying why
   */
  CriticalGemm() {
    copying = new JavaCppGemm();
    Library.load();
  }

  /** This binding, or {@link JavaCppGemm} (logged) where it cannot be loaded. */
  static Gemm orCopying() {
    try {
      return new CriticalGemm();
    } catch (RuntimeException | LinkageError e) {
      System.getLogger(Blas.class.getName()).log(System.Logger.Level.INFO,
          "zkynet: " + e.getMessage() + "; OpenBLAS through JavaCPP, with copies");
      return new JavaCppGemm();
    }
  }

  @Override
  public String name() {
    return "openblas-jni";
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if ((long) m * n * k > MAX_HELD) {
      copying.product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      heldSgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  @Override
  void product(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
      int ldc) {
    if ((long) m * n * k > MAX_HELD) {
      copying.product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      heldDgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /** Binds the native functions to the loaded OpenBLAS at {@code path}; null, or why it failed. */
  private static native String bind(String path);

  private static native void heldSgemm(boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc);

  private static native void heldDgemm(boolean transA, boolean transB, int m, int n, int k,
      double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
      double[] c, int cOff, int ldc);

  /** The native library, loaded once per class loader; a failure is kept and thrown again. */
  private static final class Library {
    private static boolean loaded;
    private static RuntimeException failure;

    static synchronized void load() {
      if (!loaded && failure == null) {
        try {
          loadAndBind();
          loaded = true;
        } catch (RuntimeException | LinkageError | IOException e) {
          failure = new IllegalStateException("the openblas-jni binding cannot be loaded: " + e, e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    private static void loadAndBind() throws IOException {
      String os = System.getProperty("os.name");
      String arch = System.getProperty("os.arch");
      if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
        throw new UnsupportedOperationException("its library is built for linux-x86_64 only, not "
            + os + "/" + arch);
      }
      URL url = CriticalGemm.class.getResource(RESOURCE);
      if (url == null) {
        throw new IllegalStateException("this zkynet-runtime was built without " + RESOURCE
            + " (its build needs gcc)");
      }
      // A file of its own per load (two class loaders, two JVMs), removed once mapped.
      Path file = Files.createTempFile("zkynet-blas-", ".so");
      try {
        try (InputStream in = url.openStream()) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        System.load(file.toAbsolutePath().toString());
      } finally {
        Files.deleteIfExists(file);
      }
      String path = OpenBlas.libraryPath();
      String error = bind(path);
      if (error != null) {
        throw new IllegalStateException("cannot find cblas_sgemm/cblas_dgemm in " + path + ": "
            + error);
      }
    }
  }
}
