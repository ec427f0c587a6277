package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** {@link GradCheck}: passes correct derivatives, and names the input and element of wrong ones. */
class GradCheckTest {
  private static final DType F64 = DType.FLOAT64;

  /** A Differentiable from a forward value and a backward function. */
  private static Differentiable op(Tensor y, Function<Tensor, Tensor[]> backward) {
    return new Differentiable() {
      @Override
      public Tensor output() {
        return y;
      }

      @Override
      public Tensor[] backward(Tensor g, boolean[] needed) {
        return backward.apply(g);
      }
    };
  }

  /**
   * The seed's example {@code f(x, w) = (x + w) * x^2}, composed from the rules the way generated code
   * is: forward statements, then one accumulate per (rule, input) in reverse order.
   */
  static Differentiable seedExample(Tensor x, Tensor w) {
    Tensor a = x.add(w);
    Tensor b = x.pow(2);
    Tensor y = a.mul(b);
    return op(y, g -> {
      int batch = g.rank() - y.rank();
      Tensor gA = Grad.accumulate(null, Rules.mulWrtSelf(g, y, a, b), a, batch);
      Tensor gB = Grad.accumulate(null, Rules.mulWrtOther(g, y, a, b), b, batch);
      Tensor gX = Grad.accumulate(null, Rules.powWrtSelf(gB, b, x, 2), x, batch);
      gX = Grad.accumulate(gX, Rules.addWrtSelf(gA, a, x, w), x, batch);
      Tensor gW = Grad.accumulate(null, Rules.addWrtOther(gA, a, x, w), w, batch);
      return new Tensor[] {gX, gW};
    });
  }

  @Test
  void theSeedExampleHasTheDocumentedGradients() {
    Tensor x = Tensor.of(3, F64);
    Tensor w = Tensor.of(1, F64);
    Differentiable d = seedExample(x, w);
    assertEquals(36, d.output().item(), 0);
    Tensor[] g = d.backward(Tensor.of(1, F64), Differentiable.all(2));
    assertEquals(33, g[0].item(), 1e-12);
    assertEquals(9, g[1].item(), 1e-12);

    Tensor xs = Tensor.of(new double[] {3, 4, 5}, F64, 3);
    Differentiable v = seedExample(xs, w);
    assertArrayEquals(new double[] {36, 80, 150}, v.output().toDoubleArray(), 0);
    Tensor[] jac = v.backward(Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, F64, 3, 3), Differentiable.all(2));
    assertArrayEquals(new double[] {33, 0, 0, 0, 56, 0, 0, 0, 85}, jac[0].toDoubleArray(), 1e-12);
    assertArrayEquals(new int[] {3}, jac[1].shape());
    assertArrayEquals(new double[] {9, 16, 25}, jac[1].toDoubleArray(), 1e-12);
  }

  @Test
  void correctDerivativesPass() {
    GradCheck.Report report = GradCheck.assertGradients(in -> seedExample(in[0], in[1]),
        Tensor.of(new double[] {3, -4, 0.5}, F64, 3), Tensor.of(1, F64));
    assertTrue(report.passed(), report.message());
    assertEquals(2, report.inputs().size());
    assertTrue(report.maxAbsError() < 1e-6, report.message());
    assertTrue(report.projection().passed(), report.message());
    assertTrue(report.message().startsWith("gradient check passed"), report.message());
  }

  @Test
  void float32InputsAreRejectedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.check(in -> seedExample(in[0], in[1]), Tensor.of(3, F64), Tensor.of(1.0)));
    assertTrue(e.getMessage().contains("input 1") && e.getMessage().contains(".to(DType.FLOAT64)"), e.getMessage());
  }

  /** y = x * w elementwise, with a deliberately wrong derivative for w (twice too large at element 2). */
  private static Differentiable wrongForW(Tensor x, Tensor w) {
    Tensor y = x.mul(w);
    return op(y, g -> new Tensor[] {g.mul(w), g.mul(x).mul(Tensor.of(new double[] {1, 1, 2}, F64, 3))});
  }

  @Test
  void aWrongDerivativeIsReportedWithInputElementAndValues() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}, F64, 3);
    Tensor w = Tensor.of(new double[] {4, 5, 6}, F64, 3);
    GradCheck.Report report = GradCheck.check(in -> wrongForW(in[0], in[1]), x, w);
    assertFalse(report.passed());
    assertTrue(report.inputs().get(0).passed(), report.message());
    GradCheck.InputResult bad = report.inputs().get(1);
    assertFalse(bad.passed());
    assertArrayEquals(new int[] {2}, bad.worstOutputIndex());
    assertArrayEquals(new int[] {2}, bad.worstInputIndex());
    assertEquals(6, bad.analytic(), 1e-9);
    assertEquals(3, bad.numeric(), 1e-6);
    assertEquals(3, bad.maxAbsError(), 1e-6);
    String m = report.message();
    assertTrue(m.contains("FAIL input 1") && m.contains("d output[2] / d input 1[2]") && m.contains("analytic 6.0 but numeric 2.99999"), m);
    assertFalse(report.projection().passed(), m);
    AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.assertGradients(in -> wrongForW(in[0], in[1]), x, w));
    assertEquals(m, e.getMessage());
  }

  @Test
  void aDerivativeThatIgnoresBatchAxesIsCaught() {
    // y = x @ A (A not symmetric); the derivative is right for one cotangent, wrong for a batch of them
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, F64, 2, 2);
    Function<Tensor[], Differentiable> f = in -> op(in[0].matmul(a),
        g -> new Tensor[] {g.rank() == 1 ? g.matmul(a.transpose()) : g.matmul(a)});
    GradCheck.Report report = GradCheck.check(f, Tensor.of(new double[] {1, -1}, F64, 2));
    assertFalse(report.passed(), report.message());
    assertFalse(report.inputs().get(0).passed(), report.message());

    // ... and right for a batch but wrong for a single cotangent: caught by the projection check
    Function<Tensor[], Differentiable> h = in -> op(in[0].matmul(a),
        g -> new Tensor[] {g.rank() == 1 ? g.matmul(a) : g.matmul(a.transpose())});
    GradCheck.Report r2 = GradCheck.check(h, Tensor.of(new double[] {1, -1}, F64, 2));
    assertFalse(r2.passed(), r2.message());
    assertTrue(r2.inputs().get(0).passed(), r2.message());
    assertFalse(r2.projection().passed());
    assertTrue(r2.message().contains("batch"), r2.message());
  }

  @Test
  void aBackwardThatThrowsOnBatchedCotangentsIsReported() {
    Function<Tensor[], Differentiable> f = in -> op(in[0].mul(3.0), g -> new Tensor[] {g.reshape(3).mul(3.0)});
    GradCheck.Report report = GradCheck.check(f, Tensor.of(new double[] {1, 2, 3}, F64, 3));
    assertFalse(report.passed());
    assertTrue(report.message().contains("threw"), report.message());
  }

  @Test
  void anUnusedInputGetsAZeroGradientAndPasses() {
    Function<Tensor[], Differentiable> f = in -> op(in[0].mul(2.0), g -> new Tensor[] {g.mul(2.0), null});
    GradCheck.Report report = GradCheck.assertGradients(f, Tensor.of(new double[] {1, 2}, F64, 2), Tensor.of(new double[] {5, 6, 7}, F64, 3));
    assertEquals(0, report.inputs().get(1).maxAbsError());
    // a missing gradient for an input that is used is a failure
    Function<Tensor[], Differentiable> g = in -> op(in[0].mul(in[1]), c -> new Tensor[] {c.mul(in[1]), null});
    assertFalse(GradCheck.check(g, Tensor.of(new double[] {1, 2}, F64, 2), Tensor.of(new double[] {5, 6}, F64, 2)).passed());
  }

  @Test
  void nonFiniteValuesAreReportedNeverPassed() {
    // the output itself is NaN at the point
    Function<Tensor[], Differentiable> log = in -> {
      Tensor y = in[0].log();
      return op(y, g -> new Tensor[] {Rules.logWrtSelf(g, y, in[0])});
    };
    GradCheck.Report r = GradCheck.check(log, Tensor.of(new double[] {1, -1}, F64, 2));
    assertFalse(r.passed());
    assertTrue(r.message().contains("not finite at the given point") && r.message().contains("output[1] = NaN"), r.message());
    assertThrows(AssertionError.class, () -> GradCheck.assertGradients(log, Tensor.of(-2, F64)));

    // the output is finite but the derivative is not (sqrt at 0)
    Function<Tensor[], Differentiable> sqrt = in -> {
      Tensor y = in[0].sqrt();
      return op(y, g -> new Tensor[] {Rules.sqrtWrtSelf(g, y, in[0])});
    };
    GradCheck.Report s = GradCheck.check(sqrt, Tensor.of(0, F64));
    assertFalse(s.passed());
    assertTrue(s.message().contains("not finite") && s.message().contains("Infinity"), s.message());
  }

  @Test
  void wrongCountsAndShapesAreReported() {
    Tensor x = Tensor.of(new double[] {1, 2}, F64, 2);
    GradCheck.Report count = GradCheck.check(in -> op(in[0].mul(in[1]), g -> new Tensor[] {g}), x, x);
    assertFalse(count.passed());
    assertTrue(count.message().contains("returned 1 gradients but 2 inputs"), count.message());
    GradCheck.Report shape = GradCheck.check(in -> op(in[0].sum(), g -> new Tensor[] {g}), x);
    assertFalse(shape.passed());
    assertTrue(shape.message().contains("expected [2]"), shape.message());
  }

  @Test
  void rankZeroAndScalarOutputsWork() {
    GradCheck.assertGradients(in -> seedExample(in[0], in[1]), Tensor.of(3, F64), Tensor.of(1, F64));
    Function<Tensor[], Differentiable> sum = in -> {
      Tensor y = in[0].sum();
      return op(y, g -> new Tensor[] {Grad.accumulate(null, Rules.sumWrtSelf(g, y, in[0]), in[0], g.rank() - y.rank())});
    };
    GradCheck.assertGradients(sum, Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, F64, 2, 3));
  }

  @Test
  void theSeedIsFixedAndConfigurable() {
    Function<Tensor[], Differentiable> f = in -> seedExample(in[0], in[1]);
    Tensor x = Tensor.of(new double[] {3, -4, 0.5}, F64, 3);
    Tensor w = Tensor.of(1, F64);
    double first = GradCheck.check(f, x, w).projection().vjpSide();
    assertEquals(first, GradCheck.check(f, x, w).projection().vjpSide(), 0);
    assertEquals(first, GradCheck.options().seed(42).check(f, x, w).projection().vjpSide(), 0);
    GradCheck.Report other = GradCheck.options().seed(7).check(f, x, w);
    assertTrue(other.passed(), other.message());
    assertNotEquals(first, other.projection().vjpSide());
    assertTrue(other.message().contains("seed 7"), other.message());
  }

  @Test
  void optionsAreValidatedAndShown() {
    GradCheck.Options o = GradCheck.options().eps(1e-5).rtol(1e-4).atol(1e-7).seed(3);
    assertEquals(1e-5, o.eps());
    assertEquals(1e-4, o.rtol());
    assertEquals(1e-7, o.atol());
    assertEquals(3, o.seed());
    assertEquals(GradCheck.DEFAULT_EPS, GradCheck.options().eps());
    assertThrows(IllegalArgumentException.class, () -> GradCheck.options().eps(0));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.options().rtol(-1));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in -> null));
  }
}
