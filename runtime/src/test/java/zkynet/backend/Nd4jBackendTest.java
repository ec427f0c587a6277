package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import zkynet.Tensor;

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
  void selectableByName() {
    Backend before = Backends.current();
    try {
      assertSame(Nd4jBackend.INSTANCE, Backends.use("nd4j"));
      assertEquals("nd4j", Backends.current().name());
      assertEquals(2.0, Tensor.of(1).add(1).item());
    } finally {
      Backends.use(before.name());
    }
  }
}
