package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every binding these classes can reach (plain Java, OpenBLAS through zkynet's JNI library and
 * through JavaCPP) against a float64
 * reference and against {@link JavaGemm}. The FFM binding exists only in the packaged multi-release
 * jar; {@code BlasJarIT} runs the same checks on it.
 */
class GemmTest {
  static Stream<Arguments> bindings() {
    return Stream.of(Arguments.of("java"), Arguments.of("java-blocked"),
        Arguments.of("openblas-jni"), Arguments.of("openblas-javacpp"));
  }

  /** The binding, or the test is skipped saying why (no OpenBLAS natives for this platform). */
  static Gemm binding(String name) {
    try {
      return Blas.named(name);
    } catch (LinkageError | RuntimeException e) {
      Assumptions.assumeTrue(false, name + " cannot be loaded on " + System.getProperty("os.name")
          + "/" + System.getProperty("os.arch") + " (the build ships linux-x86_64 natives): " + e);
      throw e;
    }
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void randomSmallShapesFloatAndDouble(String name) {
    Gemm gemm = binding(name);
    GemmCases.checkAll(gemm, GemmCases.random(150, 40, 11));
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void largerShapesThatUseOpenBlasThreads(String name) {
    Gemm gemm = binding(name);
    GemmCases.checkAll(gemm, GemmCases.random(3, 260, 12));
    // Past java-blocked's panel sizes (256 columns, 128 steps of k) and its 4-row kernel (m = 9).
    for (int t = 0; t < 4; t++) {
      boolean ta = (t & 1) != 0;
      boolean tb = (t & 2) != 0;
      GemmCases.checkAll(gemm, List.of(new GemmCases.Case(ta, tb, 9, 300, 200, 3, ta ? 9 : 201, 1,
          tb ? 200 : 300, 2, 301, 0.5, t == 0 ? 0 : -1, t)));
    }
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void alphaZeroOrKZeroDoesNotReadAOrB(String name) {
    Gemm gemm = binding(name);
    float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    float[] c = {1, 2, 3, 4};
    gemm.sgemm(false, false, 2, 2, 2, 0f, nan, 0, 2, nan, 0, 2, 2f, c, 0, 2);
    assertEquals(List.of(2f, 4f, 6f, 8f), List.of(c[0], c[1], c[2], c[3]));
    double[] d = {Double.NaN, 5};
    gemm.dgemm(true, true, 1, 2, 0, 1, new double[0], 0, 1, new double[0], 0, 1, 0, d, 0, 2);
    assertEquals(List.of(0.0, 0.0), List.of(d[0], d[1]), "beta 0 clears C even when k = 0");
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void badArgumentsThrowNamingTheOperandAndLeaveTheNextCallWorking(String name) {
    Gemm gemm = binding(name);
    float[] a = new float[6];
    float[] b = new float[6];
    float[] c = new float[4];
    assertMessage(() -> gemm.sgemm(false, false, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2),
        "dimensions must be >= 0", "m=-1");
    assertMessage(() -> gemm.sgemm(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2),
        "A (stored 2x3", "leading dim must be >= max(1, 3)");
    assertMessage(() -> gemm.sgemm(false, true, 2, 2, 3, 1, a, 0, 3, b, 1, 3, 0, c, 0, 2),
        "B (stored 2x3, offset 1", "past the array's end", "transB=true");
    assertMessage(() -> gemm.sgemm(false, false, 2, 2, 3, 1, a, -1, 3, b, 0, 2, 0, c, 0, 2),
        "A (stored 2x3, offset -1", "offset must be >= 0");
    assertMessage(() -> gemm.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, null, 0, 2),
        "C is null");
    // Extents that overflow int: m * ldc far past 2^31 must be caught, not wrap around.
    assertMessage(() -> gemm.sgemm(false, false, 1 << 20, 1, 1, 1, new float[1 << 20], 0, 1,
        new float[1], 0, 1, 0, c, 0, 1 << 12), "C (stored 1048576x1", "past the array's end");
    assertMessage(() -> gemm.dgemm(true, false, 2, 2, 3, 1, new double[6], 0, 1, new double[6], 0,
        2, 0, new double[4], 0, 2), "dgemm", "A (stored 3x2", "leading dim must be >= max(1, 2)");
    float[] ok = new float[4];
    gemm.sgemm(false, false, 2, 2, 3, 1, new float[] {1, 2, 3, 4, 5, 6}, 0, 3,
        new float[] {1, 0, 0, 1, 1, 1}, 0, 2, 0, ok, 0, 2);
    assertEquals(List.of(4f, 5f, 10f, 11f), List.of(ok[0], ok[1], ok[2], ok[3]));
  }

  private static void assertMessage(Runnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void concurrentCallersFromSeveralThreads(String name) throws Exception {
    Gemm gemm = binding(name);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        List<GemmCases.Case> cases = GemmCases.random(15, 60, 100 + t);
        done.add(pool.submit(() -> GemmCases.checkAll(gemm, cases)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void batchedEqualsOneCallPerItemIncludingASharedOperand(String name) {
    Gemm gemm = binding(name);
    java.util.Random r = new java.util.Random(5);
    int batch = 3;
    int m = 4;
    int n = 5;
    int k = 6;
    // A items 4x6 with lda 7 and stride 30; B shared (stride 0), stored transposed 5x6; C ldc 6.
    float[] a = new float[2 + 2 * 30 + 3 * 7 + 6];
    float[] b = new float[30];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextFloat() - 0.5f;
    }
    float[] c = new float[1 + 2 * 25 + 3 * 6 + 5 + 2];
    java.util.Arrays.fill(c, 9f);
    float[] expected = c.clone();
    gemm.sgemmBatched(batch, false, true, m, n, k, 1.5f, a, 2, 7, 30, b, 0, 6, 0, 0.5f, c, 1, 6, 25);
    for (int i = 0; i < batch; i++) {
      JavaGemm.INSTANCE.sgemm(false, true, m, n, k, 1.5f, a, 2 + 30 * i, 7, b, 0, 6, 0.5f, expected,
          1 + 25 * i, 6);
    }
    for (int i = 0; i < c.length; i++) {
      assertEquals(expected[i], c[i], 1e-5, "element " + i);
    }
    double[] d = {Double.NaN, Double.NaN};
    gemm.dgemmBatched(2, false, false, 1, 1, 1, 2, new double[] {3, 4}, 0, 1, 1,
        new double[] {5}, 0, 1, 0, 0, d, 0, 1, 1);
    assertEquals(List.of(30.0, 40.0), List.of(d[0], d[1]));
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void badBatchesThrowBeforeWritingAnything(String name) {
    Gemm gemm = binding(name);
    float[] a = new float[12];
    float[] b = new float[4];
    float[] c = new float[8];
    java.util.Arrays.fill(c, 7f);
    assertMessage(() -> gemm.sgemmBatched(3, false, false, 2, 2, 2, 1, a, 0, 2, 4, b, 0, 2, 0, 0,
        c, 0, 2, 4), "sgemmBatched item 2 of 3: C (stored 2x2, offset 8", "past the array's end");
    assertMessage(() -> gemm.sgemmBatched(2, false, false, 2, 2, 2, 1, a, 0, 2, 4, b, 0, 2, 0, 0,
        c, 0, 2, 3), "C items overlap", "each spans 4");
    assertMessage(() -> gemm.sgemmBatched(2, false, false, 2, 2, 2, 1, a, 0, 2, -4, b, 0, 2, 0, 0,
        c, 0, 2, 4), "strides must be >= 0", "strides A -4");
    assertMessage(() -> gemm.sgemmBatched(1 << 30, false, false, 2, 2, 2, 1, a, 0, 2, 4, b, 0, 2,
        0, 0, c, 0, 2, 4), "last item's offset exceeds");
    for (float v : c) {
      assertEquals(7f, v, "a rejected batch wrote into C");
    }
    gemm.sgemmBatched(0, false, false, 2, 2, 2, 1, a, 0, 2, 4, b, 0, 2, 0, 0, c, 0, 2, 4);
  }
}
