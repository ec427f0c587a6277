package zkynet.backend.blas;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the 8 GEMMs of one SGD step of the MLP 784-256-256-10 with batch 128 (workload W3 of issue
 * 10, 155 MFLOP), per binding and OpenBLAS thread count. Not run by {@code mvn verify}; run it with
 * the {@code jmh} profile (README "Speed"), which puts the packaged multi-release jar on the class
 * path so that {@code openblas-ffm} exists on Java 22+. Sample mode: the output's p0.00 is the
 * minimum, p0.50 the median of single steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class GemmBench {
  private static final int BATCH = 128;
  private static final int IN = 784;
  private static final int HIDDEN = 256;
  private static final int OUT = 10;

  /** {@code openblas-ffm} needs Java 22+ (pass {@code -p binding=...} to leave it out on 17). */
  @Param({"openblas-ffm", "openblas-jni", "openblas-javacpp", "java-blocked", "java"})
  public String binding;

  /** OpenBLAS threads ({@code java} is single-threaded whatever this says). */
  @Param({"1", "2"})
  public int threads;

  private Gemm gemm;
  private final Random random = new Random(3);
  private final float[] x = random(BATCH * IN);
  private final float[] w1 = random(IN * HIDDEN);
  private final float[] w2 = random(HIDDEN * HIDDEN);
  private final float[] w3 = random(HIDDEN * OUT);
  private final float[] h1 = new float[BATCH * HIDDEN];
  private final float[] h2 = new float[BATCH * HIDDEN];
  private final float[] z3 = new float[BATCH * OUT];
  private final float[] dz3 = random(BATCH * OUT);
  private final float[] dz2 = random(BATCH * HIDDEN);
  private final float[] dz1 = random(BATCH * HIDDEN);
  private final float[] dh2 = new float[BATCH * HIDDEN];
  private final float[] dh1 = new float[BATCH * HIDDEN];
  private final float[] dw1 = new float[IN * HIDDEN];
  private final float[] dw2 = new float[HIDDEN * HIDDEN];
  private final float[] dw3 = new float[HIDDEN * OUT];

  @Setup
  public void setUp() {
    gemm = Blas.named(binding);
    if (!binding.equals("java")) {
      Blas.setThreads(threads);
    }
    System.out.println("# " + gemm.name() + ", OpenBLAS core " + Blas.coreName() + ", " + threads
        + " threads, Java " + Runtime.version());
  }

  /** Forward X W1, H1 W2, H2 W3; backward H2^T dZ3, dZ3 W3^T, H1^T dZ2, dZ2 W2^T, X^T dZ1. */
  @Benchmark
  public float w3Step() {
    mm(false, false, BATCH, HIDDEN, IN, x, w1, h1);
    mm(false, false, BATCH, HIDDEN, HIDDEN, h1, w2, h2);
    mm(false, false, BATCH, OUT, HIDDEN, h2, w3, z3);
    mm(true, false, HIDDEN, OUT, BATCH, h2, dz3, dw3);
    mm(false, true, BATCH, HIDDEN, OUT, dz3, w3, dh2);
    mm(true, false, HIDDEN, HIDDEN, BATCH, h1, dz2, dw2);
    mm(false, true, BATCH, HIDDEN, HIDDEN, dz2, w2, dh1);
    mm(true, false, IN, HIDDEN, BATCH, x, dz1, dw1);
    return z3[0] + dw1[0] + dh1[0];
  }

  /** C (m x n) = op(A) op(B), all stored densely. */
  private void mm(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c) {
    gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
  }

  private float[] random(int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) (random.nextGaussian() * 0.1);
    }
    return v;
  }
}
