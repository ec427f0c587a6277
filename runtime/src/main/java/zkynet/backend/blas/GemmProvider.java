package zkynet.backend.blas;

/**
 * The native bindings this JDK can use. This is the Java 17 version: OpenBLAS through zkynet's JNI
 * library (zero copy), else through JavaCPP (with copies). The multi-release jar carries a Java 22
 * version ({@code src/main/java22}, in {@code META-INF/versions/22}) that prefers zero-copy FFM; only
 * the jar has it, classes run from a directory always get this one.
 */
final class GemmProvider {
  private GemmProvider() {}

  /** The fastest native binding; throws if OpenBLAS cannot be loaded. */
  static Gemm fastest() {
    OpenBlas.libraryPath(); // no OpenBLAS: no binding to try
    return CriticalGemm.orCopying();
  }

  /** The FFM binding: not in this version. */
  static Gemm ffm() {
    throw new UnsupportedOperationException("openblas-ffm needs Java 22+ and zkynet-runtime's"
        + " multi-release jar (built by JDK 22+); running Java " + Runtime.version().feature()
        + " with the Java 17 classes");
  }

  /**
   * Calls a {@code const char *f(void)} of the loaded OpenBLAS ({@code openblas_get_corename},
   * {@code openblas_get_config}) through JNA if JNA is on the classpath.
   */
  static String text(String function) {
    try {
      return JnaOpenBlas.text(OpenBlas.libraryPath(), function);
    } catch (RuntimeException | LinkageError e) {
      return "unknown (" + e + ")";
    }
  }

  /** {@code openblas_get_num_threads()} through JNA, or -1 if JNA is not on the classpath. */
  static int threads() {
    try {
      return JnaOpenBlas.threads(OpenBlas.libraryPath());
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }
}
