package zkynet.backend.blas;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import java.util.Map;

/**
 * Reads OpenBLAS's own report (core name, configuration, threads) on Java 17-21, where FFM is not
 * available and JavaCPP's preset does not map these functions. Callers catch {@link LinkageError}
 * for a classpath without JNA.
 */
final class JnaOpenBlas {
  // RTLD_LAZY | RTLD_NOLOAD and not RTLD_GLOBAL: only find the library JavaCPP already loaded,
  // without promoting its symbols to the global namespace.
  private static final int FLAGS = 0x1 | 0x4;

  private JnaOpenBlas() {}

  static String text(String path, String function) {
    return library(path).getFunction(function).invokeString(new Object[0], false);
  }

  static int threads(String path) {
    return library(path).getFunction("openblas_get_num_threads").invokeInt(new Object[0]);
  }

  private static NativeLibrary library(String path) {
    return NativeLibrary.getInstance(path, Map.of(Library.OPTION_OPEN_FLAGS, FLAGS));
  }
}
