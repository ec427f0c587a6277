package zkynet.backend.blas;

import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS of JavaCPP's {@code org.bytedeco:openblas} preset (BLAS only, no LAPACK): extracted to
 * JavaCPP's cache directory ({@code ~/.javacpp/cache} unless {@code org.bytedeco.javacpp.cachedir}
 * says otherwise) and loaded once, at the first call of {@link #libraryPath()}.
 *
 * <p>Threads: the system property {@value #THREADS_PROPERTY} sets OpenBLAS's thread count; without
 * it, an {@code OPENBLAS_NUM_THREADS} or {@code OMP_NUM_THREADS} in the environment is left to
 * OpenBLAS, and otherwise the count is {@link Runtime#availableProcessors()} (which, unlike OpenBLAS's
 * own default, respects container CPU limits).
 */
final class OpenBlas {
  /** System property: OpenBLAS threads (a positive integer). */
  static final String THREADS_PROPERTY = "zkynet.blas.threads";

  private OpenBlas() {}

  private static String path;
  private static Throwable failure;

  /**
   * The path of the loaded {@code libopenblas}, loading it first if needed.
   *
   * @throws IllegalStateException if it cannot be loaded (no natives for this platform, unwritable
   *     cache, ...), with the first attempt's error as the cause, on this and every later call
   */
  static synchronized String libraryPath() {
    if (path == null && failure == null) {
      try {
        path = load();
      } catch (RuntimeException | LinkageError e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new IllegalStateException("OpenBLAS cannot be loaded: " + failure, failure);
    }
    return path;
  }

  /** Sets OpenBLAS's thread count (for all callers in this process). */
  static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("OpenBLAS threads must be >= 1, got " + threads);
    }
    libraryPath();
    openblas_nolapack.blas_set_num_threads(threads);
  }

  private static String load() {
    Loader.load(openblas_nolapack.class);
    String path = Loader.getLoadedLibraries().values().stream()
        .filter(p -> Path.of(p).getFileName().toString().startsWith("libopenblas"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "JavaCPP loaded the openblas preset but no libopenblas: " + Loader.getLoadedLibraries()));
    int threads;
    try {
      threads = threadsFrom(System.getProperty(THREADS_PROPERTY),
          System.getenv("OPENBLAS_NUM_THREADS"), System.getenv("OMP_NUM_THREADS"));
    } catch (IllegalArgumentException e) { // a typo in a property must not cost the native BLAS
      threads = threadsFrom(null, System.getenv("OPENBLAS_NUM_THREADS"),
          System.getenv("OMP_NUM_THREADS"));
      System.getLogger(Blas.class.getName()).log(System.Logger.Level.WARNING,
          "zkynet: " + e.getMessage() + "; using " + (threads > 0 ? threads : "OpenBLAS's default")
              + " threads");
    }
    if (threads > 0) {
      openblas_nolapack.blas_set_num_threads(threads);
    }
    return path;
  }

  /**
   * The thread count to set: the property if given, else 0 (leave OpenBLAS alone) if either variable
   * is set, else the available processors.
   */
  static int threadsFrom(String property, String openblasEnv, String ompEnv) {
    if (property != null) {
      try {
        int threads = Integer.parseInt(property.trim());
        if (threads >= 1) {
          return threads;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "-D" + THREADS_PROPERTY + "=" + property + ": expected a positive integer");
    }
    if (openblasEnv != null || ompEnv != null) {
      return 0;
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
