package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;

/**
 * The {@link Backend} contract, kernel by kernel, on already-valid arguments (Tensor does the
 * checking). Every backend gets a subclass naming it; rank 0 and NaN are the usual trouble spots.
 */
abstract class BackendContractTest {
  abstract Backend backend();

  Storage make(DType dtype, int[] shape, double... data) {
    return backend().create(data, shape, dtype);
  }

  Storage f64(int[] shape, double... data) {
    return make(DType.FLOAT64, shape, data);
  }

  static int[] s(int... shape) {
    return shape;
  }

  void check(Storage x, int[] shape, DType dtype, double... values) {
    assertSame(backend(), x.backend());
    assertArrayEquals(shape, x.shape(), "shape");
    assertEquals(dtype, x.dtype(), "dtype");
    assertArrayEquals(values, backend().read(x), 1e-12, "values");
  }

  void check(Storage x, int[] shape, double... values) {
    check(x, shape, DType.FLOAT64, values);
  }

  @Test
  void createAndRead() {
    check(f64(s(), 2.5), s(), 2.5);
    check(f64(s(2, 1, 2), 1, 2, 3, 4), s(2, 1, 2), 1, 2, 3, 4);
    check(make(DType.FLOAT32, s(2), 0.1, 1e-50), s(2), DType.FLOAT32, (double) 0.1f, 0);
    check(f64(s(0, 3)), s(0, 3));
  }

  @Test
  void unaryKeepsRankZero() {
    check(backend().unary(Backend.Unary.EXP, f64(s(), 0)), s(), 1);
    check(backend().unary(Backend.Unary.NEG, f64(s(2), 1, -2)), s(2), -1, 2);
    check(backend().unary(Backend.Unary.RELU, f64(s(2), -1, 2)), s(2), 0, 2);
    check(backend().unary(Backend.Unary.SIGN, f64(s(3), Double.NaN, -3, 0)), s(3), Double.NaN, -1, 0);
    check(backend().unary(Backend.Unary.LOG, f64(s(2), 0, -1)), s(2), Double.NEGATIVE_INFINITY, Double.NaN);
  }

  @Test
  void binaryAndComparisons() {
    Storage a = f64(s(3), 1, Double.NaN, 3);
    Storage b = f64(s(3), 2, 0, Double.NaN);
    check(backend().binary(Backend.Binary.MAXIMUM, a, b), s(3), 2, Double.NaN, Double.NaN);
    check(backend().binary(Backend.Binary.MINIMUM, b, a), s(3), 1, Double.NaN, Double.NaN);
    check(backend().binary(Backend.Binary.GT, a, b), s(3), 0, 0, 0);
    check(backend().binary(Backend.Binary.GE, f64(s(2), 1, 2), f64(s(2), 1, 3)), s(2), 1, 0);
    check(backend().binary(Backend.Binary.EQ, f64(s(), 4), f64(s(), 4)), s(), 1);
    check(backend().binary(Backend.Binary.DIV, f64(s(), 1), f64(s(), 4)), s(), 0.25);
    check(backend().binary(Backend.Binary.SUB, a, a), s(3), 0, Double.NaN, 0); // inputs unchanged
    check(a, s(3), 1, Double.NaN, 3);
    check(backend().binary(Backend.Binary.POW, f64(s(3), 2, 4, 0), f64(s(3), 3, 0.5, 0)), s(3), 8, 2, 1);
    check(backend().binary(Backend.Binary.NE, a, b), s(3), 1, 1, 1);
    check(backend().binary(Backend.Binary.NE, f64(s(2), 1, 2), f64(s(2), 1, 3)), s(2), 0, 1);
  }

  @Test
  void scalarOps() {
    Storage x = f64(s(2), 1, 4);
    check(backend().scalar(Backend.Scalar.RSUB, x, 10), s(2), 9, 6);
    check(backend().scalar(Backend.Scalar.RDIV, x, 8), s(2), 8, 2);
    check(backend().scalar(Backend.Scalar.POW, x, 0.5), s(2), 1, 2);
    check(backend().scalar(Backend.Scalar.GT, x, 1), s(2), 0, 1);
    check(backend().scalar(Backend.Scalar.GE, x, 1), s(2), 1, 1);
    check(backend().scalar(Backend.Scalar.MUL, f64(s(), 3), 2), s(), 6);
    Storage n = f64(s(3), 1, Double.NaN, 4);
    check(backend().scalar(Backend.Scalar.MAX, n, 2), s(3), 2, Double.NaN, 4);
    check(backend().scalar(Backend.Scalar.MIN, n, 2), s(3), 1, Double.NaN, 2);
    check(backend().scalar(Backend.Scalar.LT, n, 4), s(3), 1, 0, 0);
    check(backend().scalar(Backend.Scalar.LE, n, 4), s(3), 1, 0, 1);
    check(backend().scalar(Backend.Scalar.NE, n, 4), s(3), 1, 1, 0);
    check(make(DType.FLOAT32, s(), 1), s(), DType.FLOAT32, 1);
    check(backend().scalar(Backend.Scalar.ADD, make(DType.FLOAT32, s(), 1), 0.1), s(), DType.FLOAT32,
        (double) (1f + 0.1f));
  }

  @Test
  void reductionsDropAxesExactly() {
    Storage x = f64(s(2, 3), 1, 2, 3, 4, 5, 6);
    check(backend().reduce(Backend.Reduce.SUM, x, new int[] {0, 1}), s(), 21);
    check(backend().reduce(Backend.Reduce.SUM, x, new int[] {1}), s(2), 6, 15);
    check(backend().reduce(Backend.Reduce.MEAN, x, new int[] {0}), s(3), 2.5, 3.5, 4.5);
    check(backend().reduce(Backend.Reduce.MAX, f64(s(3), 1, 3, 2), new int[] {0}), s(), 3);
    check(backend().reduce(Backend.Reduce.MAX, f64(s(2, 2), Double.NaN, 1, 2, 3), new int[] {1}), s(2), Double.NaN, 3);
    check(backend().reduce(Backend.Reduce.SUM, f64(s(1, 1), 5), new int[] {0}), s(1), 5);
    check(backend().reduce(Backend.Reduce.MIN, x, new int[] {0}), s(3), 1, 2, 3);
    check(backend().reduce(Backend.Reduce.MIN, f64(s(2, 2), 4, Double.NaN, 2, 3), new int[] {1}), s(2), Double.NaN, 2);
  }

  @Test
  void shapeKernels() {
    check(backend().reshape(f64(s(1, 1), 5), s()), s(), 5);
    check(backend().reshape(f64(s(), 5), s(1, 1)), s(1, 1), 5);
    check(backend().permute(f64(s(2, 3), 1, 2, 3, 4, 5, 6), new int[] {1, 0}), s(3, 2), 1, 4, 2, 5, 3, 6);
    check(backend().broadcastTo(f64(s(1), 7), s(3)), s(3), 7, 7, 7);
    check(backend().broadcastTo(f64(s(2, 1), 1, 2), s(2, 2)), s(2, 2), 1, 1, 2, 2);
    check(backend().slice(f64(s(4), 1, 2, 3, 4), 0, 1, 3), s(2), 2, 3);
    check(backend().concat(f64(s(1), 1), f64(s(2), 2, 3), 0), s(3), 1, 2, 3);
    check(backend().concat(f64(s(1, 2), 1, 2), f64(s(1, 1), 3), 1), s(1, 3), 1, 2, 3);
  }

  @Test
  void matmulAndFriends() {
    check(backend().matmul(f64(s(1, 2), 1, 2), f64(s(2, 1), 3, 4)), s(1, 1), 11);
    Storage a = f64(s(2, 1, 1, 2), 1, 2, 3, 4);
    Storage b = f64(s(2, 1, 2, 1), 1, 1, 1, -1);
    check(backend().matmul(a, b), s(2, 1, 1, 1), 3, -1);
    check(backend().where(f64(s(3), 0, Double.NaN, 2), f64(s(3), 1, 2, 3), f64(s(3), 7, 8, 9)), s(3), 7, 2, 3);
    check(backend().where(f64(s(), 0), f64(s(), 1), f64(s(), 2)), s(), 2);
    check(backend().cast(f64(s(2), 0.1, 2), DType.FLOAT32), s(2), DType.FLOAT32, (double) 0.1f, 2);
    check(backend().argmax(f64(s(4), 1, 5, 5, 2), 0), s(), 1);
    check(backend().argmax(f64(s(2, 2), 1, 0, 0, 1), 1), s(2), 0, 1);
  }

  @Test
  void viewsComposeWithEveryKernel() {
    Storage x = f64(s(2, 3), 1, 2, 3, 4, 5, 6);
    Storage t = backend().permute(x, new int[] {1, 0}); // [3, 2]: 1 4 / 2 5 / 3 6
    check(backend().binary(Backend.Binary.SUB, t, f64(s(3, 2), 1, 1, 1, 1, 1, 1)), s(3, 2), 0, 3, 1, 4, 2, 5);
    check(backend().reduce(Backend.Reduce.SUM, t, new int[] {0}), s(2), 6, 15);
    check(backend().reduce(Backend.Reduce.MAX, t, new int[] {1}), s(3), 4, 5, 6);
    check(backend().unary(Backend.Unary.NEG, t), s(3, 2), -1, -4, -2, -5, -3, -6);
    check(backend().scalar(Backend.Scalar.MUL, t, 2), s(3, 2), 2, 8, 4, 10, 6, 12);
    check(backend().reshape(t, s(6)), s(6), 1, 4, 2, 5, 3, 6);
    check(backend().matmul(t, x), s(3, 3), 17, 22, 27, 22, 29, 36, 27, 36, 45); // x^T x
    check(backend().matmul(x, t), s(2, 2), 14, 32, 32, 77); // x x^T
    Storage row = backend().slice(x, 0, 1, 2); // [1, 3]: 4 5 6
    check(backend().matmul(row, t), s(1, 2), 32, 77);
    Storage b = backend().broadcastTo(f64(s(1, 3), 10, 20, 30), s(2, 3));
    check(backend().binary(Backend.Binary.ADD, x, b), s(2, 3), 11, 22, 33, 14, 25, 36);
    check(backend().reduce(Backend.Reduce.SUM, b, new int[] {0}), s(3), 20, 40, 60);
    check(backend().binary(Backend.Binary.SUB, x, b), s(2, 3), -9, -18, -27, -6, -15, -24);
    check(backend().binary(Backend.Binary.SUB, b, x), s(2, 3), 9, 18, 27, 6, 15, 24);
    Storage xt = backend().permute(t, new int[] {1, 0}); // x again, as a view
    check(backend().binary(Backend.Binary.SUB, xt, b), s(2, 3), -9, -18, -27, -6, -15, -24);
    check(backend().binary(Backend.Binary.DIV, b, xt), s(2, 3), 10, 10, 10, 2.5, 4, 5);
    check(b, s(2, 3), 10, 20, 30, 10, 20, 30);
    check(backend().matmul(backend().broadcastTo(f64(s(1, 2), 1, 1), s(2, 2)), f64(s(2, 1), 3, 4)), s(2, 1), 7, 7);
    check(backend().concat(t, t, 1), s(3, 4), 1, 4, 1, 4, 2, 5, 2, 5, 3, 6, 3, 6);
    check(backend().where(f64(s(3, 2), 1, 0, 1, 0, 1, 0), t, f64(s(3, 2), 0, 0, 0, 0, 0, 0)), s(3, 2), 1, 0, 2, 0, 3, 0);
    check(backend().argmax(t, 0), s(2), 2, 2);
    check(backend().take(t, 0, new int[] {2, 2, 0}), s(3, 2), 3, 6, 3, 6, 1, 4);
    check(backend().take(backend().permute(t, new int[] {1, 0}), 1, new int[] {1}), s(2, 1), 2, 5); // a view
    check(backend().indexAdd(t, 1, new int[] {1, 1}, 3), s(3, 3), 0, 5, 0, 0, 7, 0, 0, 9, 0);
    check(x, s(2, 3), 1, 2, 3, 4, 5, 6); // the source of every view is unchanged
  }

  @Test
  void oneElementBroadcastAgainstATensor() {
    Storage x = f64(s(2, 2), 1, -2, Double.NaN, -0.0);
    Storage one = backend().broadcastTo(f64(s(1, 1), 1), s(2, 2));
    Storage three = backend().broadcastTo(f64(s(), 3), s());
    Storage threes = backend().broadcastTo(backend().reshape(f64(s(), 3), s(1, 1)), s(2, 2));
    Storage prod = backend().binary(Backend.Binary.MUL, one, x);
    check(prod, s(2, 2), 1, -2, Double.NaN, -0.0);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(backend().read(prod)[3]), "1 * -0");
    check(backend().binary(Backend.Binary.MUL, x, one), s(2, 2), 1, -2, Double.NaN, -0.0);
    check(backend().binary(Backend.Binary.SUB, threes, x), s(2, 2), 2, 5, Double.NaN, 3);
    check(backend().binary(Backend.Binary.SUB, x, threes), s(2, 2), -2, -5, Double.NaN, -3);
    check(backend().binary(Backend.Binary.DIV, threes, f64(s(2, 2), 1, 2, 4, 8)), s(2, 2), 3, 1.5, 0.75, 0.375);
    check(backend().binary(Backend.Binary.POW, f64(s(2, 2), 1, 2, 3, 4), threes), s(2, 2), 1, 8, 27, 64);
    check(backend().binary(Backend.Binary.POW, threes, f64(s(2, 2), 0, 1, 2, 3)), s(2, 2), 1, 3, 9, 27);
    check(backend().binary(Backend.Binary.EQ, threes, f64(s(2, 2), 3, 1, 3, 1)), s(2, 2), 1, 0, 1, 0);
    check(backend().binary(Backend.Binary.GT, threes, f64(s(2, 2), 4, 2, 3, 1)), s(2, 2), 0, 1, 0, 1);
    check(backend().binary(Backend.Binary.ADD, three, three), s(), 6);
    Storage sum = backend().binary(Backend.Binary.ADD, x, backend().broadcastTo(backend().reshape(f64(s(), 0), s(1, 1)), s(2, 2)));
    check(sum, s(2, 2), 1, -2, Double.NaN, 0); // -0 + 0 = +0: an add is never skipped
    check(backend().addInPlace(sum, x), s(2, 2), 2, -4, Double.NaN, 0); // ADD results are fresh memory
    check(x, s(2, 2), 1, -2, Double.NaN, -0.0);
  }

  @Test
  void subScaledAndSumOfSquares() {
    Storage a = f64(s(2, 2), 1, 2, 3, 4);
    Storage b = f64(s(2, 2), 10, -10, 0.5, Double.NaN);
    check(backend().subScaled(a, b, 0.1), s(2, 2), 0, 3, 2.95, Double.NaN);
    check(backend().subScaled(backend().permute(a, new int[] {1, 0}), a, 2), s(2, 2), -1, -1, -4, -4);
    float[] pf = new float[1037];
    float[] gf = new float[1037];
    for (int i = 0; i < pf.length; i++) {
      pf[i] = (float) Math.sin(i) * 3;
      gf[i] = (float) Math.cos(i * 0.7) / 7;
    }
    Storage p32 = backend().create(pf, s(pf.length));
    Storage g32 = backend().create(gf, s(gf.length));
    double[] fused = backend().read(backend().subScaled(p32, g32, 0.01));
    double[] twoKernels = backend().read(backend().binary(Backend.Binary.SUB, p32,
        backend().scalar(Backend.Scalar.MUL, g32, 0.01)));
    assertArrayEquals(twoKernels, fused, 0, "rounded as sub(mul) in float32");
    assertEquals(0, backend().sumOfSquares(f64(s(0, 3))));
    assertEquals(9, backend().sumOfSquares(f64(s(), -3)));
    assertEquals(30, backend().sumOfSquares(backend().permute(a, new int[] {1, 0})));
    double want = 0;
    for (float v : pf) {
      want += (double) v * v;
    }
    assertEquals(want, backend().sumOfSquares(p32), 1e-5 * want);
    assertEquals(Double.NaN, backend().sumOfSquares(b));
  }

  @Test
  void slopeOfTanhAndSigmoid() {
    double inf = Double.POSITIVE_INFINITY;
    Storage g = f64(s(2, 3), 2, -1, 0.5, Double.NaN, inf, 3);
    Storage y = f64(s(2, 3), 0.5, -0.25, 1, 0.5, 0.5, inf);
    // tanh: g (1 - y^2); sigmoid: g y (1 - y); NaN and infinities as IEEE arithmetic gives them
    check(backend().slope(Backend.Slope.TANH, g, y), s(2, 3), 1.5, -0.9375, 0, Double.NaN, inf, -inf);
    check(backend().slope(Backend.Slope.SIGMOID, g, y), s(2, 3), 0.5, 0.3125, 0, Double.NaN, inf, -inf);
    check(g, s(2, 3), 2, -1, 0.5, Double.NaN, inf, 3); // inputs unchanged
    check(backend().slope(Backend.Slope.TANH, f64(s(), -4), f64(s(), 3)), s(), 32);
    check(backend().slope(Backend.Slope.SIGMOID, f64(s(0, 2)), f64(s(0, 2))), s(0, 2));
    // a transposed view as either operand
    Storage t = backend().permute(f64(s(2, 2), 0.1, 0.2, 0.3, 0.4), new int[] {1, 0});
    Storage ones = f64(s(2, 2), 1, 1, 1, 1);
    check(backend().slope(Backend.Slope.TANH, ones, t), s(2, 2), 0.99, 0.91, 0.96, 0.84);
    check(backend().slope(Backend.Slope.SIGMOID, t, ones), s(2, 2), 0, 0, 0, 0);
    // float32, more elements than one vector and a ragged tail: bit for bit the kernels one by one
    float[] gf = new float[1037];
    float[] yf = new float[1037];
    for (int i = 0; i < gf.length; i++) {
      gf[i] = (float) Math.cos(i * 0.7) * 5;
      yf[i] = (float) Math.tanh(Math.sin(i) * 3);
    }
    Storage g32 = backend().create(gf, s(gf.length));
    Storage y32 = backend().create(yf, s(yf.length));
    Storage yy = backend().binary(Backend.Binary.MUL, y32, y32);
    double[] tanhKernels = backend().read(backend().binary(Backend.Binary.MUL, g32,
        backend().scalar(Backend.Scalar.RSUB, yy, 1)));
    assertArrayEquals(tanhKernels, backend().read(backend().slope(Backend.Slope.TANH, g32, y32)), 0,
        "tanh slope rounded as mul(rsub(mul)) in float32");
    double[] sigmoidKernels = backend().read(backend().binary(Backend.Binary.MUL, g32,
        backend().binary(Backend.Binary.MUL, y32, backend().scalar(Backend.Scalar.RSUB, y32, 1))));
    assertArrayEquals(sigmoidKernels, backend().read(backend().slope(Backend.Slope.SIGMOID, g32, y32)),
        0, "sigmoid slope rounded as mul(mul(rsub)) in float32");
  }

  @Test
  void softmaxCrossEntropyAgainstAReferenceInDouble() {
    double inf = Double.POSITIVE_INFINITY;
    Random rng = new Random(7);
    double[] random = rng.doubles(7 * 5, -8, 8).toArray();
    int[] labels = rng.ints(7, 0, 5).toArray();
    double[] large = rng.doubles(2048 * 16, -15, 15).toArray();
    int[] largeLabels = rng.ints(2048, 0, 16).toArray();
    for (DType dtype : DType.values()) {
      crossEntropy(make(dtype, s(7, 5), random), labels);
      crossEntropy(make(dtype, s(2, 3), 1e30, -1e30, 0, -1e30, 1e30, 5), new int[] {1, 0}); // no overflow
      crossEntropy(make(dtype, s(2, 3), -inf, 1, 2, 0.5, -inf, 3), new int[] {1, 2}); // -inf off the label
      crossEntropy(make(dtype, s(2, 2), -inf, 1, 0, 0), new int[] {0, 1}); // -inf at the label: +inf
      // NaN, +inf and only -inf in a row: that row's gradient is NaN, the others' finite
      crossEntropy(make(dtype, s(4, 2), Double.NaN, 1, 0, 2, inf, 1, -inf, -inf), new int[] {1, 0, 0, 1});
      crossEntropy(make(dtype, s(1, 1), 5), new int[] {0});
      crossEntropy(make(dtype, s(0, 3)), new int[0]); // NaN, the mean of nothing; an empty gradient
      crossEntropy(make(dtype, s(3, 1), -7, 0, 1e30), new int[] {0, 0, 0});
      // views: a transposed tensor, and rows 2 to 4 (an offset into the array)
      crossEntropy(backend().permute(make(dtype, s(5, 7), random), new int[] {1, 0}), labels);
      crossEntropy(backend().slice(make(dtype, s(7, 5), random), 0, 2, 5), Arrays.copyOfRange(labels, 2, 5));
      crossEntropy(make(dtype, s(2048, 16), large), largeLabels); // large enough to split across threads
    }
  }

  /** Both cross-entropy kernels against {@link CrossEntropyReference} on the values of {@code x}. */
  void crossEntropy(Storage x, int[] labels) {
    double[] values = backend().read(x);
    int c = x.shape()[1];
    double tol = x.dtype() == DType.FLOAT32 ? 1e-6 : 1e-13;
    Storage loss = backend().softmaxCrossEntropy(x, labels);
    assertArrayEquals(s(), loss.shape(), "loss shape");
    assertEquals(x.dtype(), loss.dtype(), "loss dtype");
    double want = CrossEntropyReference.loss(values, c, labels);
    assertEquals(want, backend().item(loss), Double.isFinite(want) ? tol * Math.max(1, Math.abs(want)) : 0, "loss of " + Arrays.toString(values));
    Storage grad = backend().softmaxCrossEntropyGrad(x, labels);
    assertArrayEquals(x.shape(), grad.shape(), "gradient shape");
    assertEquals(x.dtype(), grad.dtype(), "gradient dtype");
    assertArrayEquals(CrossEntropyReference.grad(values, c, labels), backend().read(grad), tol / labels.length,
        "gradient of " + Arrays.toString(values));
    assertArrayEquals(values, backend().read(x), 0, "logits unchanged");
  }

  @Test
  void float32AgreesWithFloat64() {
    double[] v = {-30, -5, -1, -0.5, 0, 1e-6, 0.3, 1, 4, 20};
    Storage x32 = make(DType.FLOAT32, s(v.length), v);
    Storage x64 = f64(s(v.length), v);
    for (Backend.Unary op : Backend.Unary.values()) {
      double[] got = backend().read(backend().unary(op, x32));
      double[] want = backend().read(backend().unary(op, x64));
      for (int i = 0; i < v.length; i++) {
        double tol = 1e-6 * Math.max(1, Math.abs(want[i]));
        assertEquals(want[i], got[i], Double.isNaN(want[i]) ? 0 : tol, op + " at " + v[i]);
      }
    }
  }
}
