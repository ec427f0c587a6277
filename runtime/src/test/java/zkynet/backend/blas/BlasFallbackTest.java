package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where no OpenBLAS natives exist, zkynet computes in plain Java after one INFO line, without a
 * crash. A child JVM poses as linux-arm64 ({@code org.bytedeco.javacpp.platform}), for which the
 * build ships no natives, so that this JVM's own OpenBLAS stays loaded for the other tests.
 */
class BlasFallbackTest {
  /** The child: prints the chosen binding and a 2x2 product. */
  public static final class Child {
    public static void main(String[] args) {
      float[] c = new float[4];
      Blas.gemm().sgemm(false, false, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, 2,
          new float[] {5, 6, 7, 8}, 0, 2, 0f, c, 0, 2);
      System.out.println(Blas.describe() + " " + c[0] + " " + c[1] + " " + c[2] + " " + c[3]);
    }
  }

  @Test
  void withoutNativesPlainJavaComputesAfterOneInfoLine() throws IOException, InterruptedException {
    checkInChildJvm();
  }

  /** Also run by {@code BlasJarIT}, where the class path holds the multi-release jar. */
  static void checkInChildJvm() throws IOException, InterruptedException {
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.bytedeco.javacpp.platform=linux-arm64", "-cp", System.getProperty("java.class.path"),
        Child.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("java-blocked 19.0 22.0 43.0 50.0"), output);
    assertEquals(1, output.split("INFO: ", -1).length - 1, "one INFO line:\n" + output);
    assertTrue(output.contains("no native BLAS could be loaded"), output);
  }
}
