package zkynet.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Checks a reverse-mode derivative against central finite differences, in float64.
 *
 * <p>Two checks run, both on a function {@code f} that maps the inputs to a {@link Differentiable}
 * (for example {@code in -> new MyOps.Foo(in[0], in[1])}, or any hand-written implementation):
 *
 * <ol>
 *   <li><b>Full Jacobian.</b> One {@code backward} call with a batched identity cotangent (shape
 *       {@code output.shape ++ output.shape}) gives the analytic Jacobian of every input ({@code
 *       output.shape ++ input.shape}); each column of the numerical Jacobian comes from {@code f} at
 *       {@code x + eps e_j} and {@code x - eps e_j}. Elements agree when {@code |analytic - numeric| <=
 *       atol + rtol * |numeric|}.
 *   <li><b>Random projection.</b> With a fixed seed, a random tangent {@code t} (one per input) and a
 *       random cotangent {@code c}: {@code <t, VJP(c)>} (one unbatched {@code backward(c)}) must equal
 *       {@code <JVP(t), c>}, the JVP taken by central differences along {@code t}. The unbatched VJP
 *       must also agree with the batched Jacobian contracted with {@code c}, and asking for one input's
 *       gradient alone ({@code needed} true for that input only) must give the same gradient for it.
 * </ol>
 *
 * <p>The inputs passed are exactly the differentiable inputs, in the order {@code backward} returns
 * their gradients; a {@code null} gradient means zero. A non-finite output at the point, a non-finite
 * derivative, or gradients of the wrong count or shape are reported as failures, never skipped.
 *
 * <pre>{@code
 * GradCheck.assertGradients(in -> new MulOp(in[0], in[1]), x, w);      // defaults
 * GradCheck.options().rtol(1e-4).seed(7).assertGradients(f, x, w);     // tuned
 * }</pre>
 */
public final class GradCheck {
  public static final double DEFAULT_EPS = 1e-6;
  public static final double DEFAULT_RTOL = 1e-5;
  public static final double DEFAULT_ATOL = 1e-6;
  public static final long DEFAULT_SEED = 42;

  private GradCheck() {}

  /** Default options (eps 1e-6, rtol 1e-5, atol 1e-6, seed 42), to adjust and then check with. */
  public static Options options() {
    return new Options(DEFAULT_EPS, DEFAULT_RTOL, DEFAULT_ATOL, DEFAULT_SEED);
  }

  /** Checks {@code f} at {@code inputs} with default options. */
  public static Report check(Function<Tensor[], Differentiable> f, Tensor... inputs) {
    return options().check(f, inputs);
  }

  /** Checks with default options and throws an {@link AssertionError} carrying the report on failure. */
  public static Report assertGradients(Function<Tensor[], Differentiable> f, Tensor... inputs) {
    return options().assertGradients(f, inputs);
  }

  // ================================================================ options

  /** Immutable settings; each setter returns a new {@code Options}. */
  public static final class Options {
    private final double eps;
    private final double rtol;
    private final double atol;
    private final long seed;

    private Options(double eps, double rtol, double atol, long seed) {
      if (!(eps > 0) || !(rtol >= 0) || !(atol >= 0)) {
        throw new IllegalArgumentException(
            "GradCheck needs eps > 0, rtol >= 0 and atol >= 0; got eps " + eps + ", rtol " + rtol
                + ", atol " + atol);
      }
      this.eps = eps;
      this.rtol = rtol;
      this.atol = atol;
      this.seed = seed;
    }

    /** Finite-difference step (default 1e-6). */
    public Options eps(double eps) {
      return new Options(eps, rtol, atol, seed);
    }

    /** Relative tolerance (default 1e-5). */
    public Options rtol(double rtol) {
      return new Options(eps, rtol, atol, seed);
    }

    /** Absolute tolerance (default 1e-6). */
    public Options atol(double atol) {
      return new Options(eps, rtol, atol, seed);
    }

    /** Seed of the random projection (default 42). */
    public Options seed(long seed) {
      return new Options(eps, rtol, atol, seed);
    }

    public double eps() {
      return eps;
    }

    public double rtol() {
      return rtol;
    }

    public double atol() {
      return atol;
    }

    public long seed() {
      return seed;
    }

    /** Runs both checks; see {@link GradCheck}. */
    public Report check(Function<Tensor[], Differentiable> f, Tensor... inputs) {
      return new Checker(this, f, inputs).run();
    }

    /** {@link #check}, throwing an {@link AssertionError} with the report's message on failure. */
    public Report assertGradients(Function<Tensor[], Differentiable> f, Tensor... inputs) {
      Report report = check(f, inputs);
      report.assertPassed();
      return report;
    }

    @Override
    public String toString() {
      return "eps " + eps + ", rtol " + rtol + ", atol " + atol + ", seed " + seed;
    }
  }

  // ================================================================ report

  /**
   * The Jacobian comparison of one input. {@code maxAbsError} and {@code maxRelError} are over all
   * elements of its Jacobian (relative to {@code |numeric|}); the worst element is the one furthest
   * outside (or least inside) the tolerance. Errors are NaN when the Jacobian could not be compared.
   */
  public record InputResult(
      int index,
      int[] shape,
      boolean passed,
      double maxAbsError,
      double maxRelError,
      int[] worstOutputIndex,
      int[] worstInputIndex,
      double analytic,
      double numeric,
      String message) {}

  /** The random-projection check: {@code <t, VJP(c)>} against {@code <JVP(t), c>}. */
  public record ProjectionResult(
      boolean passed, double vjpSide, double jvpSide, double tolerance, String message) {}

  /** The outcome of one check: per-input results, the projection check and a readable message. */
  public static final class Report {
    private final boolean passed;
    private final List<InputResult> inputs;
    private final ProjectionResult projection;
    private final String message;

    Report(boolean passed, List<InputResult> inputs, ProjectionResult projection, String message) {
      this.passed = passed;
      this.inputs = List.copyOf(inputs);
      this.projection = projection;
      this.message = message;
    }

    public boolean passed() {
      return passed;
    }

    /** One result per input (empty when the check stopped before comparing, e.g. non-finite output). */
    public List<InputResult> inputs() {
      return inputs;
    }

    /** The projection check, or null when the check stopped before it. */
    public ProjectionResult projection() {
      return projection;
    }

    /** Largest absolute Jacobian error over all inputs (NaN if none was compared). */
    public double maxAbsError() {
      return inputs.stream().mapToDouble(InputResult::maxAbsError).max().orElse(Double.NaN);
    }

    /** Multi-line: a summary line, then one line per input and one for the projection check. */
    public String message() {
      return message;
    }

    /** Throws an {@link AssertionError} with {@link #message()} unless the check passed. */
    public void assertPassed() {
      if (!passed) {
        throw new AssertionError(message);
      }
    }

    @Override
    public String toString() {
      return message;
    }
  }

  // ================================================================ the check

  private static final class Checker {
    private final Options o;
    private final Function<Tensor[], Differentiable> f;
    private final Tensor[] inputs;
    private final int[][] shapes;
    private final double[][] values;
    private int[] outShape;
    private int outSize;

    Checker(Options o, Function<Tensor[], Differentiable> f, Tensor[] inputs) {
      if (f == null) {
        throw new IllegalArgumentException("GradCheck needs a function; got null");
      }
      if (inputs == null || inputs.length == 0) {
        throw new IllegalArgumentException(
            "GradCheck needs at least one input: pass the differentiable inputs in the order"
                + " backward returns their gradients");
      }
      this.o = o;
      this.f = f;
      this.inputs = inputs.clone();
      this.shapes = new int[inputs.length][];
      this.values = new double[inputs.length][];
      for (int k = 0; k < inputs.length; k++) {
        Tensor x = inputs[k];
        if (x == null) {
          throw new IllegalArgumentException("GradCheck input " + k + " is null");
        }
        if (x.dtype() != DType.FLOAT64) {
          throw new IllegalArgumentException(
              "GradCheck needs float64 inputs (finite differences in float32 are too inexact), but input "
                  + k + " is " + x.dtype() + " with shape " + Arrays.toString(x.shape())
                  + "; convert it with .to(DType.FLOAT64)");
        }
        shapes[k] = x.shape();
        values[k] = x.toDoubleArray();
      }
    }

    Report run() {
      // ---- forward at the point
      Differentiable d = f.apply(inputs.clone());
      Tensor y = d == null ? null : d.output();
      if (y == null) {
        return stop("the function returned no output (null)");
      }
      outShape = y.shape();
      double[] yv = y.toDoubleArray();
      outSize = yv.length;
      if (y.dtype() != DType.FLOAT64) {
        return stop("the output is " + y.dtype() + ", not FLOAT64: every operation must stay in float64"
            + " for finite differences to be meaningful");
      }
      for (int i = 0; i < yv.length; i++) {
        if (!Double.isFinite(yv[i])) {
          return stop("the output is not finite at the given point: output" + index(outShape, i) + " = "
              + yv[i] + " (output shape " + Arrays.toString(outShape)
              + "); gradients cannot be checked where the function is not finite");
        }
      }

      // ---- analytic Jacobians: one backward pass with a batched identity cotangent
      double[] eye = new double[outSize * outSize];
      for (int i = 0; i < outSize; i++) {
        eye[i * outSize + i] = 1;
      }
      Tensor identity = Tensor.of(eye, DType.FLOAT64, concat(outShape, outShape));
      Tensor[] jac;
      try {
        jac = d.backward(identity, Differentiable.all(inputs.length));
      } catch (RuntimeException e) {
        return stop("backward(identity cotangent of shape " + Arrays.toString(identity.shape())
            + ") threw " + e + "; the derivative must accept cotangents with leading batch axes");
      }
      String problem = checkGradients(jac, true);
      if (problem != null) {
        return stop(problem);
      }

      // ---- numerical Jacobians and the comparison
      List<InputResult> results = new ArrayList<>();
      boolean allPassed = true;
      double[][] analytic = new double[inputs.length][];
      for (int k = 0; k < inputs.length; k++) {
        analytic[k] = jac[k] == null ? new double[outSize * values[k].length] : jac[k].toDoubleArray();
        InputResult r = compare(k, analytic[k], numericJacobian(k));
        results.add(r);
        allPassed &= r.passed();
      }

      // ---- random projection
      ProjectionResult projection = project(d, analytic);
      allPassed &= projection.passed();

      StringBuilder msg = new StringBuilder();
      msg.append(allPassed ? "gradient check passed" : "gradient check FAILED")
          .append(" (output shape ").append(Arrays.toString(outShape)).append(", ")
          .append(inputs.length).append(inputs.length == 1 ? " input; " : " inputs; ")
          .append(o).append(')');
      for (InputResult r : results) {
        msg.append('\n').append(r.message());
      }
      msg.append('\n').append(projection.message());
      return new Report(allPassed, results, projection, msg.toString());
    }

    private Report stop(String why) {
      return new Report(false, List.of(), null, "gradient check FAILED: " + why);
    }

    /** Null when {@code grads} has one gradient per input of shape (batch ++) input shape. */
    private String checkGradients(Tensor[] grads, boolean batched) {
      String call = batched
          ? "backward(identity cotangent of shape " + Arrays.toString(concat(outShape, outShape)) + ")"
          : "backward(cotangent of shape " + Arrays.toString(outShape) + ")";
      if (grads == null) {
        return call + " returned null instead of an array of gradients";
      }
      if (grads.length != inputs.length) {
        return call + " returned " + grads.length + " gradients but " + inputs.length
            + " inputs were given; pass exactly the differentiable inputs, in the order backward"
            + " returns their gradients";
      }
      for (int k = 0; k < grads.length; k++) {
        if (grads[k] == null) {
          continue;
        }
        int[] want = batched ? concat(outShape, shapes[k]) : shapes[k];
        if (!Arrays.equals(grads[k].shape(), want)) {
          return call + " returned a gradient of shape " + Arrays.toString(grads[k].shape())
              + " for input " + k + " (shape " + Arrays.toString(shapes[k]) + "), expected "
              + Arrays.toString(want) + (batched ? " (cotangent batch axes ++ input shape)" : "");
        }
      }
      return null;
    }

    /** Output values of f with input k replaced by {@code x}. */
    private double[] eval(int k, double[] x) {
      Tensor[] args = inputs.clone();
      args[k] = Tensor.of(x, DType.FLOAT64, shapes[k]);
      return output(args);
    }

    private double[] output(Tensor[] args) {
      double[] out = f.apply(args).output().toDoubleArray();
      if (out.length != outSize) {
        throw new IllegalStateException("the output size changed from " + outSize + " to " + out.length
            + " under a perturbation of the inputs; GradCheck needs a function with a fixed output shape");
      }
      return out;
    }

    /** Row-major [outSize x n_k]: column j from central differences along element j of input k. */
    private double[] numericJacobian(int k) {
      int n = values[k].length;
      double[] jac = new double[outSize * n];
      for (int j = 0; j < n; j++) {
        double[] x = values[k].clone();
        double plus = x[j] + o.eps;
        double minus = x[j] - o.eps;
        x[j] = plus;
        double[] yp = eval(k, x);
        x[j] = minus;
        double[] ym = eval(k, x);
        double h = plus - minus; // the step actually taken
        for (int i = 0; i < outSize; i++) {
          jac[i * n + j] = (yp[i] - ym[i]) / h;
        }
      }
      return jac;
    }

    private InputResult compare(int k, double[] analytic, double[] numeric) {
      int n = values[k].length;
      double maxAbs = 0;
      double maxRel = 0;
      double worstScore = -1;
      int worst = -1;
      boolean passed = true;
      for (int e = 0; e < analytic.length; e++) {
        double a = analytic[e];
        double num = numeric[e];
        double abs;
        double score;
        if (Double.isFinite(a) && Double.isFinite(num)) {
          abs = Math.abs(a - num);
          score = abs / (o.atol + o.rtol * Math.abs(num));
        } else {
          abs = Double.compare(a, num) == 0 && !Double.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
          score = abs == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        double rel = abs == 0 ? 0 : abs / Math.max(Math.abs(num), Double.MIN_NORMAL);
        maxAbs = Math.max(maxAbs, abs);
        maxRel = Math.max(maxRel, rel);
        if (score > 1) {
          passed = false;
        }
        if (score > worstScore) {
          worstScore = score;
          worst = e;
        }
      }
      String label = "input " + k + " (shape " + Arrays.toString(shapes[k]) + ")";
      if (worst < 0) {
        return new InputResult(k, shapes[k], true, 0, 0, null, null, Double.NaN, Double.NaN,
            "  ok   " + label + ": empty Jacobian");
      }
      int[] outIdx = unravel(outShape, worst / Math.max(n, 1));
      int[] inIdx = unravel(shapes[k], worst % Math.max(n, 1));
      double a = analytic[worst];
      double num = numeric[worst];
      String where = "d output" + index(outShape, worst / n) + " / d input " + k + index(shapes[k], worst % n);
      String text;
      if (passed) {
        text = String.format(Locale.ROOT, "  ok   %s: max abs error %.3g, max rel error %.3g (worst at %s:"
            + " analytic %s, numeric %s)", label, maxAbs, maxRel, where, a, num);
      } else if (!Double.isFinite(a) || !Double.isFinite(num)) {
        text = String.format(Locale.ROOT, "  FAIL %s: %s is not finite: analytic %s, numeric %s%s", label,
            where, a, num, Double.isFinite(num)
                ? " (the derivative rule gives a non-finite value where the function is smooth)"
                : " (the function is not finite or not smooth within eps of the point)");
      } else {
        text = String.format(Locale.ROOT, "  FAIL %s: %s: analytic %s but numeric %s (abs error %.3g,"
            + " rel error %.3g; tolerance atol %.3g + rtol %.3g * |numeric|); max abs error %.3g, max rel"
            + " error %.3g", label, where, a, num, Math.abs(a - num),
            Math.abs(a - num) / Math.max(Math.abs(num), Double.MIN_NORMAL), o.atol, o.rtol, maxAbs, maxRel);
      }
      return new InputResult(k, shapes[k], passed, maxAbs, maxRel, outIdx, inIdx, a, num, text);
    }

    private ProjectionResult project(Differentiable d, double[][] analytic) {
      Random rng = new Random(o.seed);
      double[][] t = new double[inputs.length][];
      for (int k = 0; k < inputs.length; k++) {
        t[k] = gaussian(rng, values[k].length);
      }
      double[] c = gaussian(rng, outSize);

      // <t, VJP(c)>: one unbatched backward pass
      Tensor[] vjp;
      try {
        vjp = d.backward(Tensor.of(c, DType.FLOAT64, outShape), Differentiable.all(inputs.length));
      } catch (RuntimeException e) {
        return new ProjectionResult(false, Double.NaN, Double.NaN, Double.NaN,
            "  FAIL projection: backward(cotangent of shape " + Arrays.toString(outShape) + ") threw " + e);
      }
      String problem = checkGradients(vjp, false);
      if (problem != null) {
        return new ProjectionResult(false, Double.NaN, Double.NaN, Double.NaN, "  FAIL projection: " + problem);
      }
      problem = onlyNeeded(d, Tensor.of(c, DType.FLOAT64, outShape), vjp);
      if (problem != null) {
        return new ProjectionResult(false, Double.NaN, Double.NaN, Double.NaN, "  FAIL projection: " + problem);
      }
      double lhs = 0;
      double lhsScale = 0;
      for (int k = 0; k < inputs.length; k++) {
        int n = values[k].length;
        double[] v = vjp[k] == null ? new double[n] : vjp[k].toDoubleArray();
        // the unbatched VJP must equal the batched Jacobian contracted with c
        for (int j = 0; j < n; j++) {
          double fromJacobian = 0;
          for (int i = 0; i < outSize; i++) {
            fromJacobian += c[i] * analytic[k][i * n + j];
          }
          double diff = Math.abs(v[j] - fromJacobian);
          boolean same = Double.isFinite(v[j]) && Double.isFinite(fromJacobian)
              ? diff <= o.atol + o.rtol * Math.abs(fromJacobian)
              : Double.compare(v[j], fromJacobian) == 0;
          if (!same) {
            return new ProjectionResult(false, Double.NaN, Double.NaN, Double.NaN, String.format(Locale.ROOT,
                "  FAIL projection: backward with one cotangent c gives %s for input %d%s, but the"
                    + " batched Jacobian contracted with c gives %s: the derivative does not handle"
                    + " leading batch axes of the cotangent consistently", v[j], k, index(shapes[k], j),
                fromJacobian));
          }
          lhs += t[k][j] * v[j];
          lhsScale += Math.abs(t[k][j] * v[j]);
        }
      }

      // <JVP(t), c>: central differences along t
      Tensor[] plus = new Tensor[inputs.length];
      Tensor[] minus = new Tensor[inputs.length];
      for (int k = 0; k < inputs.length; k++) {
        double[] p = values[k].clone();
        double[] m = values[k].clone();
        for (int j = 0; j < p.length; j++) {
          p[j] += o.eps * t[k][j];
          m[j] -= o.eps * t[k][j];
        }
        plus[k] = Tensor.of(p, DType.FLOAT64, shapes[k]);
        minus[k] = Tensor.of(m, DType.FLOAT64, shapes[k]);
      }
      double[] yp = output(plus);
      double[] ym = output(minus);
      double rhs = 0;
      double rhsScale = 0;
      for (int i = 0; i < outSize; i++) {
        double jvp = (yp[i] - ym[i]) / (2 * o.eps);
        rhs += jvp * c[i];
        rhsScale += Math.abs(jvp * c[i]);
      }
      double tol = o.atol + o.rtol * Math.max(lhsScale, rhsScale);
      String head = String.format(Locale.ROOT, "projection (seed %d): <t, VJP(c)> = %s, <JVP(t), c> = %s",
          o.seed, lhs, rhs);
      if (!Double.isFinite(lhs) || !Double.isFinite(rhs)) {
        return new ProjectionResult(false, lhs, rhs, tol, "  FAIL " + head + ": not finite");
      }
      boolean ok = Math.abs(lhs - rhs) <= tol;
      return new ProjectionResult(ok, lhs, rhs, tol, String.format(Locale.ROOT, "  %s %s (difference %.3g, tolerance %.3g)",
          ok ? "ok  " : "FAIL", head, Math.abs(lhs - rhs), tol));
    }

    /**
     * Asking for one input's gradient alone must give what asking for all gave for it: the derivative
     * may skip the work of inputs that are not needed, never change the others. Null when it holds.
     */
    private String onlyNeeded(Differentiable d, Tensor cotangent, Tensor[] all) {
      if (all.length < 2) {
        return null;
      }
      for (int k = 0; k < all.length; k++) {
        boolean[] only = new boolean[all.length];
        only[k] = true;
        Tensor[] got;
        try {
          got = d.backward(cotangent, only);
        } catch (RuntimeException e) {
          return "backward(c, only input " + k + " needed) threw " + e;
        }
        if (got == null || got.length != all.length) {
          return "backward(c, only input " + k + " needed) returned " + (got == null ? "null" : got.length
              + " gradients") + " instead of " + all.length;
        }
        double[] want = all[k] == null ? new double[values[k].length] : all[k].toDoubleArray();
        double[] have = got[k] == null ? new double[values[k].length] : got[k].toDoubleArray();
        for (int j = 0; j < want.length; j++) {
          boolean same = Double.isFinite(want[j]) && Double.isFinite(have[j])
              ? Math.abs(have[j] - want[j]) <= o.atol + o.rtol * Math.abs(want[j])
              : Double.compare(have[j], want[j]) == 0;
          if (!same) {
            return String.format(Locale.ROOT, "backward(c, only input %d needed) gives %s for input %d%s, but"
                + " backward(c, all needed) gives %s: skipping the other inputs changed this gradient", k,
                have[j], k, index(shapes[k], j), want[j]);
          }
        }
      }
      return null;
    }
  }

  // ================================================================ small helpers

  private static double[] gaussian(Random rng, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextGaussian();
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The multi-index of row-major position {@code flat} in {@code shape}. */
  private static int[] unravel(int[] shape, int flat) {
    int[] idx = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      idx[a] = shape[a] == 0 ? 0 : flat % shape[a];
      flat = shape[a] == 0 ? 0 : flat / shape[a];
    }
    return idx;
  }

  /** {@code "[i, j]"} for a position in {@code shape}; empty for a scalar. */
  private static String index(int[] shape, int flat) {
    return shape.length == 0 ? "" : Arrays.toString(unravel(shape, flat));
  }
}
