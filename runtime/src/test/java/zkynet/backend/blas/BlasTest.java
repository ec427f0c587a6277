package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Choosing the binding, threads and the OpenBLAS report. */
class BlasTest {
  @Test
  void unknownNamesAreRejectedAndAForcedNameThatCannotRunFallsBack() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Blas.named("mkl"));
    assertTrue(e.getMessage().contains("'mkl'"), e.getMessage());
    Gemm chosen = Blas.choose("no-such-binding");
    assertEquals(Blas.choose(null).name(), chosen.name());
    assertEquals("java", Blas.choose("java").name());
  }

  @Test
  void onLinuxX64TheDefaultIsOpenBlasWithARecognisedCore() {
    org.junit.jupiter.api.Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    assertTrue(Blas.gemm().name().startsWith("openblas-"), Blas.gemm().name());
    String core = Blas.coreName();
    assertFalse(core.isBlank() || core.startsWith("unknown"), core);
    // DYNAMIC_ARCH's generic fallbacks; a modern x86-64 CPU should get a real core.
    assertFalse(core.equals("Prescott") || core.equals("Core2"), core);
    String report = Blas.describe();
    assertTrue(report.contains("core " + core) && report.contains("OpenBLAS 0.3.31"), report);
  }

  @Test
  void threadsCanBeSetAndAreReported() {
    org.junit.jupiter.api.Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    Blas.named("openblas-javacpp");
    int before = Math.max(1, OpenBlas.threadsFrom(null, null, null));
    try {
      Blas.setThreads(1);
      assertTrue(Blas.describe().contains(" 1 threads") || Blas.describe().contains("java"));
      assertThrows(IllegalArgumentException.class, () -> Blas.setThreads(0));
    } finally {
      Blas.setThreads(before);
    }
  }

  @Test
  void threadCountComesFromThePropertyThenTheEnvironmentThenTheProcessorCount() {
    assertEquals(3, OpenBlas.threadsFrom(" 3 ", "1", null));
    assertEquals(0, OpenBlas.threadsFrom(null, "1", null), "OPENBLAS_NUM_THREADS left to OpenBLAS");
    assertEquals(0, OpenBlas.threadsFrom(null, null, "2"), "OMP_NUM_THREADS left to OpenBLAS");
    assertEquals(Runtime.getRuntime().availableProcessors(), OpenBlas.threadsFrom(null, null, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OpenBlas.threadsFrom("two", null, null));
    assertTrue(e.getMessage().contains("zkynet.blas.threads=two"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OpenBlas.threadsFrom("0", null, null));
  }
}
