package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Lists of sub-modules, parameter listing and updates, and the accepted input types (INDArray inputs,
 * which need ND4J, are tested in the runtime).
 */
class ChainTest {
  private static double f(double x, double w) {
    return (x + w) * x * x;
  }

  @Test
  void listOfSubModulesNamesAndGradients() {
    Chain chain = new Chain(1, 0.5);
    assertEquals(List.of("stages.0.w", "stages.1.w"), List.copyOf(chain.namedParameters().keySet()));
    ModuleGraph r = chain.apply(0.5);
    double y1 = f(0.5, 1);
    assertEquals(f(y1, 0.5), r.value().item(), 1e-5);
    r.back();
    // d f2 / d w2 = y1^2 ; d f2 / d w1 = f2'(y1) * x^2, f2'(y) = 3y^2 + 2 w2 y.
    assertEquals(y1 * y1, r.grad(chain.param("stages.1.w")).item(), 1e-5);
    assertEquals((3 * y1 * y1 + 2 * 0.5 * y1) * 0.25, r.grad(chain.param("stages.0.w")).item(), 1e-5);
  }

  @Test
  void parametersCanBeUpdated() {
    Chain chain = new Chain(1);
    Parameter w = chain.parameters().get(0);
    w.set(Tensor.of(2.0));
    assertEquals(f(3, 2), chain.apply(3).value().item(), 1e-4);
    assertThrows(IllegalArgumentException.class, () -> w.set(Tensor.of(1.0, 2.0)));
    assertEquals(2.0, w.value().item(), 0);
  }

  @Test
  void acceptsNumbersArraysAndTensors() {
    SimpleModel m = new SimpleModel(1);
    assertEquals(36.0, m.apply(3L).value().item(), 1e-5);
    assertEquals(36.0, m.apply(3.0f).value().item(), 1e-5);
    assertEquals(36.0, m.apply(Tensor.of(3.0)).value().item(), 1e-5);
    assertEquals(80.0, m.apply(Tensor.of(3.0f, 4.0f)).value().toDoubleArray()[1], 1e-4);
    // float64 values meet a float32 parameter: a clear error, never a silent cast.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.apply(Tensor.of(new double[] {3, 4}, DType.FLOAT64, 2)));
    assertTrue(e.getMessage().contains("dtype mismatch float64 [2] vs float32 []"), e.getMessage());
    assertEquals(80.0, m.apply(new float[] {3, 4}).value().toDoubleArray()[1], 1e-4);
    assertEquals(80.0, m.apply(new long[] {3, 4}).value().toDoubleArray()[1], 1e-4);
  }
}
