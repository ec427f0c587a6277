package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs by failsafe against the packaged multi-release jar (META-INF/versions are seen only from a
 * jar): on Java 22+ the default binding must be the zero-copy FFM one, on Java 17-21 zkynet's JNI
 * library (zero copy too, in the jar for linux-x86_64).
 */
class BlasJarIT {
  @Test
  void runsFromTheMultiReleaseJar() {
    String location = Blas.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(location.endsWith(".jar"), "expected the packaged jar, got " + location);
  }

  @Test
  void defaultBindingMatchesTheJavaVersion() {
    Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    String expected = Runtime.version().feature() >= 22 && ffmCompiledIn()
        ? "openblas-ffm" : "openblas-jni";
    assertEquals(expected, Blas.gemm().name(), Blas.describe());
  }

  @Test
  void ffmBindingAgainstReferences() {
    Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    Assumptions.assumeTrue(Runtime.version().feature() >= 22,
        "FFM (java.lang.foreign, final in Java 22) is not available on Java "
            + Runtime.version().feature() + "; the Java 25 run of .ci/run covers it");
    Assumptions.assumeTrue(ffmCompiledIn(), "this jar was built by a JDK < 22, without the FFM"
        + " classes (META-INF/versions/22); build with JDK 22+ to test them");
    Gemm ffm = Blas.named("openblas-ffm");
    GemmCases.checkAll(ffm, GemmCases.random(120, 40, 21));
    GemmCases.checkAll(ffm, GemmCases.random(3, 260, 22));
    float[] nan = {Float.NaN};
    float[] c = {3};
    ffm.sgemm(false, false, 1, 1, 1, 0f, nan, 0, 1, nan, 0, 1, 2f, c, 0, 1);
    assertEquals(6f, c[0], "alpha 0 must not read A or B");
  }

  @Test
  void javaCppAndJniBindingsFromTheJar() {
    Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    GemmCases.checkAll(Blas.named("openblas-javacpp"), GemmCases.random(40, 40, 23));
    GemmCases.checkAll(Blas.named("openblas-jni"), GemmCases.random(40, 40, 24));
  }

  @Test
  void withoutNativesTheJarFallsBackToPlainJava() throws Exception {
    BlasFallbackTest.checkInChildJvm();
  }

  private static boolean ffmCompiledIn() {
    return Blas.class.getResource("/META-INF/versions/22/zkynet/backend/blas/FfmGemm.class") != null;
  }
}
