package zkynet.backend.blas;

/**
 * The native bindings this JDK can use. This is the Java 22 version (the multi-release jar's
 * {@code META-INF/versions/22}): OpenBLAS through zero-copy FFM, falling back to the JNI library
 * (zero copy too) or JavaCPP if FFM cannot link it. The Java 17 version is in {@code src/main/java}.
 */
final class GemmProvider {
  private GemmProvider() {}

  /** The fastest native binding; throws if OpenBLAS cannot be loaded. */
  static Gemm fastest() {
    OpenBlas.libraryPath(); // no OpenBLAS: no point trying either binding
    try {
      return ffm();
    } catch (RuntimeException | LinkageError e) {
      System.getLogger(Blas.class.getName()).log(System.Logger.Level.INFO,
          "zkynet: OpenBLAS through FFM failed (" + e + ")");
      return CriticalGemm.orCopying();
    }
  }

  /** The FFM binding. */
  static Gemm ffm() {
    return new FfmGemm();
  }

  /** A {@code const char *f(void)} of the loaded OpenBLAS, e.g. {@code openblas_get_corename}. */
  static String text(String function) {
    try {
      return FfmGemm.text(function);
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e + ")";
    }
  }

  /** {@code openblas_get_num_threads()}, or -1 if it cannot be called. */
  static int threads() {
    try {
      return FfmGemm.threads();
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }
}
