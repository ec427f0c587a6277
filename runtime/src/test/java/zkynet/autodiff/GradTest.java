package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** {@link Grad}: undoing broadcasting (with and without batch axes) and accumulating. */
class GradTest {
  private static final DType F64 = DType.FLOAT64;

  private static Tensor range(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] data = new double[n];
    for (int i = 0; i < n; i++) {
      data[i] = i + 1;
    }
    return Tensor.of(data, F64, shape);
  }

  @Test
  void matchingShapeIsReturnedAsIs() {
    Tensor c = range(2, 3);
    assertSame(c, Grad.unbroadcast(c, 0, new int[] {2, 3}));
    assertSame(c, Grad.unbroadcast(c, 1, new int[] {3}));
  }

  @Test
  void sizeOneAxesAreSummedKeepingThem() {
    // input [3,1] broadcast against [4] gave [3,4]
    Tensor c = range(3, 4);
    Tensor r = Grad.unbroadcast(c, 0, new int[] {3, 1});
    assertArrayEquals(new int[] {3, 1}, r.shape());
    assertArrayEquals(new double[] {10, 26, 42}, r.toDoubleArray());
  }

  @Test
  void extraLeadingAxesAreSummedAway() {
    // input [4] broadcast against [3,1] gave [3,4]
    Tensor r = Grad.unbroadcast(range(3, 4), 0, new int[] {4});
    assertArrayEquals(new int[] {4}, r.shape());
    assertArrayEquals(new double[] {15, 18, 21, 24}, r.toDoubleArray());
    // input [3] in [2,1,3]: sum axes 0 and 1
    Tensor s = Grad.unbroadcast(range(2, 2, 3), 0, new int[] {3});
    assertArrayEquals(new double[] {1 + 4 + 7 + 10, 2 + 5 + 8 + 11, 3 + 6 + 9 + 12}, s.toDoubleArray());
    // scalar input
    Tensor t = Grad.unbroadcast(range(2, 3), 0, new int[] {});
    assertArrayEquals(new int[] {}, t.shape());
    assertEquals(21, t.item());
  }

  @Test
  void batchAxesAreKept() {
    // two cotangents (batch axis of 2) of a [3,4] output, input [3,1]
    Tensor r = Grad.unbroadcast(range(2, 3, 4), 1, new int[] {3, 1});
    assertArrayEquals(new int[] {2, 3, 1}, r.shape());
    assertArrayEquals(new double[] {10, 26, 42, 58, 74, 90}, r.toDoubleArray());
    // batch axes are never summed, even when the input has rank 0
    Tensor s = Grad.unbroadcast(range(2, 3), 1, new int[] {});
    assertArrayEquals(new int[] {2}, s.shape());
    assertArrayEquals(new double[] {6, 15}, s.toDoubleArray());
    // a batch axis of size 1 stays, also against an input with a size-1 axis
    Tensor u = Grad.unbroadcast(range(1, 3), 1, new int[] {1});
    assertArrayEquals(new int[] {1, 1}, u.shape());
    assertEquals(6, u.item());
  }

  @Test
  void smallerContributionsAreBroadcastUp() {
    // the rule of sum() returns g as is: [] -> [2,3]
    Tensor r = Grad.unbroadcast(Tensor.of(2, F64), 0, new int[] {2, 3});
    assertArrayEquals(new int[] {2, 3}, r.shape());
    assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, r.toDoubleArray());
    // with a batch axis: [2] (batch) -> [2, 2, 3]
    Tensor s = Grad.unbroadcast(Tensor.of(new double[] {1, 5}, F64, 2), 1, new int[] {2, 3});
    assertArrayEquals(new int[] {2, 2, 3}, s.shape());
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5}, s.toDoubleArray());
    // size-1 axes broadcast: batch ++ [2,1] -> batch ++ [2,3]
    Tensor t = Grad.unbroadcast(range(2, 2, 1), 1, new int[] {2, 3});
    assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}, t.toDoubleArray());
    // mixed: sum one axis, broadcast another ([3,1] contribution for a [1,4] input)
    Tensor m = Grad.unbroadcast(range(3, 1), 0, new int[] {1, 4});
    assertArrayEquals(new int[] {1, 4}, m.shape());
    assertArrayEquals(new double[] {6, 6, 6, 6}, m.toDoubleArray());
  }

  @Test
  void incompatibleShapesAreAnErrorNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Grad.unbroadcast(range(3, 4), 0, new int[] {3, 2}));
    assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Grad.unbroadcast(range(3), 2, new int[] {3}));
  }

  @Test
  void accumulateAddsAndTreatsNullAsNoGradient() {
    Tensor input = range(3, 1);
    assertNull(Grad.accumulate(null, null, input, 0));
    Tensor acc = Grad.accumulate(null, range(3, 4), input, 0);
    assertArrayEquals(new double[] {10, 26, 42}, acc.toDoubleArray());
    assertSame(acc, Grad.accumulate(acc, null, input, 0));
    Tensor twice = Grad.accumulate(acc, range(3, 1), input, 0);
    assertArrayEquals(new int[] {3, 1}, twice.shape());
    assertArrayEquals(new double[] {11, 28, 45}, twice.toDoubleArray());
    // acc and contribution must agree on the batch axes
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Grad.accumulate(range(2, 3, 1), range(5, 3, 1), input, 1));
    assertTrue(e.getMessage().contains("batch"), e.getMessage());
  }

  @Test
  void batchRankIsCotangentRankMinusOutputRank() {
    assertEquals(2, Grad.batchRank(range(2, 2, 3), range(3)));
    assertEquals(0, Grad.batchRank(Tensor.of(1, F64), Tensor.of(2, F64)));
    assertThrows(IllegalArgumentException.class, () -> Grad.batchRank(range(3), range(2, 3)));
  }
}
