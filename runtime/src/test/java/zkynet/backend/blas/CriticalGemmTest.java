package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to {@link CriticalGemm} (the contract every binding keeps is in {@code
 * GemmTest}): it is the Java 17 classes' default where its library is built, it works on arrays the
 * garbage collector wants to move meanwhile, on one array passed as two operands, and above its
 * held-array limit, where it copies; where its library cannot be written out, JavaCPP's binding
 * computes instead.
 */
class CriticalGemmTest {
  private Gemm jni;

  @BeforeEach
  void load() {
    Assumptions.assumeTrue(GemmCases.linuxX64(), GemmCases.NATIVES);
    jni = Blas.named("openblas-jni");
  }

  @Test
  void theJava17ClassesChooseIt() {
    // Run from target/classes (surefire), Java 25 included: the multi-release jar's FFM binding is
    // seen only from the jar (BlasJarIT).
    assertEquals("openblas-jni", GemmProvider.fastest().name());
    assertTrue(CriticalGemm.class.getResource(CriticalGemm.RESOURCE) != null);
  }

  @Test
  void oneArrayAsBothOperands() {
    Random r = new Random(3);
    int n = 37;
    float[] x = new float[n * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] c = new float[n * n];
    float[] expected = new float[n * n];
    jni.sgemm(true, false, n, n, n, 1f, x, 0, n, x, 0, n, 0f, c, 0, n);
    JavaGemm.INSTANCE.sgemm(true, false, n, n, n, 1f, x, 0, n, x, 0, n, 0f, expected, 0, n);
    for (int i = 0; i < c.length; i++) {
      assertEquals(expected[i], c[i], 1e-4 * (1 + Math.abs(expected[i])), "element " + i);
    }
  }

  @Test
  void aboveTheHeldLimitItCopiesAndComputesTheSame() {
    // m * n * k just past MAX_HELD (2^27): the copying path; one short of it: the held path.
    int k = 512;
    int n = 512;
    int m = (int) (CriticalGemm.MAX_HELD / ((long) n * k)) + 1;
    assertTrue((long) m * n * k > CriticalGemm.MAX_HELD && (long) (m - 1) * n * k <= CriticalGemm.MAX_HELD);
    Random r = new Random(9);
    float[] a = random(r, m * k);
    float[] b = random(r, k * n);
    float[] big = new float[m * n];
    float[] small = new float[(m - 1) * n];
    jni.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, big, 0, n);
    jni.sgemm(false, false, m - 1, n, k, 1f, a, 0, k, b, 0, n, 0f, small, 0, n);
    for (int i : new int[] {0, m / 2, m - 2}) {
      checkRow(a, b, small, i, n, k);
    }
    for (int i : new int[] {0, m / 2, m - 1}) {
      checkRow(a, b, big, i, n, k);
    }
  }

  /** Row i of the row-major product c = a b ([m, k] by [k, n]) against float64 sums. */
  private static void checkRow(float[] a, float[] b, float[] c, int i, int n, int k) {
    double[] row = new double[n];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        row[j] += (double) a[i * k + p] * b[p * n + j];
      }
    }
    for (int j = 0; j < n; j++) {
      assertEquals(row[j], c[i * n + j], 1e-4, "row " + i + ", column " + j);
    }
  }

  @Test
  void productsStayRightWhileOtherThreadsFillTheHeap() throws Exception {
    // Threads allocating garbage make the collector run (and move arrays) while products hold
    // theirs: each result must still be right, in float32 and float64.
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> churn = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        churn.add(pool.submit(() -> {
          long sink = 0;
          while (!stop.get()) {
            sink += new byte[1 << 16].length + new float[1 << 14].length;
          }
          return sink;
        }));
      }
      List<Future<?>> products = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        List<GemmCases.Case> cases = GemmCases.random(40, 120, 300 + t);
        products.add(pool.submit(() -> GemmCases.checkAll(jni, cases)));
      }
      for (Future<?> f : products) {
        f.get();
      }
      stop.set(true);
      for (Future<?> f : churn) {
        assertTrue((Long) f.get() > 0);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void whereTheLibraryCannotBeWrittenOutJavaCppComputesAfterOneInfoLine()
      throws IOException, InterruptedException {
    // A temporary directory that does not exist: the library cannot be copied out of the jar.
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + Path.of("no such directory").toAbsolutePath(), "-cp",
        System.getProperty("java.class.path"), BlasFallbackTest.Child.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("openblas-javacpp: core ") && output.contains(" 19.0 22.0 43.0 50.0"),
        output);
    assertEquals(1, output.split("INFO: ", -1).length - 1, "one INFO line:\n" + output);
    assertTrue(output.contains("the openblas-jni binding cannot be loaded"), output);
  }

  private static float[] random(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat() - 0.5f;
    }
    return x;
  }
}
