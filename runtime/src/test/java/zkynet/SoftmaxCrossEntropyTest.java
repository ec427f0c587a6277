package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.autodiff.Differentiable;
import zkynet.backend.CrossEntropyReference;

/**
 * The operator {@code softmaxCrossEntropy} (one fused backend kernel each way) against a plain
 * double reference and against the chain of Tensor operations it replaced, on the current backend,
 * in both dtypes; the kernels' special values are in {@code BackendContractTest}.
 */
class SoftmaxCrossEntropyTest {
  private final Random rng = new Random(11);

  private int[] labels(int n, int c) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(c);
    }
    return labels;
  }

  /** The loss as the operator computed it before it was fused. */
  private static Tensor lossByOps(Tensor logits, int[] labels) {
    Tensor oneHot = Tensor.oneHot(labels, logits.shape(-1), logits.dtype());
    return Builtins.logSoftmax(logits).mul(oneHot).sum().neg().div(logits.shape(0));
  }

  /** The derivative as it was computed before it was fused. */
  private static Tensor gradByOps(Tensor logits, int[] labels) {
    Tensor oneHot = Tensor.oneHot(labels, logits.shape(-1), logits.dtype());
    return Builtins.softmax(logits).sub(oneHot).div(logits.shape(0));
  }

  private static Tensor grad(BuiltinsOps.SoftmaxCrossEntropy ce, Tensor cotangent) {
    return ce.backward(cotangent, Differentiable.all(1))[0];
  }

  /** Loss and gradient of {@code logits} against the reference and the replaced op chain. */
  private static void checkAgainstReferenceAndOps(Tensor logits, int[] labels) {
    DType dtype = logits.dtype();
    int n = labels.length;
    int c = logits.shape(1);
    double[] values = logits.toDoubleArray();
    double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-13;
    BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(logits, labels);
    assertEquals(0, ce.output().rank());
    assertEquals(dtype, ce.output().dtype());
    double loss = ce.output().item();
    double want = CrossEntropyReference.loss(values, c, labels);
    assertEquals(want, loss, tol * want, "loss against the reference");
    assertEquals(lossByOps(logits, labels).item(), loss, tol * want, "loss against the op chain");
    Tensor g = grad(ce, Tensor.of(1.0, dtype));
    assertArrayEquals(new int[] {n, c}, g.shape());
    assertEquals(dtype, g.dtype());
    assertArrayEquals(CrossEntropyReference.grad(values, c, labels), g.toDoubleArray(), tol / n, "gradient");
    assertArrayEquals(gradByOps(logits, labels).toDoubleArray(), g.toDoubleArray(), tol / n,
        "gradient against the op chain");
  }

  @Test
  void agreesWithTheReferenceAndTheOpChainOnTrainingShapes() {
    for (DType dtype : DType.values()) {
      for (int[] shape : new int[][] {{128, 10}, {64, 10}, {3, 7}, {1, 2}}) {
        Tensor logits = Tensor.randn(rng, dtype, shape).mul(4.0);
        checkAgainstReferenceAndOps(logits, labels(shape[0], shape[1]));
      }
    }
  }

  @Test
  void viewsOfLogits() {
    for (DType dtype : DType.values()) {
      Tensor t = Tensor.randn(rng, dtype, 10, 16).mul(3.0);
      checkAgainstReferenceAndOps(t.transpose(), labels(16, 10));
      checkAgainstReferenceAndOps(t.slice(0, 3, 8), labels(5, 16));
      checkAgainstReferenceAndOps(t.slice(1, 5, 9), labels(10, 4));
    }
  }

  @Test
  void cotangentWithLeadingAxesScalesTheGradient() {
    for (DType dtype : DType.values()) {
      Tensor logits = Tensor.randn(rng, dtype, 4, 3);
      int[] labels = labels(4, 3);
      BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(logits, labels);
      double[] cotangent = {2, -0.5, 0};
      Tensor g = grad(ce, Tensor.of(cotangent, dtype, 3));
      assertArrayEquals(new int[] {3, 4, 3}, g.shape());
      double[] local = CrossEntropyReference.grad(logits.toDoubleArray(), 3, labels);
      double[] got = g.toDoubleArray();
      for (int k = 0; k < cotangent.length; k++) {
        for (int i = 0; i < local.length; i++) {
          assertEquals(cotangent[k] * local[i], got[k * local.length + i], 1e-6, "cotangent " + k + ", element " + i);
        }
      }
    }
  }

  @Test
  void specialValuesPerRow() {
    double inf = Double.POSITIVE_INFINITY;
    for (DType dtype : DType.values()) {
      // -inf off the label adds nothing (the op chain gave NaN here: -inf * 0); -inf at the label is +inf
      Tensor offLabel = Tensor.of(new double[] {-inf, 0, 0, 1e30, -1e30, 0}, dtype, 2, 3);
      assertEquals(Math.log(2) / 4 + 1e30 / 2, new BuiltinsOps.SoftmaxCrossEntropy(offLabel, new int[] {1, 2})
          .output().item(), dtype == DType.FLOAT32 ? 1e24 : 1e16);
      Tensor atLabel = Tensor.of(new double[] {-inf, 0, 0, 1}, dtype, 2, 2);
      BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(atLabel, new int[] {0, 1});
      assertEquals(inf, ce.output().item());
      double[] g = grad(ce, Tensor.of(1.0, dtype)).toDoubleArray();
      assertEquals(-0.5, g[0]); // softmax 0 there, minus 1 / N
      assertArrayEquals(gradByOps(atLabel, new int[] {0, 1}).toDoubleArray(), g, 1e-7);
      // NaN in one row: NaN loss, a NaN gradient row, the other row as without it (as the op chain)
      Tensor nan = Tensor.of(new double[] {1, Double.NaN, 0, 2}, dtype, 2, 2);
      BuiltinsOps.SoftmaxCrossEntropy nanCe = new BuiltinsOps.SoftmaxCrossEntropy(nan, new int[] {0, 1});
      assertEquals(Double.NaN, nanCe.output().item());
      assertArrayEquals(gradByOps(nan, new int[] {0, 1}).toDoubleArray(),
          grad(nanCe, Tensor.of(1.0, dtype)).toDoubleArray(), 1e-7);
    }
  }

  @Test
  void badLabelsAreErrorsNamingTheLabel() {
    Tensor logits = Tensor.zeros(DType.FLOAT32, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BuiltinsOps.SoftmaxCrossEntropy(logits, new int[] {0, 3}));
    assertEquals("oneHot: labels[1] = 3 is out of range [0, 3)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BuiltinsOps.SoftmaxCrossEntropy(logits, new int[] {-1, 0}));
    assertEquals("oneHot: labels[0] = -1 is out of range [0, 3)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BuiltinsOps.SoftmaxCrossEntropy(Tensor.zeros(DType.FLOAT32, 0, 0), new int[0]));
    assertEquals("oneHot: classes must be positive, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BuiltinsOps.SoftmaxCrossEntropy(logits, new int[] {0}));
    assertEquals("softmaxCrossEntropy: logits must be [N, C] with one label per row; got logits [2, 3] and 1 labels",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BuiltinsOps.SoftmaxCrossEntropy(Tensor.zeros(DType.FLOAT32, 6), new int[] {0}));
    assertEquals("softmaxCrossEntropy: logits must be [N, C] with one label per row; got logits [6] and 1 labels",
        e.getMessage());
  }

  @Test
  void noRowsGiveNaNAndAnEmptyGradient() {
    for (DType dtype : DType.values()) {
      BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(Tensor.zeros(dtype, 0, 4), new int[0]);
      assertEquals(Double.NaN, ce.output().item());
      assertArrayEquals(new int[] {0, 4}, grad(ce, Tensor.of(1.0, dtype)).shape());
    }
  }
}
