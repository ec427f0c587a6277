package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.randn;
import static zkynet.nn.NnTesting.tensor;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

class DropoutTest {
  @Test
  void trainingZeroesAboutPAndScalesTheRest() {
    Dropout d = new Dropout(0.3, 11);
    double[] y = d.apply(Tensor.ones(F64, 4000)).value().toDoubleArray();
    int zeros = 0;
    for (double v : y) {
      if (v == 0) {
        zeros++;
      } else {
        assertEquals(1 / 0.7, v, 1e-15);
      }
    }
    // Binomial(4000, 0.3): standard deviation 29, so +-150 is over 5 sigma.
    assertEquals(1200, zeros, 150);
  }

  @Test
  void evalIsTheIdentityAndTrainSwitchesBack() {
    Dropout d = new Dropout(0.9, 1);
    Tensor x = randn(new Random(2), 3, 5);
    assertSame(d, d.eval());
    assertFalse(d.isTraining());
    assertArrayEquals(x.toDoubleArray(), d.apply(x).value().toDoubleArray());
    d.train(true);
    assertNotEquals(Arrays.toString(x.toDoubleArray()),
        Arrays.toString(d.apply(x).value().toDoubleArray()));
  }

  @Test
  void modeReachesEveryNestedAndSharedSubmodule() {
    Dropout shared = new Dropout(0.5, 3);
    Dropout other = new Dropout(0.5, 4);
    Linear lin = new Linear(new Random(5), F64, 4, 4);
    Sequential inner = new Sequential(shared, other);
    Sequential top = new Sequential(lin, inner, shared);
    top.eval();
    for (var m : new zkynet.ModuleBase[] {top, inner, lin, shared, other}) {
      assertFalse(m.isTraining(), m.name());
    }
    Tensor x = randn(new Random(6), 2, 4);
    assertArrayEquals(lin.apply(x).value().toDoubleArray(), top.apply(x).value().toDoubleArray());
    top.train(true);
    for (var m : new zkynet.ModuleBase[] {top, inner, lin, shared, other}) {
      assertTrue(m.isTraining(), m.name());
    }
    // evaluating a sub-module alone leaves its parent in training mode
    inner.eval();
    assertTrue(top.isTraining());
    assertFalse(other.isTraining());
  }

  @Test
  void seededMasksRepeatAndSuccessiveCallsDiffer() {
    Tensor x = Tensor.ones(F64, 64);
    Dropout a = new Dropout(0.5, 42);
    Dropout b = new Dropout(0.5, 42);
    double[] a1 = a.apply(x).value().toDoubleArray();
    assertArrayEquals(a1, b.apply(x).value().toDoubleArray());
    assertFalse(Arrays.equals(a1, a.apply(x).value().toDoubleArray()));
  }

  @Test
  void gradientIsTheCotangentThroughTheSameMask() {
    Dropout d = new Dropout(0.5, 8);
    Random rng = new Random(9);
    Tensor x = Tensor.uniform(rng, 1, 2, F64, 3, 4);
    Tensor c = randn(rng, 3, 4);
    ModuleGraph g = d.apply(x);
    g.back(c);
    double[] xs = x.toDoubleArray();
    double[] ys = g.value().toDoubleArray();
    double[] cs = c.toDoubleArray();
    double[] gx = g.grad(d.input("x")).toDoubleArray();
    for (int i = 0; i < xs.length; i++) {
      assertEquals(cs[i] * ys[i] / xs[i], gx[i], 1e-12, "element " + i);
    }
  }

  @Test
  void operatorPassesGradCheck() {
    Random rng = new Random(10);
    for (int[] shape : new int[][] {{1}, {2, 3}, {2, 1, 4}}) {
      Tensor mask = Tensor.uniform(rng, 0, 1, F64, shape).gt(0.5).mul(2.0);
      GradCheck.assertGradients(in -> new FunctionalOps.Dropout(in[0], mask), randn(rng, shape));
    }
  }

  @Test
  void edgeProbabilitiesAndBadOnes() {
    Tensor x = tensor(new double[] {1, -2, 3}, 3);
    for (double v : new Dropout(1, 1).apply(x).value().toDoubleArray()) {
      assertEquals(0.0, v, 0.0); // -2 * 0 is -0.0, as in PyTorch
    }
    assertArrayEquals(x.toDoubleArray(), new Dropout(0, 1).apply(x).value().toDoubleArray());
    assertArrayEquals(new int[] {0, 2}, new Dropout(0.5, 1).apply(Tensor.zeros(F64, 0, 2)).value()
        .shape());
    for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Dropout(p, 1));
      assertTrue(e.getMessage().contains("Dropout"), e.getMessage());
    }
  }
}
