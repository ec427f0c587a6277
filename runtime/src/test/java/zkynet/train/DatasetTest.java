package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** Mini-batches: every row once per epoch, seeded shuffles, rows and labels kept together. */
class DatasetTest {
  /** 10 rows of 2 features: row i is [i, 10 i], label i % 3. */
  private static Dataset data(int n) {
    double[] x = new double[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 10 * i;
      y[i] = i % 3;
    }
    return new Dataset(Tensor.of(x, DType.FLOAT32, n, 2), y);
  }

  private static List<Integer> rowsOf(Dataset.Batches batches) {
    List<Integer> rows = new ArrayList<>();
    for (Dataset.Batch b : batches) {
      double[] x = b.x().toDoubleArray();
      for (int i = 0; i < b.size(); i++) {
        int row = (int) x[2 * i];
        assertEquals(row, b.rows()[i]);
        assertEquals(10.0 * row, x[2 * i + 1]);
        assertEquals(row % 3, b.labels()[i], "label travels with its row");
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void everyRowOncePerEpochWithASmallerLastBatch() {
    Dataset d = data(10);
    Random rng = new Random(5);
    for (int epoch = 0; epoch < 3; epoch++) {
      Dataset.Batches batches = d.shuffledBatches(4, rng);
      assertEquals(3, batches.count());
      List<Integer> sizes = new ArrayList<>();
      batches.forEach(b -> sizes.add(b.size()));
      assertEquals(List.of(4, 4, 2), sizes);
      List<Integer> rows = rowsOf(batches);
      assertEquals(10, rows.size());
      assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), rows.stream().sorted().toList());
    }
  }

  @Test
  void shufflingIsSeededAndDiffersBetweenEpochs() {
    Dataset d = data(50);
    Random a = new Random(11);
    Random b = new Random(11);
    int[] a1 = d.shuffledBatches(8, a).order();
    int[] a2 = d.shuffledBatches(8, a).order();
    assertArrayEquals(a1, d.shuffledBatches(8, b).order(), "same seed, same first epoch");
    assertArrayEquals(a2, d.shuffledBatches(8, b).order(), "same seed, same second epoch");
    assertFalse(Arrays.equals(a1, a2), "epochs are shuffled differently");
    int[] inOrder = d.batches(8).order();
    assertFalse(Arrays.equals(a1, inOrder), "shuffled");
    assertEquals(rowsOf(d.batches(8)), Arrays.stream(inOrder).boxed().toList());
  }

  @Test
  void permutationIsAPermutation() {
    int[] p = Dataset.permutation(1000, new Random(3));
    boolean[] seen = new boolean[1000];
    for (int i : p) {
      assertFalse(seen[i]);
      seen[i] = true;
    }
  }

  @Test
  void subsetFeaturesLabelsAndErrors() {
    Dataset d = data(6);
    Dataset s = d.subset(new int[] {5, 1});
    assertArrayEquals(new double[] {5, 50, 1, 10}, s.features().toDoubleArray(), 0);
    assertArrayEquals(new int[] {2, 1}, s.labels());
    assertEquals(3, d.numClasses());
    assertArrayEquals(new int[] {2}, d.rowShape());
    assertArrayEquals(new double[] {2, 1}, s.batches(2).iterator().next().labelTensor().toDoubleArray(), 0);
    assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(DType.FLOAT32, 3, 2), new int[2]));
    assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(DType.FLOAT32, 1, 2), new int[] {-1}));
    assertThrows(IllegalArgumentException.class, () -> d.batches(0));
    assertThrows(IndexOutOfBoundsException.class, () -> d.batch(new int[] {6}));
  }

  @Test
  void accuracy() {
    Tensor logits = Tensor.of(new double[][] {{0, 1, 0}, {2, 1, 0}, {0, 0, 5}, {1, 1, 0}});
    assertArrayEquals(new int[] {1, 0, 2, 0}, Metrics.predictions(logits), "ties go to the first");
    assertEquals(0.75, Metrics.accuracy(logits, new int[] {1, 0, 2, 1}), 1e-12);
    // Over a dataset, in batches: "predict the first feature mod 3" is right everywhere.
    Dataset d = data(10);
    Function<Tensor, Tensor> perfect = x -> {
      double[] v = x.toDoubleArray();
      int n = x.shape(0);
      double[] out = new double[n * 3];
      for (int i = 0; i < n; i++) {
        out[i * 3 + ((int) v[2 * i]) % 3] = 1;
      }
      return Tensor.of(out, DType.FLOAT32, n, 3);
    };
    assertEquals(1.0, Metrics.accuracy(perfect, d, 3), 0);
  }
}
