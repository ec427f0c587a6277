package zkynet.backend.blas;

import java.lang.System.Logger.Level;

/**
 * The GEMM implementation zkynet uses, chosen once at first use: OpenBLAS through FFM on Java 22+
 * (zero copy, from the multi-release jar), through JavaCPP with native scratch on Java 17-21, and
 * plain Java ({@link BlockedJavaGemm}, with one INFO log line saying why) where no OpenBLAS can be
 * loaded.
 *
 * <p>System properties: {@value #PROPERTY} forces a binding by {@link Gemm#name() name}
 * ({@code java}, {@code java-blocked}, {@code openblas-javacpp}, {@code openblas-ffm}); {@code zkynet.blas.threads} sets
 * OpenBLAS's threads (default: available processors, or what {@code OPENBLAS_NUM_THREADS} says). On
 * Java 22+, {@code --enable-native-access=ALL-UNNAMED} silences the JDK's warning about native access
 * (FFM, and JNI from Java 24); it is not needed for correct results.
 */
public final class Blas {
  /** System property: the binding to use, by name. */
  public static final String PROPERTY = "zkynet.blas";

  private static final System.Logger LOG = System.getLogger(Blas.class.getName());

  private Blas() {}

  private static final class Holder {
    static final Gemm GEMM = choose(System.getProperty(PROPERTY));
  }

  /** The chosen implementation. */
  public static Gemm gemm() {
    return Holder.GEMM;
  }

  /**
   * The implementation with this name, loading its library if needed.
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws UnsupportedOperationException if the binding does not exist in this JDK's classes
   * @throws IllegalStateException if OpenBLAS cannot be loaded here
   */
  public static Gemm named(String name) {
    switch (name) {
      case "java":
        return JavaGemm.INSTANCE;
      case "java-blocked":
        return BlockedJavaGemm.INSTANCE;
      case "openblas-jni":
        return new CriticalGemm();
      case "openblas-javacpp":
        return new JavaCppGemm();
      case "openblas-ffm":
        return GemmProvider.ffm();
      default:
        throw new IllegalArgumentException("unknown GEMM binding '" + name
            + "'; expected java, java-blocked, openblas-jni, openblas-javacpp or openblas-ffm");
    }
  }

  /** Sets OpenBLAS's thread count for the whole process (loading OpenBLAS if needed). */
  public static void setThreads(int threads) {
    OpenBlas.setThreads(threads);
  }

  /**
   * One line for reports: the chosen binding and, when it is OpenBLAS, the core it picked for this
   * CPU, its threads and its build configuration, e.g. {@code openblas-ffm: core Zen, 2 threads,
   * OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64}.
   */
  public static String describe() {
    Gemm gemm = gemm();
    if (!gemm.name().startsWith("openblas")) {
      return gemm.name();
    }
    return gemm.name() + ": core " + coreName() + ", " + GemmProvider.threads() + " threads, "
        + GemmProvider.text("openblas_get_config");
  }

  /** The core OpenBLAS picked for this CPU ({@code openblas_get_corename()}), e.g. {@code Zen}. */
  public static String coreName() {
    return GemmProvider.text("openblas_get_corename");
  }

  static Gemm choose(String forced) {
    if (forced != null && !forced.isBlank()) {
      try {
        return named(forced.trim());
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "zkynet: -D" + PROPERTY + "=" + forced + " cannot be used (" + e
            + "); choosing automatically");
      }
    }
    try {
      return GemmProvider.fastest();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.INFO, "zkynet: no native BLAS could be loaded (" + e
          + "); matrix products run in plain Java (java-blocked), several times slower");
      return BlockedJavaGemm.INSTANCE;
    }
  }
}
