package zkynet.autodiff;

import java.util.Arrays;
import zkynet.Tensor;

/**
 * The derivative rules of the {@link Primitive} methods of {@link Tensor}: one small named method per
 * (primitive, differentiable input), each a vector-Jacobian product with a one-line comment giving the
 * math. The annotation processor composes these rules; it never hard-codes calculus of its own.
 *
 * <p>Convention (see {@link Vjp}): {@code static Tensor name(Tensor g, Tensor y, Tensor self, <the
 * primitive's parameters>)}. {@code y} is the primitive's output and {@code g} its cotangent, shaped
 * {@code batch ++ y.shape()} with any number of leading batch axes. A rule returns a contribution
 * shaped {@code batch ++ s}, where {@code s} broadcasts to the input's shape; {@link Grad#accumulate}
 * sums broadcast axes away, centrally, so no rule does it. A rule never returns {@code null}, except
 * the rules marked {@link Vjp#noGradient()} (stopGradient), which always do. Elementwise rules rely on right-aligned broadcasting of {@code g} against input-shaped
 * factors; rules that name axes (reductions, shape operations, matmul) shift them by the batch rank.
 *
 * <p>Semantics follow JAX: ties of {@code maximum}/{@code minimum} give half to each side, {@code max}
 * splits the gradient equally among tied maxima, {@code relu'(0) = abs'(0) = 0}, {@code sqrt'(0) = inf}.
 */
public final class Rules {
  private Rules() {}

  /** Tells {@link RuleProbe} that {@code rule} runs. */
  private static void observe(String rule) {
    RuleProbe.ran(rule);
  }

  // ============================================================ elementwise (broadcasting)

  // d(-x)/dx = -1
  @Vjp(op = "neg", wrt = "self")
  public static Tensor negWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("negWrtSelf");
    return linear(g, -1);
  }

  // d(a+b)/da = 1
  @Vjp(op = "add", wrt = "self")
  public static Tensor addWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("addWrtSelf");
    return g;
  }

  // d(a+b)/db = 1
  @Vjp(op = "add", wrt = "other")
  public static Tensor addWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("addWrtOther");
    return g;
  }

  // d(x+c)/dx = 1
  @Vjp(op = "add", wrt = "self")
  public static Tensor addScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("addScalarWrtSelf");
    return g;
  }

  // d(a-b)/da = 1
  @Vjp(op = "sub", wrt = "self")
  public static Tensor subWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("subWrtSelf");
    return g;
  }

  // d(a-b)/db = -1
  @Vjp(op = "sub", wrt = "other")
  public static Tensor subWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("subWrtOther");
    return linear(g, -1);
  }

  // d(x-c)/dx = 1
  @Vjp(op = "sub", wrt = "self")
  public static Tensor subScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("subScalarWrtSelf");
    return g;
  }

  // d(c-x)/dx = -1
  @Vjp(op = "rsub", wrt = "self")
  public static Tensor rsubWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("rsubWrtSelf");
    return linear(g, -1);
  }

  // d(a*b)/da = b
  @Vjp(op = "mul", wrt = "self")
  public static Tensor mulWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("mulWrtSelf");
    return self == other ? SquareFactor.of(g, self) : elementwise(g, other);
  }

  // d(a*b)/db = a
  @Vjp(op = "mul", wrt = "other")
  public static Tensor mulWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("mulWrtOther");
    return self == other ? SquareFactor.of(g, self) : elementwise(g, self);
  }

  // d(x*c)/dx = c
  @Vjp(op = "mul", wrt = "self")
  public static Tensor mulScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("mulScalarWrtSelf");
    return linear(g, other);
  }

  // d(a/b)/da = 1/b
  @Vjp(op = "div", wrt = "self")
  public static Tensor divWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("divWrtSelf");
    return g.div(other);
  }

  // d(a/b)/db = -a/b^2 = -y/b
  @Vjp(op = "div", wrt = "other")
  public static Tensor divWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("divWrtOther");
    return elementwise(g, y.div(other).neg());
  }

  // d(x/c)/dx = 1/c
  @Vjp(op = "div", wrt = "self")
  public static Tensor divScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("divScalarWrtSelf");
    return g.div(other);
  }

  // d(c/x)/dx = -c/x^2 = -y/x
  @Vjp(op = "rdiv", wrt = "self")
  public static Tensor rdivWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("rdivWrtSelf");
    return elementwise(g, y.div(self).neg());
  }

  // d(x^c)/dx = c * x^(c-1)   (0 for c = 0, as in JAX)
  @Vjp(op = "pow", wrt = "self")
  public static Tensor powWrtSelf(Tensor g, Tensor y, Tensor self, double exponent) {
    observe("powWrtSelf");
    if (exponent == 0) {
      return linear(g, 0); // x^0 = 1 is constant: zeros (rules return null only when marked noGradient)
    }
    return elementwise(g, self.pow(exponent - 1).mul(exponent));
  }

  // d(e^x)/dx = e^x = y
  @Vjp(op = "exp", wrt = "self")
  public static Tensor expWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("expWrtSelf");
    return elementwise(g, y);
  }

  // d(log x)/dx = 1/x
  @Vjp(op = "log", wrt = "self")
  public static Tensor logWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("logWrtSelf");
    return g.div(self);
  }

  // d(sqrt x)/dx = 1/(2 sqrt x) = 0.5/y   (inf at 0, as in JAX)
  @Vjp(op = "sqrt", wrt = "self")
  public static Tensor sqrtWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("sqrtWrtSelf");
    return elementwise(g, y.rdiv(0.5));
  }

  // d(tanh x)/dx = 1 - tanh^2 x = 1 - y^2
  @Vjp(op = "tanh", wrt = "self")
  public static Tensor tanhWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("tanhWrtSelf");
    return g.mulTanhSlope(y); // g * (1 - y*y) in one pass
  }

  // d(sigmoid x)/dx = sigmoid x (1 - sigmoid x) = y (1 - y)
  @Vjp(op = "sigmoid", wrt = "self")
  public static Tensor sigmoidWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("sigmoidWrtSelf");
    return g.mulSigmoidSlope(y); // g * (y * (1 - y)) in one pass
  }

  // d(relu x)/dx = [x > 0]   (0 at x = 0, as in JAX)
  @Vjp(op = "relu", wrt = "self")
  public static Tensor reluWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("reluWrtSelf");
    return elementwise(g, self.gt(0));
  }

  // d|x|/dx = sign(x)   (0 at x = 0, as in JAX)
  @Vjp(op = "abs", wrt = "self")
  public static Tensor absWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("absWrtSelf");
    return elementwise(g, self.sign());
  }

  // d max(a,b)/da = [a > b] + 1/2 [a = b]
  @Vjp(op = "maximum", wrt = "self")
  public static Tensor maximumWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("maximumWrtSelf");
    return elementwise(g, winnerMask(self, other));
  }

  // d max(a,b)/db = [b > a] + 1/2 [a = b]
  @Vjp(op = "maximum", wrt = "other")
  public static Tensor maximumWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("maximumWrtOther");
    return elementwise(g, winnerMask(other, self));
  }

  // d min(a,b)/da = [a < b] + 1/2 [a = b]
  @Vjp(op = "minimum", wrt = "self")
  public static Tensor minimumWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("minimumWrtSelf");
    return elementwise(g, winnerMask(other, self));
  }

  // d min(a,b)/db = [b < a] + 1/2 [a = b]
  @Vjp(op = "minimum", wrt = "other")
  public static Tensor minimumWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("minimumWrtOther");
    return elementwise(g, winnerMask(self, other));
  }

  // d where(m, a, b)/da = [m != 0]
  @Vjp(op = "where", wrt = "self")
  public static Tensor whereWrtSelf(Tensor g, Tensor y, Tensor self, Tensor mask, Tensor other) {
    observe("whereWrtSelf");
    return g.where(mask, Tensor.zeros(g.dtype()));
  }

  // d where(m, a, b)/db = [m = 0]
  @Vjp(op = "where", wrt = "other")
  public static Tensor whereWrtOther(Tensor g, Tensor y, Tensor self, Tensor mask, Tensor other) {
    observe("whereWrtOther");
    return Tensor.zeros(g.dtype()).where(mask, g);
  }

  // d stopGradient(x)/dx = 0: no gradient flows
  @Vjp(op = "stopGradient", wrt = "self", noGradient = true)
  public static Tensor stopGradientWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("stopGradientWrtSelf");
    return null;
  }

  // ============================================================ reductions

  // d(sum_i x_i)/dx_j = 1   (g broadcast back over all axes)
  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("sumWrtSelf");
    return g;
  }

  // d(sum_axes x)/dx = 1   (g with the reduced axes re-inserted, broadcast back)
  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    observe("sumAxesWrtSelf");
    return unreduce(g, y, self, axes, keepDims);
  }

  // d(mean x)/dx_j = 1/n
  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("meanWrtSelf");
    return g.div((double) self.size());
  }

  // d(mean_axes x)/dx = 1/n, n = number of elements reduced into each output
  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    observe("meanAxesWrtSelf");
    long n = 1;
    for (int axis : normalizeAxes(axes, self.rank())) {
      n *= self.shape(axis);
    }
    return unreduce(g, y, self, axes, keepDims).div((double) n);
  }

  // d(max x)/dx_j = [x_j = max x] / #{i : x_i = max x}   (ties split equally, as in JAX)
  @Vjp(op = "max", wrt = "self")
  public static Tensor maxWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("maxWrtSelf");
    Tensor isMax = self.eq(y);
    int[] allAxes = new int[self.rank()];
    Arrays.setAll(allAxes, i -> i);
    return elementwise(unreduce(g, y, self, allAxes, false), isMax.div(isMax.sum()));
  }

  // d(max_axes x)/dx = [x = max] / (number of ties in each reduced group)
  @Vjp(op = "max", wrt = "self")
  public static Tensor maxAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    observe("maxAxesWrtSelf");
    int[] kept = keptShape(self.shape(), normalizeAxes(axes, self.rank()));
    Tensor isMax = self.eq(keepDims ? y : y.reshape(kept));
    Tensor share = isMax.div(isMax.sum(axes, true));
    return elementwise(unreduce(g, y, self, axes, keepDims), share);
  }

  // ============================================================ shape operations

  // reshape is linear: dx = g reshaped back to x's shape
  @Vjp(op = "reshape", wrt = "self")
  public static Tensor reshapeWrtSelf(Tensor g, Tensor y, Tensor self, int... shape) {
    observe("reshapeWrtSelf");
    return g.reshape(withBatch(g, y, self.shape()));
  }

  // transpose swaps the last two axes: dx = g with its last two axes swapped back
  @Vjp(op = "transpose", wrt = "self")
  public static Tensor transposeWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("transposeWrtSelf");
    return self.rank() < 2 ? g : g.transpose();
  }

  // permute(p): dx = g permuted by the inverse of p (batch axes stay in front)
  @Vjp(op = "permute", wrt = "self")
  public static Tensor permuteWrtSelf(Tensor g, Tensor y, Tensor self, int... axes) {
    observe("permuteWrtSelf");
    int batch = Grad.batchRank(g, y);
    int rank = self.rank();
    int[] inverse = new int[batch + rank];
    for (int b = 0; b < batch; b++) {
      inverse[b] = b;
    }
    for (int i = 0; i < rank; i++) {
      inverse[batch + Math.floorMod(axes[i], rank)] = batch + i;
    }
    return g.permute(inverse);
  }

  // broadcastTo is a copy per broadcast axis: dx = sum of g over them (done by Grad.accumulate)
  @Vjp(op = "broadcastTo", wrt = "self")
  public static Tensor broadcastToWrtSelf(Tensor g, Tensor y, Tensor self, int... shape) {
    observe("broadcastToWrtSelf");
    return g;
  }

  // slice selects elements: dx = g placed at [start, end) along the axis, zeros elsewhere
  @Vjp(op = "slice", wrt = "self")
  public static Tensor sliceWrtSelf(Tensor g, Tensor y, Tensor self, int axis, int start, int end) {
    observe("sliceWrtSelf");
    int batch = Grad.batchRank(g, y);
    int ax = Math.floorMod(axis, self.rank());
    int size = self.shape(ax);
    int before = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
    int after = size - before - y.shape(ax);
    Tensor out = g;
    if (before > 0) {
      out = zerosAlong(g, batch + ax, before).concat(out, batch + ax);
    }
    if (after > 0) {
      out = out.concat(zerosAlong(g, batch + ax, after), batch + ax);
    }
    return out;
  }

  // concat(a, b): da = the first a.shape[axis] entries of g along the axis
  @Vjp(op = "concat", wrt = "self")
  public static Tensor concatWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other, int axis) {
    observe("concatWrtSelf");
    int batch = Grad.batchRank(g, y);
    int ax = Math.floorMod(axis, self.rank());
    return g.slice(batch + ax, 0, self.shape(ax));
  }

  // concat(a, b): db = the last b.shape[axis] entries of g along the axis
  @Vjp(op = "concat", wrt = "other")
  public static Tensor concatWrtOther(Tensor g, Tensor y, Tensor self, Tensor other, int axis) {
    observe("concatWrtOther");
    int batch = Grad.batchRank(g, y);
    int ax = Math.floorMod(axis, self.rank());
    int first = self.shape(ax);
    return g.slice(batch + ax, first, first + other.shape(ax));
  }

  // ============================================================ matmul (bilinear)

  // d(A@B)/dA = g @ B^T   (vectors promoted to matrices as in numpy, batch axes broadcast)
  @Vjp(op = "matmul", wrt = "self")
  public static Tensor matmulWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("matmulWrtSelf");
    Tensor g2 = matmulCotangent(g, y, self, other);
    Tensor d = g2.matmul(asMatrix(other, false).transpose());
    return self.rank() == 1 ? dropAxis(d, d.rank() - 2) : d;
  }

  // d(A@B)/dB = A^T @ g   (vectors promoted to matrices as in numpy, batch axes broadcast)
  @Vjp(op = "matmul", wrt = "other")
  public static Tensor matmulWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    observe("matmulWrtOther");
    Tensor g2 = matmulCotangent(g, y, self, other);
    Tensor d = asMatrix(self, true).transpose().matmul(g2);
    return other.rank() == 1 ? dropAxis(d, d.rank() - 1) : d;
  }

  // ============================================================ more elementwise functions

  // d(sin x)/dx = cos x
  @Vjp(op = "sin", wrt = "self")
  public static Tensor sinWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("sinWrtSelf");
    return elementwise(g, self.cos());
  }

  // d(cos x)/dx = -sin x
  @Vjp(op = "cos", wrt = "self")
  public static Tensor cosWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("cosWrtSelf");
    return elementwise(g, self.sin().neg());
  }

  // d log(1+x)/dx = 1/(1+x)
  @Vjp(op = "log1p", wrt = "self")
  public static Tensor log1pWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("log1pWrtSelf");
    return g.div(self.add(1));
  }

  // d(e^x - 1)/dx = e^x = y + 1
  @Vjp(op = "expm1", wrt = "self")
  public static Tensor expm1WrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("expm1WrtSelf");
    return elementwise(g, y.add(1));
  }

  // d erf(x)/dx = 2/sqrt(pi) e^(-x^2)
  @Vjp(op = "erf", wrt = "self")
  public static Tensor erfWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("erfWrtSelf");
    return elementwise(g, self.mul(self).neg().exp().mul(2 / Math.sqrt(Math.PI)));
  }

  // d(a^b)/da = b a^(b-1)   (0 where b = 0, as in JAX)
  @Vjp(op = "pow", wrt = "self")
  public static Tensor powTensorWrtSelf(Tensor g, Tensor y, Tensor self, Tensor exponent) {
    observe("powTensorWrtSelf");
    Tensor local = exponent.mul(self.pow(exponent.sub(1)));
    return elementwise(g, local.where(exponent, Tensor.zeros(local.dtype())));
  }

  // d(a^b)/db = a^b log a = y log a   (0 where a = 0, as in JAX)
  @Vjp(op = "pow", wrt = "exponent")
  public static Tensor powTensorWrtExponent(Tensor g, Tensor y, Tensor self, Tensor exponent) {
    observe("powTensorWrtExponent");
    Tensor safeLog = self.where(self, Tensor.ones(self.dtype())).log();
    return elementwise(g, y.mul(safeLog));
  }

  // d max(x,c)/dx = [x > c] + 1/2 [x = c]
  @Vjp(op = "maximum", wrt = "self")
  public static Tensor maximumScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("maximumScalarWrtSelf");
    return elementwise(g, self.gt(other).add(self.ge(other)).mul(0.5));
  }

  // d min(x,c)/dx = [x < c] + 1/2 [x = c]
  @Vjp(op = "minimum", wrt = "self")
  public static Tensor minimumScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    observe("minimumScalarWrtSelf");
    return elementwise(g, self.lt(other).add(self.le(other)).mul(0.5));
  }

  // ============================================================ more reductions

  // d(sum_axis x)/dx = 1   (g with the axis re-inserted, broadcast back)
  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    observe("sumAxisWrtSelf");
    return unreduce(g, y, self, new int[] {axis}, false);
  }

  // d(mean_axis x)/dx = 1/n, n = the axis's size
  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    observe("meanAxisWrtSelf");
    return unreduce(g, y, self, new int[] {axis}, false).div((double) self.shape(axis));
  }

  // d(max_axis x)/dx = [x = max] / (number of ties along the axis)
  @Vjp(op = "max", wrt = "self")
  public static Tensor maxAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    observe("maxAxisWrtSelf");
    return tiedShare(g, y, self, new int[] {axis}, false);
  }

  // d(min x)/dx_j = [x_j = min x] / #{i : x_i = min x}   (ties split equally, as in JAX)
  @Vjp(op = "min", wrt = "self")
  public static Tensor minWrtSelf(Tensor g, Tensor y, Tensor self) {
    observe("minWrtSelf");
    int[] allAxes = new int[self.rank()];
    Arrays.setAll(allAxes, i -> i);
    return tiedShare(g, y, self, allAxes, false);
  }

  // d(min_axes x)/dx = [x = min] / (number of ties in each reduced group)
  @Vjp(op = "min", wrt = "self")
  public static Tensor minAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    observe("minAxesWrtSelf");
    return tiedShare(g, y, self, axes, keepDims);
  }

  // d(min_axis x)/dx = [x = min] / (number of ties along the axis)
  @Vjp(op = "min", wrt = "self")
  public static Tensor minAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    observe("minAxisWrtSelf");
    return tiedShare(g, y, self, new int[] {axis}, false);
  }

  // ============================================================ indexing and more shape operations

  // take(indices) copies slices: dx = g scatter-added back at the indices (repeats accumulate)
  @Vjp(op = "take", wrt = "self")
  public static Tensor takeWrtSelf(Tensor g, Tensor y, Tensor self, int[] indices, int axis) {
    observe("takeWrtSelf");
    int ax = Math.floorMod(axis, self.rank());
    return g.indexAdd(indices, Grad.batchRank(g, y) + ax, self.shape(ax));
  }

  // indexAdd is take's adjoint and linear: dx = g taken at the indices
  @Vjp(op = "indexAdd", wrt = "self")
  public static Tensor indexAddWrtSelf(Tensor g, Tensor y, Tensor self, int[] indices, int axis, int size) {
    observe("indexAddWrtSelf");
    return g.take(indices, Grad.batchRank(g, y) + Math.floorMod(axis, self.rank()));
  }

  // flip is a permutation of its own inverse: dx = g flipped along the axis
  @Vjp(op = "flip", wrt = "self")
  public static Tensor flipWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    observe("flipWrtSelf");
    return g.flip(Grad.batchRank(g, y) + Math.floorMod(axis, self.rank()));
  }

  // pad adds zeros: dx = g without them, [before, before + n) along the axis
  @Vjp(op = "pad", wrt = "self")
  public static Tensor padWrtSelf(Tensor g, Tensor y, Tensor self, int axis, int before, int after) {
    observe("padWrtSelf");
    int ax = Math.floorMod(axis, self.rank());
    return g.slice(Grad.batchRank(g, y) + ax, before, before + self.shape(ax));
  }

  // ============================================================ helpers for the common shapes

  /** Elementwise rule: {@code g * dydx}, where the local derivative broadcasts against {@code g}. */
  private static Tensor elementwise(Tensor g, Tensor dydx) {
    return g.mul(dydx);
  }

  /** Rule of a function that is linear with a constant factor: {@code factor * g}. */
  private static Tensor linear(Tensor g, double factor) {
    return factor == -1 ? g.neg() : g.mul(factor);
  }

  /** {@code [a > b] + 1/2 [a = b]}: the share of the gradient that {@code a} gets from max(a, b). */
  private static Tensor winnerMask(Tensor a, Tensor b) {
    return a.gt(b).add(a.eq(b).mul(0.5));
  }

  /**
   * The rule of a max or min reduction: {@code g} (re-expanded) times {@code [x = y]} divided by the
   * number of ties in each reduced group, so tied extremes share the gradient equally.
   */
  private static Tensor tiedShare(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    int[] kept = keptShape(self.shape(), normalizeAxes(axes, self.rank()));
    Tensor isExtreme = self.eq(keepDims ? y : y.reshape(kept));
    Tensor share = isExtreme.div(isExtreme.sum(axes, true));
    return elementwise(unreduce(g, y, self, axes, keepDims), share);
  }

  /** {@code batch ++ shape}, the batch axes taken from cotangent {@code g} of {@code y}. */
  private static int[] withBatch(Tensor g, Tensor y, int[] shape) {
    int batch = Grad.batchRank(g, y);
    int[] out = new int[batch + shape.length];
    System.arraycopy(g.shape(), 0, out, 0, batch);
    System.arraycopy(shape, 0, out, batch, shape.length);
    return out;
  }

  /**
   * Re-inserts the reduced axes of a reduction as size-1 axes after the batch axes: the cotangent of
   * {@code y = self.reduce(axes, keepDims)} becomes {@code batch ++ kept}, where {@code kept} is
   * {@code self.shape()} with the reduced axes set to 1 (it then broadcasts against {@code self}).
   */
  private static Tensor unreduce(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    int[] kept = keptShape(self.shape(), normalizeAxes(axes, self.rank()));
    if (keepDims && Arrays.equals(y.shape(), kept)) {
      return g;
    }
    return g.reshape(withBatch(g, y, kept));
  }

  /** {@code shape} with the given axes set to 1. */
  private static int[] keptShape(int[] shape, int[] axes) {
    int[] kept = shape.clone();
    for (int axis : axes) {
      kept[axis] = 1;
    }
    return kept;
  }

  /** Axes mapped into {@code [0, rank)} (negative ones count from the end). */
  private static int[] normalizeAxes(int[] axes, int rank) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] < -rank || axes[i] >= rank) {
        throw new IllegalArgumentException("axis " + axes[i] + " is out of range for rank " + rank);
      }
      out[i] = Math.floorMod(axes[i], rank);
    }
    return out;
  }

  /** Zeros shaped like {@code g} except {@code length} along {@code axis} (padding for slice). */
  private static Tensor zerosAlong(Tensor g, int axis, int length) {
    int[] shape = g.shape();
    shape[axis] = length;
    return Tensor.zeros(g.dtype(), shape);
  }

  /** {@code t} without size-1 axis {@code axis}. */
  private static Tensor dropAxis(Tensor t, int axis) {
    int[] shape = t.shape();
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != axis) {
        out[j++] = shape[i];
      }
    }
    return t.reshape(out);
  }

  /** A vector as a matrix, as numpy matmul promotes it: a row {@code [1, n]} on the left, a column {@code [n, 1]} on the right. */
  private static Tensor asMatrix(Tensor t, boolean left) {
    if (t.rank() >= 2) {
      return t;
    }
    return left ? t.reshape(1, t.shape(0)) : t.reshape(t.shape(0), 1);
  }

  /**
   * The cotangent of {@code y = self @ other} with the axes numpy dropped for vector operands put back
   * (as size 1), so that it is the cotangent of the promoted matrix product: {@code batch ++ bd ++ [m,
   * p]}.
   */
  private static Tensor matmulCotangent(Tensor g, Tensor y, Tensor self, Tensor other) {
    int[] ys = y.shape();
    int[] promoted;
    if (self.rank() == 1 && other.rank() == 1) {
      promoted = new int[] {1, 1};
    } else if (self.rank() == 1) {
      promoted = new int[ys.length + 1];
      System.arraycopy(ys, 0, promoted, 0, ys.length - 1);
      promoted[ys.length - 1] = 1;
      promoted[ys.length] = ys[ys.length - 1];
    } else if (other.rank() == 1) {
      promoted = Arrays.copyOf(ys, ys.length + 1);
      promoted[ys.length] = 1;
    } else {
      return g;
    }
    return g.reshape(withBatch(g, y, promoted));
  }
}
