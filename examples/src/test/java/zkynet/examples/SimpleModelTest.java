package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Tensor;

/** The seed's numbers for f(x, w) = (x + w) * x^2 with w = 1. */
class SimpleModelTest {
  private static final double TOL = 1e-5;

  @Test
  void scalarInput() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph result = m.apply(3);
    assertEquals(36.0, result.value().item(), TOL);
    result.back();
    assertEquals(9.0, result.grad(m.param("w")).item(), TOL);
    assertEquals(33.0, result.grad(m.input("x")).item(), TOL);
  }

  @Test
  void vectorInputGivesFullJacobians() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph result = m.apply(new double[] {3, 4, 5});
    assertArrayEquals(new double[] {36, 80, 150}, result.value().toDoubleArray(), TOL);
    result.back();
    Tensor gx = result.grad(m.input("x"));
    assertArrayEquals(new int[] {3, 3}, gx.shape());
    assertArrayEquals(new double[][] {{33, 0, 0}, {0, 56, 0}, {0, 0, 85}}, gx.toMatrix());
    Tensor gw = result.grad(m.param("w"));
    assertArrayEquals(new int[] {3}, gw.shape());
    assertArrayEquals(new double[] {9, 16, 25}, gw.toDoubleArray(), TOL);
  }

  @Test
  void matrixInputGivesRank4Jacobian() {
    SimpleModel m = new SimpleModel(1);
    double[][] x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
    ModuleGraph result = m.apply(x);
    result.back();
    Tensor gx = result.grad(m.input("x"));
    assertArrayEquals(new int[] {4, 3, 4, 3}, gx.shape());
    double[] j = gx.toDoubleArray();
    for (int i = 0; i < 12; i++) {
      for (int k = 0; k < 12; k++) {
        double xi = x[i / 3][i % 3];
        double expected = i == k ? 3 * xi * xi + 2 * xi : 0;
        assertEquals(expected, j[i * 12 + k], 1e-3, "J[" + i + "," + k + "]");
      }
    }
    assertArrayEquals(new int[] {4, 3}, result.grad(m.param("w")).shape());
  }

  @Test
  void eachCallIsAnIndependentGraph() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph a = m.apply(3);
    ModuleGraph b = m.apply(3);
    assertEquals(a.value().item(), b.value().item());
    assertNotEquals(a.callId(), b.callId());
    assertNotSame(a.root(), b.root());
  }

  @Test
  void backTwiceDoesNotDouble() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph r = m.apply(3);
    r.back();
    r.back();
    assertEquals(9.0, r.grad(m.param("w")).item(), TOL);
  }

  @Test
  void vectorJacobianProduct() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph r = m.apply(new double[] {3, 4, 5});
    r.back(Tensor.of(1.0, 1.0, 1.0));
    assertArrayEquals(new double[] {33, 56, 85}, r.grad(m.input("x")).toDoubleArray(), TOL);
    assertEquals(50.0, r.grad(m.param("w")).item(), TOL);
  }

  @Test
  void integerInputsBecomeFloatingPoint() {
    SimpleModel m = new SimpleModel(1);
    ModuleGraph r = m.apply(new int[] {3, 4});
    r.back(Tensor.of(1.0, 1.0));
    assertArrayEquals(new double[] {33, 56}, r.grad(m.input("x")).toDoubleArray(), TOL);
  }

  @Test
  void misuseGivesClearErrors() {
    SimpleModel m = new SimpleModel(1);
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> m.applyValues(1, 2));
    assertTrue(count.getMessage().contains("expects 1 input [x], got 2"), count.getMessage());
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
        () -> m.param("v"));
    assertTrue(name.getMessage().contains("no parameter 'v'") && name.getMessage().contains("[w]"),
        name.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.input("y"));
    ModuleGraph r = m.apply(3);
    IllegalStateException early = assertThrows(IllegalStateException.class,
        () -> r.grad(m.param("w")));
    assertTrue(early.getMessage().contains("back()"), early.getMessage());
    SimpleModel other = new SimpleModel(2);
    r.back();
    IllegalArgumentException notLeaf = assertThrows(IllegalArgumentException.class,
        () -> r.grad(other.param("w")));
    assertTrue(notLeaf.getMessage().contains("not a leaf of this graph"), notLeaf.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.apply("three"));
  }

  @Test
  void namesAndFunctionalNames() {
    SimpleModel a = new SimpleModel(1);
    SimpleModel b = new SimpleModel(1);
    assertEquals("SimpleModel.w", a.param("w").functionalName());
    assertEquals(a.param("w").functionalName(), b.param("w").functionalName());
    assertNotEquals(a.param("w").name(), b.param("w").name());
    assertEquals("SimpleModel.x", a.input("x").functionalName());
  }
}
