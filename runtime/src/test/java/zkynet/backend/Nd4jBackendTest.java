package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class Nd4jBackendTest extends BackendContractTest {
  @Override Backend backend() {
    return Nd4jBackend.INSTANCE;
  }

  @Test
  void storageShapeMatchesTheIndarray() {
    Nd4jBackend nd4j = Nd4jBackend.INSTANCE;
    Storage sum = nd4j.reduce(Backend.Reduce.SUM, f64(s(2, 2), 1, 2, 3, 4), new int[] {0, 1});
    INDArray arr = nd4j.toINDArray(sum);
    assertEquals(0, arr.rank());
    assertEquals(10.0, arr.getDouble(0L));
    INDArray m = nd4j.toINDArray(nd4j.argmax(f64(s(2, 3), 0, 9, 0, 7, 0, 0), 1));
    assertArrayEquals(new long[] {2}, m.shape());
  }

  @Test
  void registryDefaultsToNd4j() {
    assertEquals("nd4j", Backends.current().name());
  }
}
