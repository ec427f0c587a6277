package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import zkynet.autodiff.Differentiable;
import zkynet.autodiff.GradCheck;

/**
 * Every built-in operator's generated derivative against the shipped gradient checker, in float64,
 * over random shapes (with broadcasting for the binary ones) from a fixed seed.
 */
class BuiltinsGradCheckTest {
  private static final DType F64 = DType.FLOAT64;

  private static Tensor randn(Random rng, int... shape) {
    return Tensor.randn(rng, F64, shape);
  }

  /** Values kept away from 0 (for log, div, relu's kink). */
  private static Tensor positive(Random rng, int... shape) {
    return Tensor.uniform(rng, 0.5, 2.0, F64, shape);
  }

  private static DynamicTest check(String name, Function<Tensor[], Differentiable> f,
      Tensor... inputs) {
    return DynamicTest.dynamicTest(name, () -> GradCheck.assertGradients(f, inputs));
  }

  @TestFactory
  Stream<DynamicTest> builtins() {
    Random rng = new Random(7);
    List<DynamicTest> tests = new ArrayList<>();
    int[][][] pairs = {{{3}, {3}}, {{2, 3}, {3}}, {{3, 1}, {4}}, {{2, 1, 3}, {1, 4, 1}}, {{}, {2, 2}}};
    for (int[][] p : pairs) {
      String s = java.util.Arrays.toString(p[0]) + "x" + java.util.Arrays.toString(p[1]);
      tests.add(check("add " + s, in -> new BuiltinsOps.Add(in[0], in[1]), randn(rng, p[0]), randn(rng, p[1])));
      tests.add(check("sub " + s, in -> new BuiltinsOps.Sub(in[0], in[1]), randn(rng, p[0]), randn(rng, p[1])));
      tests.add(check("mult " + s, in -> new BuiltinsOps.Mult(in[0], in[1]), randn(rng, p[0]), randn(rng, p[1])));
      tests.add(check("div " + s, in -> new BuiltinsOps.Div(in[0], in[1]), randn(rng, p[0]), positive(rng, p[1])));
    }
    int[][] shapes = {{}, {4}, {2, 3}, {2, 2, 3}};
    for (int[] shape : shapes) {
      String s = java.util.Arrays.toString(shape);
      tests.add(check("neg " + s, in -> new BuiltinsOps.Neg(in[0]), randn(rng, shape)));
      tests.add(check("square " + s, in -> new BuiltinsOps.Square(in[0]), randn(rng, shape)));
      tests.add(check("exp " + s, in -> new BuiltinsOps.Exp(in[0]), randn(rng, shape)));
      tests.add(check("log " + s, in -> new BuiltinsOps.Log(in[0]), positive(rng, shape)));
      tests.add(check("tanh " + s, in -> new BuiltinsOps.Tanh(in[0]), randn(rng, shape)));
      tests.add(check("sigmoid " + s, in -> new BuiltinsOps.Sigmoid(in[0]), randn(rng, shape)));
      tests.add(check("relu " + s, in -> new BuiltinsOps.Relu(in[0]), positive(rng, shape).mul(randn(rng, shape).sign())));
      tests.add(check("sum " + s, in -> new BuiltinsOps.Sum(in[0]), randn(rng, shape)));
      tests.add(check("mean " + s, in -> new BuiltinsOps.Mean(in[0]), randn(rng, shape)));
      if (shape.length > 0) {
        tests.add(check("softmax " + s, in -> new BuiltinsOps.Softmax(in[0]), randn(rng, shape)));
        tests.add(check("logSoftmax " + s, in -> new BuiltinsOps.LogSoftmax(in[0]), randn(rng, shape)));
        tests.add(check("dot " + s, in -> new BuiltinsOps.Dot(in[0], in[1]), randn(rng, shape), randn(rng, shape)));
      }
      tests.add(check("mse " + s, in -> new BuiltinsOps.Mse(in[0], in[1]), randn(rng, shape), randn(rng, shape)));
    }
    tests.add(check("matmul [2,3]x[3,4]", in -> new BuiltinsOps.Matmul(in[0], in[1]), randn(rng, 2, 3), randn(rng, 3, 4)));
    tests.add(check("matmul [3]x[3,2]", in -> new BuiltinsOps.Matmul(in[0], in[1]), randn(rng, 3), randn(rng, 3, 2)));
    tests.add(check("matmul [5,2,3]x[3,4]", in -> new BuiltinsOps.Matmul(in[0], in[1]), randn(rng, 5, 2, 3), randn(rng, 3, 4)));
    int[] labels = {2, 0, 1, 2};
    tests.add(check("softmaxCrossEntropy", in -> new BuiltinsOps.SoftmaxCrossEntropy(in[0], labels), randn(rng, 4, 3)));
    tests.add(check("softmaxCrossEntropy large logits",
        in -> new BuiltinsOps.SoftmaxCrossEntropy(in[0], labels), randn(rng, 4, 3).mul(50.0)));
    int[] manyLabels = {9, 0, 3, 3, 7, 1, 5, 2, 8, 6, 4, 0, 9, 2, 2, 5};
    tests.add(check("softmaxCrossEntropy [16, 10]",
        in -> new BuiltinsOps.SoftmaxCrossEntropy(in[0], manyLabels), randn(rng, 16, 10).mul(3.0)));
    tests.add(check("softmaxCrossEntropy [1, 1]",
        in -> new BuiltinsOps.SoftmaxCrossEntropy(in[0], new int[] {0}), randn(rng, 1, 1)));
    return tests.stream();
  }

  /** The operators added for issue 13: composites (derived by the processor) and primitive wrappers. */
  @TestFactory
  Stream<DynamicTest> addedOperators() {
    Random rng = new Random(13);
    List<DynamicTest> tests = new ArrayList<>();
    for (int[] shape : new int[][] {{}, {5}, {2, 3}, {2, 2, 3}}) {
      String s = java.util.Arrays.toString(shape);
      tests.add(check("softplus " + s, in -> new BuiltinsOps.Softplus(in[0]), randn(rng, shape).mul(3.0)));
      tests.add(check("gelu " + s, in -> new BuiltinsOps.Gelu(in[0]), randn(rng, shape).mul(2.0)));
      tests.add(check("geluTanh " + s, in -> new BuiltinsOps.GeluTanh(in[0]), randn(rng, shape).mul(2.0)));
      tests.add(check("silu " + s, in -> new BuiltinsOps.Silu(in[0]), randn(rng, shape).mul(2.0)));
      tests.add(check("rsqrt " + s, in -> new BuiltinsOps.Rsqrt(in[0]), positive(rng, shape)));
      tests.add(check("clamp " + s, in -> new BuiltinsOps.Clamp(in[0], -0.5, 0.7), randn(rng, shape)));
      tests.add(check("sin " + s, in -> new BuiltinsOps.Sin(in[0]), randn(rng, shape)));
      tests.add(check("erf " + s, in -> new BuiltinsOps.Erf(in[0]), randn(rng, shape)));
      tests.add(check("pow " + s, in -> new BuiltinsOps.Pow(in[0], in[1]), positive(rng, shape), randn(rng, shape)));
      if (shape.length > 0) {
        int axis = -1 - rng.nextInt(shape.length);
        tests.add(check("logSumExp " + s, in -> new BuiltinsOps.LogSumExp(in[0], axis), randn(rng, shape).mul(3.0)));
        tests.add(check("variance " + s, in -> new BuiltinsOps.Variance(in[0], axis, 0), randn(rng, shape)));
        tests.add(check("std " + s, in -> new BuiltinsOps.Std(in[0], axis, 1), randn(rng, shape)));
        tests.add(check("take " + s, in -> new BuiltinsOps.Take(in[0], new int[] {0, 0, -1}, axis), randn(rng, shape)));
        tests.add(check("pad " + s, in -> new BuiltinsOps.Pad(in[0], axis, 1, 2), randn(rng, shape)));
        tests.add(check("flip " + s, in -> new BuiltinsOps.Flip(in[0], axis), randn(rng, shape)));
        tests.add(check("minAxis " + s, in -> new BuiltinsOps.MinAxis(in[0], axis), randn(rng, shape)));
      }
    }
    tests.add(check("logSumExp of large values", in -> new BuiltinsOps.LogSumExp(in[0], 0),
        Tensor.of(new double[] {1000, 999, 998}, F64, 3)));
    tests.add(check("where", in -> new BuiltinsOps.Where(in[0], Tensor.of(new double[] {1, 0, 1}, F64, 3), in[1]),
        randn(rng, 2, 3), randn(rng, 3)));
    return tests.stream();
  }

  @Test
  void softplusHasSigmoidAsItsDerivativeEverywhere() {
    Tensor x = Tensor.of(new double[] {-800, -1, 0, 1, 800}, F64, 5);
    BuiltinsOps.Softplus sp = new BuiltinsOps.Softplus(x);
    double[] g = sp.backward(Tensor.ones(F64, 5), Differentiable.all(1))[0].toDoubleArray();
    double[] want = {0, 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-1)), 1};
    for (int i = 0; i < 5; i++) {
      assertEquals(want[i], g[i], 1e-15, "softplus'(" + x.toDoubleArray()[i] + ")");
    }
    assertEquals(800, sp.output().toDoubleArray()[4], 0);
  }

  @Test
  void logSumExpGradientIsSoftmaxAndFiniteForInfiniteRows() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY}, F64, 2, 3);
    BuiltinsOps.LogSumExp lse = new BuiltinsOps.LogSumExp(x, 1);
    assertEquals(0, lse.output().toDoubleArray()[1], 0);
    double[] g = lse.backward(Tensor.ones(F64, 2), Differentiable.all(1))[0].toDoubleArray();
    double[] soft = Builtins.softmax(Tensor.of(new double[] {1, 2, 3}, F64, 3)).toDoubleArray();
    double[] want = {soft[0], soft[1], soft[2], 0, 1, 0};
    for (int i = 0; i < 6; i++) {
      assertEquals(want[i], g[i], 1e-15, "element " + i);
    }
  }

  @Test
  void valueUsedTwiceAccumulates() {
    BuiltinsOps.Mult m = new BuiltinsOps.Mult(Tensor.of(3.0, F64), Tensor.of(3.0, F64));
    Tensor[] g = m.backward(Tensor.of(1.0, F64), Differentiable.all(2));
    assertEquals(3.0, g[0].item(), 0);
    assertEquals(3.0, g[1].item(), 0);
  }

  @Test
  void softmaxCrossEntropyIsStableAndExact() {
    Tensor logits = Tensor.of(new double[] {1000, 0, -1000, 0, 0, 0}, F64, 2, 3);
    BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(logits, new int[] {0, 1});
    assertEquals(Math.log(3) / 2, ce.output().item(), 1e-12);
    Tensor g = ce.backward(Tensor.of(1.0, F64), Differentiable.all(1))[0];
    double third = 1.0 / 3;
    double[] expected = {0, 0, 0, third / 2, (third - 1) / 2, third / 2};
    double[] actual = g.toDoubleArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(expected[i], actual[i], 1e-12, "element " + i);
    }
  }

  @Test
  void stopGradientInSoftmaxGivesNoGradientThroughTheMax() {
    // softmax is shift-invariant: the gradient of sum(softmax(x)) is exactly zero.
    Tensor x = Tensor.of(new double[] {1, 2, 3}, F64, 3);
    Tensor g = new BuiltinsOps.Softmax(x).backward(Tensor.ones(F64, 3), Differentiable.all(1))[0];
    for (double v : g.toDoubleArray()) {
      assertEquals(0.0, v, 1e-12);
    }
  }
}
