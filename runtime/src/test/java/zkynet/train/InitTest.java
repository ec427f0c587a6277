package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** Initialisers: shapes, statistics on a large sample, bounds, and reproducibility from a seed. */
class InitTest {
  private static final int IN = 300;
  private static final int OUT = 200; // 60,000 samples: the sample std is within 1% with high probability

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  private static double std(double[] v) {
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }

  @Test
  void heNormal() {
    Tensor w = Init.heNormal(new Random(1), DType.FLOAT64, IN, OUT);
    assertArrayEquals(new int[] {IN, OUT}, w.shape());
    double[] v = w.toDoubleArray();
    double expected = Math.sqrt(2.0 / IN);
    assertEquals(0, mean(v), 0.02 * expected);
    assertEquals(expected, std(v), 0.02 * expected);
  }

  @Test
  void xavierNormal() {
    double[] v = Init.xavierNormal(new Random(2), DType.FLOAT64, IN, OUT).toDoubleArray();
    double expected = Math.sqrt(2.0 / (IN + OUT));
    assertEquals(0, mean(v), 0.02 * expected);
    assertEquals(expected, std(v), 0.02 * expected);
  }

  @Test
  void uniformVariantsHaveTheirBoundsAndVariance() {
    // U(-a, a) has variance a^2 / 3: Xavier a = sqrt(6 / (in + out)), He a = sqrt(6 / in).
    double a = Math.sqrt(6.0 / (IN + OUT));
    double[] x = Init.xavierUniform(new Random(3), DType.FLOAT32, IN, OUT).toDoubleArray();
    assertTrue(Arrays.stream(x).allMatch(d -> d >= -a - 1e-7 && d < a));
    assertEquals(a / Math.sqrt(3), std(x), 0.02 * a);
    double b = Math.sqrt(6.0 / IN);
    double[] h = Init.heUniform(new Random(4), DType.FLOAT32, IN, OUT).toDoubleArray();
    assertTrue(Arrays.stream(h).allMatch(d -> d >= -b - 1e-7 && d < b));
    assertEquals(b / Math.sqrt(3), std(h), 0.02 * b);
  }

  @Test
  void sameSeedSameValuesOtherSeedOtherValues() {
    Tensor a = Init.heNormal(new Random(42), DType.FLOAT32, 8, 4);
    Tensor b = Init.heNormal(new Random(42), DType.FLOAT32, 8, 4);
    Tensor c = Init.heNormal(new Random(43), DType.FLOAT32, 8, 4);
    assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
    assertFalse(Arrays.equals(a.toDoubleArray(), c.toDoubleArray()));
    assertEquals(DType.FLOAT32, a.dtype());
    assertArrayEquals(new double[3], Init.zeros(DType.FLOAT32, 3).toDoubleArray(), 0);
  }

  @Test
  void badFansAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> Init.heNormal(new Random(), DType.FLOAT32, 0, 3));
    assertThrows(NullPointerException.class, () -> Init.xavierUniform(null, DType.FLOAT32, 2, 3));
  }

  /** Q^T Q (columns) or Q Q^T (rows) is the identity times gain^2. */
  @Test
  void orthogonalHasOrthonormalColumnsOrRows() {
    Random rng = new Random(11);
    for (int[] rc : new int[][] {{1, 1}, {5, 5}, {7, 3}, {3, 7}, {64, 64}, {1, 9}, {9, 1}}) {
      int rows = rc[0];
      int cols = rc[1];
      double gain = 1 + rng.nextInt(3);
      Tensor q = Init.orthogonal(rng, DType.FLOAT64, rows, cols, gain);
      assertArrayEquals(rc, q.shape());
      Tensor g = rows >= cols ? q.permute(1, 0).matmul(q) : q.matmul(q.permute(1, 0));
      int n = Math.min(rows, cols);
      double[] v = g.toDoubleArray();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(i == j ? gain * gain : 0, v[i * n + j], 1e-12, rows + "x" + cols);
        }
      }
    }
  }

  /** Same seed, same matrix; the sign correction makes R's diagonal positive (Q^T A). */
  @Test
  void orthogonalIsSeededAndSignCorrected() {
    Tensor a = Init.orthogonal(new Random(3), DType.FLOAT64, 6, 4);
    assertArrayEquals(a.toDoubleArray(), Init.orthogonal(new Random(3), DType.FLOAT64, 6, 4)
        .toDoubleArray(), 0);
    Random rng = new Random(3);
    double[] gauss = new double[24];
    for (int i = 0; i < 24; i++) {
      gauss[i] = rng.nextGaussian();
    }
    Tensor r = a.permute(1, 0).matmul(Tensor.of(gauss, DType.FLOAT64, 6, 4));
    double[] rv = r.toDoubleArray();
    for (int i = 0; i < 4; i++) {
      assertTrue(rv[i * 4 + i] > 0, "R[" + i + "][" + i + "] = " + rv[i * 4 + i]);
      for (int j = 0; j < i; j++) {
        assertEquals(0, rv[i * 4 + j], 1e-12, "R is upper triangular");
      }
    }
    assertEquals(DType.FLOAT32, Init.orthogonal(new Random(1), DType.FLOAT32, 2, 2).dtype());
    assertThrows(IllegalArgumentException.class,
        () -> Init.orthogonal(new Random(1), DType.FLOAT32, 0, 2));
  }
}
