package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

class StandardizerTest {
  @Test
  void standardisesWithTrainingStatistics() {
    // Feature 0: 1, 3 (mean 2, std 1); feature 1: constant 5 (std 0, kept finite by eps).
    Dataset train = new Dataset(Tensor.of(new double[] {1, 5, 3, 5}, DType.FLOAT64, 2, 2), new int[] {0, 1});
    Standardizer s = Standardizer.fit(train, 0.5);
    assertArrayEquals(new double[] {2, 5}, s.mean(), 1e-12);
    assertArrayEquals(new double[] {1.5, 0.5}, s.scale(), 1e-12);
    Tensor out = s.apply(Tensor.of(new double[] {2, 6, 5, 5}, DType.FLOAT64, 2, 2));
    assertArrayEquals(new double[] {0, 2, 2, 0}, out.toDoubleArray(), 1e-12);
    assertArrayEquals(new int[] {0, 1}, s.apply(train).labels());
    assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(train, 0));
  }
}
