package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import zkynet.DType;
import zkynet.Tensor;

/** Shared helpers of the layer tests: float64 tensors and element-wise comparison. */
final class NnTesting {
  static final DType F64 = DType.FLOAT64;

  private NnTesting() {}

  static Tensor randn(Random rng, int... shape) {
    return Tensor.randn(rng, F64, shape);
  }

  static Tensor tensor(double[] data, int... shape) {
    return Tensor.of(data, F64, shape);
  }

  /** Same shape, and every element within {@code tol} (absolute) of the expected one. */
  static void assertClose(Tensor actual, double[] expected, int[] shape, double tol) {
    assertArrayEquals(shape, actual.shape(), "shape");
    double[] a = actual.toDoubleArray();
    assertEquals(expected.length, a.length, "element count");
    for (int i = 0; i < a.length; i++) {
      assertEquals(expected[i], a[i], tol, "element " + i);
    }
  }
}
