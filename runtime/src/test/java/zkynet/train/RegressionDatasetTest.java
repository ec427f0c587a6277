package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** Float targets of any row shape, float32 storage, the seeded split and derived datasets. */
class RegressionDatasetTest {
  /** n rows: features [i, -i], targets [2, 3] holding 100 i + k for k = 0..5. */
  private static Dataset regression(int n, DType targetType) {
    double[] x = new double[2 * n];
    double[] t = new double[6 * n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      for (int k = 0; k < 6; k++) {
        t[6 * i + k] = 100 * i + k;
      }
    }
    return new Dataset(Tensor.of(x, DType.FLOAT32, n, 2), Tensor.of(t, targetType, n, 2, 3));
  }

  @Test
  void targetsOfAnyRowShapeTravelWithTheirRows() {
    Dataset d = regression(7, DType.FLOAT64);
    assertFalse(d.isClassification());
    assertArrayEquals(new int[] {2, 3}, d.targetShape());
    assertArrayEquals(new int[] {7, 2, 3}, d.targets().shape());
    assertEquals(DType.FLOAT64, d.targets().dtype(), "targets keep their own dtype");
    Dataset.Batch b = d.batch(new int[] {4, 0, 6});
    assertArrayEquals(new int[] {3, 2}, b.x().shape());
    assertArrayEquals(new int[] {3, 2, 3}, b.y().shape());
    assertArrayEquals(new double[] {4, -4, 0, 0, 6, -6}, b.x().toDoubleArray(), 0);
    double[] y = b.y().toDoubleArray();
    assertEquals(400, y[0]);
    assertEquals(405, y[5]);
    assertEquals(0, y[6]);
    assertEquals(605, y[17]);
    // Every row once per shuffled epoch, each with its own targets.
    int seen = 0;
    for (Dataset.Batch batch : d.shuffledBatches(3, new java.util.Random(1))) {
      double[] xs = batch.x().toDoubleArray();
      double[] ys = batch.y().toDoubleArray();
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(100 * xs[2 * i] + 2, ys[6 * i + 2]);
        seen++;
      }
    }
    assertEquals(7, seen);
  }

  @Test
  void classLabelsAreRefusedOnRegressionData() {
    Dataset d = regression(3, DType.FLOAT32);
    String m = assertThrows(IllegalStateException.class, d::labels).getMessage();
    assertTrue(m.contains("regression dataset") && m.contains("[2, 3]"), m);
    assertThrows(IllegalStateException.class, d::numClasses);
    Dataset.Batch b = d.batch(new int[] {1});
    assertThrows(IllegalStateException.class, b::labels);
    assertThrows(IllegalStateException.class, b::labelTensor);
    assertEquals("Dataset(3 rows of [2], float32, targets of [2, 3] float32)", d.toString());
  }

  @Test
  void shapeErrorsNameWhatIsWrong() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(Tensor.zeros(DType.FLOAT32, 3, 2), Tensor.zeros(DType.FLOAT32, 2, 1))).getMessage();
    assertEquals("Dataset: 3 feature rows but 2 target rows", m);
    m = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(Tensor.zeros(DType.FLOAT32, 3, 2), Tensor.of(1.0))).getMessage();
    assertEquals("Dataset: targets need a leading row axis, got a scalar", m);
    m = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofFloats(new float[5], new int[] {2, 3}, new int[2])).getMessage();
    assertEquals("5 values do not fill 2 rows of shape [3] (6 values)", m);
  }

  @Test
  void float32FeaturesAreKeptAsFloatsAndBatchedExactly() {
    float[] x = {0.1f, 1e-8f, 3.4e38f, -0f, Float.MIN_VALUE, 7};
    Dataset d = Dataset.ofFloats(x, new int[] {3, 2}, new int[] {0, 1, 2});
    assertEquals(DType.FLOAT32, d.dtype());
    Tensor b = d.batch(new int[] {2, 0}).x();
    assertEquals(DType.FLOAT32, b.dtype());
    assertArrayEquals(new double[] {Float.MIN_VALUE, 7, 0.1f, 1e-8f}, b.toDoubleArray(), 0);
    assertEquals(DType.FLOAT32, d.batch(new int[] {1}).labelTensor().dtype());
    // Float64 features stay float64 (no rounding through float).
    Dataset d64 = new Dataset(Tensor.of(new double[] {0.1, 0.2}, DType.FLOAT64, 2, 1), new int[] {0, 1});
    assertEquals(0.1, d64.batch(new int[] {0}).x().item(), 0);
    assertEquals(DType.FLOAT64, d64.batch(new int[] {0}).labelTensor().dtype());
  }

  @Test
  void emptyBatchesAndEmptyRows() {
    Dataset d = Dataset.ofFloats(new float[0], new int[] {4, 0}, new int[] {0, 1, 2, 3});
    assertArrayEquals(new int[] {2, 0}, d.batch(new int[] {0, 3}).x().shape());
    assertArrayEquals(new int[] {0, 0}, d.batch(new int[0]).x().shape());
    assertEquals(0, d.subset(new int[0]).size());
  }

  @Test
  void splitIsSeededDisjointAndComplete() {
    int n = 101;
    double[] x = IntStream.range(0, n).asDoubleStream().toArray();
    int[] y = IntStream.range(0, n).map(i -> i % 4).toArray();
    Dataset d = new Dataset(Tensor.of(x, DType.FLOAT32, n, 1), y);
    Dataset.Split s = d.split(0.2, 42);
    assertEquals(20, s.validation().size(), "round(0.2 * 101)");
    assertEquals(81, s.train().size());
    double[] v = s.validation().features().toDoubleArray();
    double[] t = s.train().features().toDoubleArray();
    double[] all = new double[n];
    System.arraycopy(t, 0, all, 0, t.length);
    System.arraycopy(v, 0, all, t.length, v.length);
    Arrays.sort(all);
    assertArrayEquals(x, all, 0, "every row in exactly one part");
    assertTrue(isSorted(v) && isSorted(t), "both parts keep the original order");
    for (int i = 0; i < v.length; i++) {
      assertEquals(((int) v[i]) % 4, s.validation().labels()[i], "labels follow their rows");
    }
    assertArrayEquals(v, d.split(0.2, 42).validation().features().toDoubleArray(), 0, "same seed");
    assertFalse(Arrays.equals(v, d.split(0.2, 43).validation().features().toDoubleArray()), "other seed");
    assertEquals(0, d.split(0, 1).validation().size());
    assertEquals(n, d.split(1, 1).validation().size());
    assertThrows(IllegalArgumentException.class, () -> d.split(1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> d.split(Double.NaN, 1));
    // Regression data splits the same way, targets following their rows.
    Dataset.Split r = regression(10, DType.FLOAT32).split(0.3, 7);
    double[] rx = r.validation().features().toDoubleArray();
    double[] ry = r.validation().targets().toDoubleArray();
    assertEquals(3, r.validation().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(100 * rx[2 * i], ry[6 * i]);
    }
  }

  @Test
  void withFeaturesKeepsTargets() {
    Dataset d = regression(4, DType.FLOAT32);
    Dataset doubled = d.withFeatures(d.features().mul(2));
    assertArrayEquals(d.targets().toDoubleArray(), doubled.targets().toDoubleArray(), 0);
    assertArrayEquals(new double[] {0, 0, 2, -2}, Arrays.copyOf(doubled.features().toDoubleArray(), 4), 0);
    assertThrows(IllegalArgumentException.class, () -> d.withFeatures(Tensor.zeros(DType.FLOAT32, 3, 2)));
    // The standardizer works on regression data too: features centred, targets untouched.
    Dataset z = Standardizer.fit(d, 0).apply(d);
    assertEquals(0, Arrays.stream(z.features().toDoubleArray()).sum(), 1e-5);
    assertArrayEquals(d.targets().toDoubleArray(), z.targets().toDoubleArray(), 0);
  }

  private static boolean isSorted(double[] a) {
    for (int i = 1; i < a.length; i++) {
      if (a[i] < a[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
