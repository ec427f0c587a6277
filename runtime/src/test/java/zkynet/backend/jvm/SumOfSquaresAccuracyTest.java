package zkynet.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.backend.Storage;

/**
 * The float32 sum of squares against the exact sum (BigDecimal): {@link Reductions#squaresInFloat}, the
 * Java 17-20 form, is tested on every JDK; {@link JvmBackend#sumOfSquares} takes the form of the JDK
 * running the test. Both must stay within the bound documented on {@code squaresInFloatBlocks}; where
 * the float blocks are not trusted (overflow, underflow, NaN, infinities) the result is the double sum.
 */
class SumOfSquaresAccuracyTest {
  private static final JvmBackend B = JvmBackend.INSTANCE;
  /** The documented bound of the float blocks: 8 * 2^-24 of the exact sum. */
  private static final double FLOAT_BLOCKS_BOUND = 8 * 0x1p-24;
  /** Double rounding over these lengths (the chains' error is below 1e-14 here). */
  private static final double DOUBLE_BOUND = 1e-12;
  /** Lengths around one copy (4 x 256), one block (16 x 256), ragged tails and several blocks. */
  private static final int[] SIZES = {0, 1, 7, 255, 1023, 1024, 1025, 4095, 4096, 4097, 256 * 7 + 13,
      3 * 4096 + 1000, 65536 + 17};
  private static final int[] OFFSETS = {0, 1, 3, 255};

  /** The exact sum of squares of {@code x[from, to)}, rounded once to double. */
  private static double exact(float[] x, int from, int to) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = from; i < to; i++) {
      BigDecimal v = new BigDecimal(x[i]);
      s = s.add(v.multiply(v));
    }
    return s.round(MathContext.DECIMAL64).doubleValue();
  }

  /** Gaussian values times 10^e, e uniform in [lo, hi] for each element, signs mixed. */
  private static float[] random(Random rng, int n, double lo, double hi) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * Math.pow(10, lo + (hi - lo) * rng.nextDouble()));
    }
    return x;
  }

  private static void assertWithin(double bound, double want, double got, String what) {
    assertTrue(Math.abs(got - want) <= bound * want,
        what + ": want " + want + ", got " + got + ", relative error " + Math.abs(got - want) / want);
  }

  /**
   * The bound for {@code x[from, to)}: double rounding (1e-12) where the float blocks cannot be trusted,
   * a square above the largest float or a sum below their threshold (2^-95), else theirs.
   */
  private static double bound(float[] x, int from, double want) {
    double max = 0;
    for (int i = from; i < x.length; i++) {
      max = Math.max(max, Math.abs((double) x[i]));
    }
    return max * max > Float.MAX_VALUE || want < 0x1p-96 ? DOUBLE_BOUND : FLOAT_BLOCKS_BOUND;
  }

  /**
   * One case on both entries, the float form directly (at several offsets) and the backend, each within
   * its bound; returns how many of the ranges needed the double bound.
   */
  private static int check(float[] x, String what) {
    int strict = 0;
    for (int from : OFFSETS) {
      if (from > x.length) {
        continue;
      }
      double want = exact(x, from, x.length);
      double got = Reductions.squaresInFloat(x, from, x.length);
      if (want == 0) {
        assertEquals(0.0, got, what + " from " + from);
      } else {
        double bound = bound(x, from, want);
        strict += bound == DOUBLE_BOUND ? 1 : 0;
        assertWithin(bound, want, got, what + " from " + from);
      }
    }
    double want = exact(x, 0, x.length);
    double got = B.sumOfSquares(B.create(x, new int[] {x.length}));
    if (want == 0) {
      assertEquals(0.0, got, what);
    } else {
      assertWithin(bound(x, 0, want), want, got, what + " (backend)");
    }
    return strict;
  }

  @Test
  void withinTheBoundAtEveryScaleAndLength() {
    Random rng = new Random(17);
    for (int n : SIZES) {
      for (int e = -18; e <= 18; e += 6) { // squares up to 1e36 and down to 1e-36: no float overflow
        check(random(rng, n, e, e), "n = " + n + ", scale 1e" + e);
      }
      check(random(rng, n, -18, 18), "n = " + n + ", scales 1e-18 .. 1e18");
    }
  }

  /**
   * Scales where a float square overflows (|x| from 1.8e19) or underflows (|x| below 1e-19): the float
   * blocks are not trusted there and the sum is the double one, within double rounding of the exact sum.
   */
  @Test
  void overflowAndUnderflowAreSummedInDouble() {
    Random rng = new Random(18);
    for (int n : SIZES) {
      if (n < OFFSETS[OFFSETS.length - 1] + 1) {
        continue;
      }
      for (int e : new int[] {-38, -30, -25, -22, 20, 25, 30}) {
        assertEquals(OFFSETS.length, check(random(rng, n, e, e), "n = " + n + ", scale 1e" + e),
            "every range in double");
      }
      check(random(rng, n, -30, 30), "n = " + n + ", scales 1e-30 .. 1e30");
      check(random(rng, n, -45, -20), "n = " + n + ", subnormal and tiny floats");
    }
  }

  /**
   * One huge element among small ones dominates the sum; while its square is a float it is summed in
   * float blocks (their bound), past 1.85e19 (a square above the largest float) in double.
   */
  @Test
  void oneHugeElementAmongSmallOnes() {
    Random rng = new Random(19);
    for (int n : new int[] {1, 1025, 4097, 3 * 4096 + 1000}) {
      for (float huge : new float[] {1e15f, 1e18f, 1.8e19f, 1e25f, Float.MAX_VALUE}) {
        for (int at : new int[] {0, n / 2, n - 1}) {
          float[] x = random(rng, n, -3, 3);
          x[at] = at % 2 == 0 ? huge : -huge;
          check(x, "n = " + n + ", " + x[at] + " at " + at);
        }
      }
    }
  }

  /** NaN anywhere gives NaN; an infinity gives +inf, unless there is also a NaN. */
  @Test
  void nanPropagatesAndInfinitiesGiveInfinity() {
    Random rng = new Random(20);
    for (int n : new int[] {1, 1024, 1025, 4096, 4097, 256 * 7 + 13, 3 * 4096 + 1000}) {
      float[] x = random(rng, n, -2, 2);
      for (int at : new int[] {0, 1, n / 2, n - 5, n - 1}) {
        if (at < 0 || at >= n) {
          continue;
        }
        float[] y = x.clone();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
          y[at] = bad;
          double want = Float.isNaN(bad) ? Double.NaN : Double.POSITIVE_INFINITY;
          assertEquals(want, Reductions.squaresInFloat(y, 0, n), bad + " at " + at + " of " + n);
          assertEquals(want, B.sumOfSquares(B.create(y, new int[] {n})), bad + " at " + at + " of " + n);
        }
        if (n > 1) {
          y[at] = Float.POSITIVE_INFINITY;
          y[at == 0 ? 1 : 0] = Float.NaN;
          assertEquals(Double.NaN, Reductions.squaresInFloat(y, 0, n), "inf and NaN in " + n);
        }
      }
    }
  }

  /**
   * 2^24 + 3 elements: every block of float sums is exact for ones (no float sum goes past 2^24, where a
   * float accumulator would stop counting), and 2^-60 squared sums below the float blocks' threshold.
   */
  @Test
  void hugeArraysStayExact() {
    int n = (1 << 24) + 3;
    float[] x = new float[n];
    Arrays.fill(x, 1f);
    assertEquals(n, Reductions.squaresInFloat(x, 0, n));
    assertEquals(n - 3, Reductions.squaresInFloat(x, 3, n));
    Storage s = B.create(x, new int[] {n});
    assertEquals(n, B.sumOfSquares(s));
    Arrays.fill(x, -0x1p-60f);
    assertEquals(n * 0x1p-120, Reductions.squaresInFloat(x, 0, n));
    Arrays.fill(x, 3f);
    x[n - 1] = 0.5f;
    assertEquals(9.0 * (n - 1) + 0.25, B.sumOfSquares(B.create(x, new int[] {n})));
  }
}
