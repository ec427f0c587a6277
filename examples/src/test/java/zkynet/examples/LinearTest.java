package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Tensor;

/** The linear layer X W + b: values and gradients against hand-computed ones. */
class LinearTest {
  @Test
  void valueAndGradients() {
    Tensor w = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
    Tensor b = Tensor.of(0.5, -0.5);
    Linear layer = new Linear(w, b);
    double[][] x = {{1, 0, 2}, {0, 1, -1}};
    ModuleGraph r = layer.apply(x);
    assertArrayEquals(new double[][] {{11.5, 13.5}, {-2 + 0.5, -2 - 0.5}}, r.value().toMatrix());
    r.back(Tensor.ones(r.value().dtype(), 2, 2));
    // d(sum XW+b)/dW = X^T 1 : column sums of X repeated per output.
    assertArrayEquals(new double[][] {{1, 1}, {1, 1}, {1, 1}}, r.grad(layer.param("weight")).toMatrix());
    assertArrayEquals(new double[] {2, 2}, r.grad(layer.param("bias")).toDoubleArray(), 1e-6);
    // d/dX = 1 W^T: row sums of W.
    assertArrayEquals(new double[][] {{3, 7, 11}, {3, 7, 11}}, r.grad(layer.input("x")).toMatrix());
  }

  @Test
  void fullJacobianShape() {
    Linear layer = new Linear(Tensor.ones(zkynet.DType.FLOAT32, 3, 2),
        Tensor.zeros(zkynet.DType.FLOAT32, 2));
    ModuleGraph r = layer.apply(new double[][] {{1, 2, 3}});
    r.back();
    assertArrayEquals(new int[] {1, 2, 3, 2}, r.grad(layer.param("weight")).shape());
    assertArrayEquals(new int[] {1, 2, 2}, r.grad(layer.param("bias")).shape());
    assertEquals(1.0, r.grad(layer.param("bias")).toDoubleArray()[0], 1e-6);
  }
}
