package zkynet.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Names the CPU core for OpenBLAS before it loads. The OpenBLAS bundled with ND4J picks its kernels
 * from the CPUID model number, and on newer CPUs (e.g. Intel Sapphire Rapids) it does not know the
 * model and falls back to generic kernels, 3-4x slower for matmul, unless the environment variable
 * {@code OPENBLAS_CORETYPE} names a core. OpenBLAS reads that variable once, when the library is
 * loaded; Java cannot change its own environment, so this class calls libc {@code setenv} through
 * JNA, before the ND4J backend touches any ND4J class.
 *
 * <p>Rules: an {@code OPENBLAS_CORETYPE} already in the environment is kept; otherwise the core is
 * read from the {@code flags} of {@code /proc/cpuinfo} ({@code avx512f} gives {@code SkylakeX},
 * {@code avx2} gives {@code Haswell}, else nothing is set). The system property {@value #PROPERTY}
 * overrides both: a core name is set as given, {@code none} disables the tuning. Failures never
 * stop the program: they print one line on stderr.
 */
public final class OpenBlasTuning {
  /** System property: a core name to force, or {@code none} to leave OpenBLAS alone. */
  public static final String PROPERTY = "zkynet.openblas.coretype";

  /** The environment variable OpenBLAS reads. */
  public static final String VARIABLE = "OPENBLAS_CORETYPE";

  private static final int RTLD_LAZY = 0x1;
  private static final int RTLD_NOLOAD = 0x4;

  private static String status;

  private OpenBlasTuning() {}

  /**
   * Sets {@code OPENBLAS_CORETYPE} if needed (only the first call does anything) and returns what was
   * done, for diagnostics.
   */
  public static synchronized String apply() {
    if (status == null) {
      status = decideAndSet();
    }
    return status;
  }

  /** What {@link #apply()} did, or null if it has not run. */
  public static synchronized String status() {
    return status;
  }

  private static String decideAndSet() {
    String property = System.getProperty(PROPERTY);
    if (property != null && property.trim().equalsIgnoreCase("none")) {
      return "disabled by -D" + PROPERTY + "=none";
    }
    String value;
    String why;
    if (property != null && !property.isBlank()) {
      value = property.trim();
      why = "from -D" + PROPERTY;
    } else {
      String existing = System.getenv(VARIABLE);
      if (existing != null && !existing.isEmpty()) {
        return VARIABLE + "=" + existing + " already set in the environment";
      }
      String cpuinfo = readCpuinfo();
      if (cpuinfo == null) {
        return "not set: /proc/cpuinfo is not readable";
      }
      value = coreFor(cpuinfo);
      if (value == null) {
        return "not set: no avx2/avx512f in /proc/cpuinfo flags";
      }
      why = "from /proc/cpuinfo flags";
    }
    if (openBlasAlreadyLoaded()) {
      String message = "zkynet: OpenBLAS was loaded before zkynet could set " + VARIABLE + "=" + value
          + " (ND4J was used before the first Tensor); matmul may use slow generic kernels."
          + " Set " + VARIABLE + "=" + value + " in the environment to fix.";
      System.err.println(message);
      return "too late: OpenBLAS already loaded";
    }
    try {
      int rc = setenv(VARIABLE, value);
      if (rc != 0) {
        System.err.println("zkynet: setenv(" + VARIABLE + ", " + value + ") failed (" + rc
            + "); OpenBLAS may use slow generic kernels.");
        return "setenv failed: " + rc;
      }
      return VARIABLE + "=" + value + " (" + why + ")";
    } catch (Throwable e) { // JNA missing, no libc, unsupported platform: fail soft
      System.err.println("zkynet: could not set " + VARIABLE + "=" + value + " (" + e
          + "); OpenBLAS may use slow generic kernels. Set it in the environment to fix.");
      return "setenv unavailable: " + e;
    }
  }

  /**
   * The OpenBLAS core to name for a {@code /proc/cpuinfo} text, or null: {@code SkylakeX} when the
   * flags include {@code avx512f}, {@code Haswell} when they include {@code avx2}.
   */
  static String coreFor(String cpuinfo) {
    Set<String> flags = new HashSet<>();
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
        flags.addAll(Arrays.asList(line.substring(colon + 1).trim().toLowerCase(Locale.ROOT).split("\\s+")));
        break;
      }
    }
    if (flags.contains("avx512f")) {
      return "SkylakeX";
    }
    if (flags.contains("avx2")) {
      return "Haswell";
    }
    return null;
  }

  private static String readCpuinfo() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** True when a libopenblas is already mapped into this process (Linux only; false elsewhere). */
  static boolean openBlasAlreadyLoaded() {
    return loadedOpenBlasPath() != null;
  }

  /** The path of the libopenblas mapped into this process, or null (Linux only). */
  public static String loadedOpenBlasPath() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1)) {
        int slash = line.indexOf('/');
        if (slash >= 0 && line.contains("libopenblas")) {
          return line.substring(slash).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: cannot tell
    }
    return null;
  }

  /**
   * The core OpenBLAS actually uses ({@code openblas_get_corename()} of the loaded library, read
   * through JNA), or a message saying why it is unknown. Meant for diagnostics after ND4J loaded.
   */
  public static String loadedCoreName() {
    String path = loadedOpenBlasPath();
    if (path == null) {
      return "unknown (OpenBLAS not loaded)";
    }
    try {
      // RTLD_LAZY | RTLD_NOLOAD, and not RTLD_GLOBAL: JNA's default flags would promote the library to
      // the global namespace, where ND4J's native code then binds to it (a second OpenBLAS copy),
      // which breaks OpenBLAS's buffer bookkeeping ("BLAS : Bad memory unallocation!").
      com.sun.jna.NativeLibrary lib = com.sun.jna.NativeLibrary.getInstance(path,
          java.util.Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
      String core = lib.getFunction("openblas_get_corename").invokeString(new Object[0], false);
      String config = lib.getFunction("openblas_get_config").invokeString(new Object[0], false);
      return core + " [" + config + "]";
    } catch (Throwable e) {
      return "unknown (" + e + ")";
    }
  }

  private static int setenv(String name, String value) {
    com.sun.jna.NativeLibrary libc = com.sun.jna.NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME);
    return libc.getFunction("setenv").invokeInt(new Object[] {name, value, 1});
  }
}
