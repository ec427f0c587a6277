package zkynet.backend.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random GEMM calls checked against a float64 naive reference and against {@link JavaGemm}: every
 * element of C's {@code m x n} region within a rounding bound, every other element of C (row padding,
 * before the offset, after the end) untouched, A and B unchanged. Shared by the unit tests and the
 * tests against the packaged jar.
 */
final class GemmCases {
  private static final double SENTINEL = 777.25;

  private GemmCases() {}

  /** One call: shapes, transposes, offsets, leading dims (with slack), scalars. */
  record Case(boolean transA, boolean transB, int m, int n, int k, int aOff, int lda, int bOff,
      int ldb, int cOff, int ldc, double alpha, double beta, long seed) {
    int aRows() {
      return transA ? k : m;
    }

    int aCols() {
      return transA ? m : k;
    }

    int bRows() {
      return transB ? n : k;
    }

    int bCols() {
      return transB ? k : n;
    }

    @Override
    public String toString() {
      return "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " aOff="
          + aOff + " lda=" + lda + " bOff=" + bOff + " ldb=" + ldb + " cOff=" + cOff + " ldc="
          + ldc + " alpha=" + alpha + " beta=" + beta;
    }
  }

  /**
   * {@code count} random shapes (dims 0, 1, small and up to {@code maxDim}), each with all four
   * transpose combinations, random offsets, slack in the leading dims, and beta 0 (C full of NaN)
   * or not.
   */
  static List<Case> random(int count, int maxDim, long seed) {
    Random r = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int m = dim(r, maxDim);
      int n = dim(r, maxDim);
      int k = dim(r, maxDim);
      double alpha = r.nextInt(4) == 0 ? 1 : Math.round(r.nextGaussian() * 8) / 4.0;
      double beta = r.nextInt(3) == 0 ? 0 : r.nextInt(3) == 0 ? 1 : Math.round(r.nextGaussian() * 8) / 4.0;
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        cases.add(new Case(ta, tb, m, n, k, r.nextInt(3) * r.nextInt(5),
            Math.max(1, ta ? m : k) + slack(r), r.nextInt(3) * r.nextInt(5),
            Math.max(1, tb ? k : n) + slack(r), r.nextInt(3) * r.nextInt(5),
            Math.max(1, n) + slack(r), alpha, beta, r.nextLong()));
      }
    }
    return cases;
  }

  private static int dim(Random r, int maxDim) {
    switch (r.nextInt(5)) {
      case 0:
        return r.nextInt(2); // 0 or 1
      case 1:
        return 1 + r.nextInt(4);
      default:
        return r.nextInt(maxDim + 1);
    }
  }

  private static int slack(Random r) {
    return r.nextInt(2) == 0 ? 0 : r.nextInt(4);
  }

  /** Why a native test is skipped elsewhere. */
  static final String NATIVES = "the build ships OpenBLAS natives for linux-x86_64 only";

  /** True where the build's OpenBLAS natives (linux-x86_64 only) can load. */
  static boolean linuxX64() {
    return System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64");
  }

  /** {@link #check} of every case, in float32 and in float64. */
  static void checkAll(Gemm gemm, List<Case> cases) {
    for (Case c : cases) {
      check(gemm, c, true);
      check(gemm, c, false);
    }
  }

  /** Runs the case on {@code gemm} in float32 or float64 and checks everything. */
  static void check(Gemm gemm, Case c, boolean single) {
    Random r = new Random(c.seed());
    double[] a = operand(r, c.aOff(), c.aRows(), c.lda(), c.aCols());
    double[] b = operand(r, c.bOff(), c.bRows(), c.ldb(), c.bCols());
    double[] c0 = new double[c.cOff() + c.m() * c.ldc() + r.nextInt(3)];
    java.util.Arrays.fill(c0, SENTINEL);
    for (int i = 0; i < c.m(); i++) {
      for (int j = 0; j < c.n(); j++) {
        c0[c.cOff() + i * c.ldc() + j] = c.beta() == 0 ? Double.NaN : value(r);
      }
    }
    double[] got = run(gemm, c, single, a, b, c0);
    double[] java = run(JavaGemm.INSTANCE, c, single, a, b, c0);
    double eps = single ? 0x1p-23 : 0x1p-52;
    for (int idx = 0; idx < c0.length; idx++) {
      int rel = idx - c.cOff();
      int i = Math.floorDiv(rel, c.ldc());
      int j = Math.floorMod(rel, c.ldc());
      if (rel < 0 || i >= c.m() || j >= c.n()) {
        assertEquals(c0[idx], got[idx], 0, () -> gemm.name() + " wrote outside C at " + c);
        continue;
      }
      double ref = 0;
      double mag = 0;
      for (int p = 0; p < c.k(); p++) {
        double x = a[c.aOff() + (c.transA() ? p * c.lda() + i : i * c.lda() + p)];
        double y = b[c.bOff() + (c.transB() ? j * c.ldb() + p : p * c.ldb() + j)];
        ref += x * y;
        mag += Math.abs(x * y);
      }
      ref *= c.alpha();
      mag *= Math.abs(c.alpha());
      if (c.beta() != 0) {
        ref += c.beta() * c0[idx];
        mag += Math.abs(c.beta() * c0[idx]);
      }
      within(gemm, c, i, j, got[idx], ref, java[idx], (c.k() + 3) * eps * mag);
    }
  }

  private static void within(Gemm gemm, Case c, int i, int j, double got, double ref,
      double java, double tol) {
    assertTrue(Math.abs(got - ref) <= tol, () -> gemm.name() + " C[" + i + "," + j + "] = " + got
        + ", float64 reference " + ref + " (tol " + tol + ") at " + c);
    assertTrue(Math.abs(got - java) <= 2 * tol, () -> gemm.name() + " C[" + i + "," + j + "] = "
        + got + ", JavaGemm " + java + " at " + c);
  }

  private static double[] operand(Random r, int off, int rows, int ld, int cols) {
    double[] x = new double[off + (rows == 0 ? 0 : (rows - 1) * ld + cols) + r.nextInt(3)];
    for (int i = 0; i < x.length; i++) {
      x[i] = value(r);
    }
    return x;
  }

  /** A float32 value, so that float32 and float64 runs see the same numbers. */
  private static double value(Random r) {
    return (float) (r.nextDouble() * 2 - 1);
  }

  /** Runs the call on copies; returns C as doubles and checks that A and B were not changed. */
  private static double[] run(Gemm gemm, Case c, boolean single, double[] a, double[] b,
      double[] c0) {
    if (!single) {
      double[] a1 = a.clone();
      double[] b1 = b.clone();
      double[] out = c0.clone();
      gemm.dgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), a1, c.aOff(), c.lda(),
          b1, c.bOff(), c.ldb(), c.beta(), out, c.cOff(), c.ldc());
      assertArrayEquals(a, a1, gemm.name() + " changed A");
      assertArrayEquals(b, b1, gemm.name() + " changed B");
      return out;
    }
    float[] a1 = toFloat(a);
    float[] b1 = toFloat(b);
    float[] out = toFloat(c0);
    gemm.sgemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), (float) c.alpha(), a1, c.aOff(),
        c.lda(), b1, c.bOff(), c.ldb(), (float) c.beta(), out, c.cOff(), c.ldc());
    assertArrayEquals(toFloat(a), a1, gemm.name() + " changed A");
    assertArrayEquals(toFloat(b), b1, gemm.name() + " changed B");
    double[] result = new double[out.length];
    for (int i = 0; i < out.length; i++) {
      result[i] = out[i];
    }
    return result;
  }

  static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }
}
