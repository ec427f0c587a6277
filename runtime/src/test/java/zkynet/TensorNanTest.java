package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** NaN operands propagate as in numpy (ND4J's scalar ops would turn NaN into 1e-5). */
class TensorNanTest {
  private static final Tensor W = Tensor.of(new double[] {4, 5, 6}, DType.FLOAT64, 3);

  @Test
  void nanScalarPropagates() {
    for (Tensor t : new Tensor[] {W.mul(Double.NaN), W.add(Double.NaN), W.sub(Double.NaN),
        W.div(Double.NaN), W.rsub(Double.NaN), W.rdiv(Double.NaN),
        W.mul(Tensor.of(Double.NaN, DType.FLOAT64)), Tensor.of(Double.NaN, DType.FLOAT64).add(W)}) {
      for (double v : t.toDoubleArray()) {
        assertTrue(Double.isNaN(v), t.toString());
      }
    }
  }

  @Test
  void comparisonsWithNanAreFalse() {
    assertEquals(0.0, W.gt(Double.NaN).sum().item(), 0);
    assertEquals(0.0, W.ge(Double.NaN).sum().item(), 0);
  }

  @Test
  void infinityStaysInfinite() {
    assertEquals(Double.POSITIVE_INFINITY, W.mul(Double.POSITIVE_INFINITY).toDoubleArray()[0], 0);
    assertEquals(0.0, W.div(Double.POSITIVE_INFINITY).toDoubleArray()[0], 0);
  }
}
