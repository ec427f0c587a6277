package zkynet;

/**
 * zkynet's built-in operators, written as {@code @Operator} methods and compiled through zkynet's
 * own processor (read their derivatives in the generated {@code BuiltinsOps}). Inside a module's
 * forward pass use the graph versions: {@code import static zkynet.BuiltinsOps.*;}. Called
 * directly, these methods evaluate eagerly on tensors.
 */
public final class Builtins {
  private Builtins() {}

  /** a + b (broadcasting). */
  @Operator
  public static Tensor add(Tensor a, Tensor b) {
    return a.add(b);
  }

  /** a - b (broadcasting). */
  @Operator
  public static Tensor sub(Tensor a, Tensor b) {
    return a.sub(b);
  }

  /** a * b elementwise (broadcasting). */
  @Operator
  public static Tensor mult(Tensor a, Tensor b) {
    return a.mul(b);
  }

  /** a / b elementwise (broadcasting). */
  @Operator
  public static Tensor div(Tensor a, Tensor b) {
    return a.div(b);
  }

  /** -x. */
  @Operator
  public static Tensor neg(Tensor x) {
    return x.neg();
  }

  /** x * x. */
  @Operator
  public static Tensor square(Tensor x) {
    return x.mul(x);
  }

  /** Inner product over the last axis: sum(a * b, -1); for vectors, the dot product. */
  @Operator
  public static Tensor dot(Tensor a, Tensor b) {
    return a.mul(b).sum(new int[] {-1}, false);
  }

  /** numpy matmul. */
  @Operator
  public static Tensor matmul(Tensor a, Tensor b) {
    return a.matmul(b);
  }

  /** e^x. */
  @Operator
  public static Tensor exp(Tensor x) {
    return x.exp();
  }

  /** Natural logarithm. */
  @Operator
  public static Tensor log(Tensor x) {
    return x.log();
  }

  /** Hyperbolic tangent. */
  @Operator
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** 1 / (1 + e^-x). */
  @Operator
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** max(x, 0). */
  @Operator
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** Sum of all elements. */
  @Operator
  public static Tensor sum(Tensor x) {
    return x.sum();
  }

  /** Mean of all elements. */
  @Operator
  public static Tensor mean(Tensor x) {
    return x.mean();
  }

  /** x + c for a constant c. */
  @Operator
  public static Tensor addScalar(Tensor x, double c) {
    return x.add(c);
  }

  /** x - c for a constant c. */
  @Operator
  public static Tensor subScalar(Tensor x, double c) {
    return x.sub(c);
  }

  /** c - x for a constant c. */
  @Operator
  public static Tensor rsub(Tensor x, double c) {
    return x.rsub(c);
  }

  /** x * c for a constant c. */
  @Operator
  public static Tensor mulScalar(Tensor x, double c) {
    return x.mul(c);
  }

  /** x / c for a constant c. */
  @Operator
  public static Tensor divScalar(Tensor x, double c) {
    return x.div(c);
  }

  /** c / x for a constant c. */
  @Operator
  public static Tensor rdiv(Tensor x, double c) {
    return x.rdiv(c);
  }

  /** x ^ c for a constant exponent c. */
  @Operator
  public static Tensor powScalar(Tensor x, double exponent) {
    return x.pow(exponent);
  }

  /** a ^ b elementwise (broadcasting); d/db uses log a (0 where a = 0). */
  @Operator
  public static Tensor pow(Tensor a, Tensor b) {
    return a.pow(b);
  }

  /** Square root (its derivative is inf at 0). */
  @Operator
  public static Tensor sqrt(Tensor x) {
    return x.sqrt();
  }

  /** 1 / sqrt(x). */
  @Operator
  public static Tensor rsqrt(Tensor x) {
    return x.sqrt().rdiv(1);
  }

  /** |x| (derivative 0 at 0). */
  @Operator
  public static Tensor abs(Tensor x) {
    return x.abs();
  }

  /** Sine. */
  @Operator
  public static Tensor sin(Tensor x) {
    return x.sin();
  }

  /** Cosine. */
  @Operator
  public static Tensor cos(Tensor x) {
    return x.cos();
  }

  /** log(1 + x), accurate near 0. */
  @Operator
  public static Tensor log1p(Tensor x) {
    return x.log1p();
  }

  /** e^x - 1, accurate near 0. */
  @Operator
  public static Tensor expm1(Tensor x) {
    return x.expm1();
  }

  /** The error function. */
  @Operator
  public static Tensor erf(Tensor x) {
    return x.erf();
  }

  /** Elementwise maximum (broadcasting); ties give half the gradient to each side. */
  @Operator
  public static Tensor maximum(Tensor a, Tensor b) {
    return a.maximum(b);
  }

  /** Elementwise minimum (broadcasting); ties give half the gradient to each side. */
  @Operator
  public static Tensor minimum(Tensor a, Tensor b) {
    return a.minimum(b);
  }

  /** max(x, c) for a constant c. */
  @Operator
  public static Tensor maximumScalar(Tensor x, double c) {
    return x.maximum(c);
  }

  /** min(x, c) for a constant c. */
  @Operator
  public static Tensor minimumScalar(Tensor x, double c) {
    return x.minimum(c);
  }

  /** x limited to [low, high] (numpy clip); at a bound the gradient is halved, as maximum's ties. */
  @Operator
  public static Tensor clamp(Tensor x, double low, double high) {
    return x.maximum(low).minimum(high);
  }

  /** {@code mask != 0 ? x : other} (broadcasting); no gradient flows to the mask. */
  @Operator
  public static Tensor where(Tensor x, @NoGrad Tensor mask, Tensor other) {
    return x.where(mask, other);
  }

  /** The value of x; no gradient flows back through it. */
  @Operator
  public static Tensor stopGradient(Tensor x) {
    return x.stopGradient();
  }

  /** Sum over the given axes. */
  @Operator
  public static Tensor sumAxes(Tensor x, int[] axes, boolean keepDims) {
    return x.sum(axes, keepDims);
  }

  /** Sum over one axis, which is dropped ({@code sumAxis(x, -1)}). */
  @Operator
  public static Tensor sumAxis(Tensor x, int axis) {
    return x.sum(axis);
  }

  /** Mean over the given axes. */
  @Operator
  public static Tensor meanAxes(Tensor x, int[] axes, boolean keepDims) {
    return x.mean(axes, keepDims);
  }

  /** Mean over one axis, which is dropped. */
  @Operator
  public static Tensor meanAxis(Tensor x, int axis) {
    return x.mean(axis);
  }

  /** Maximum of all elements (ties share the gradient). */
  @Operator
  public static Tensor max(Tensor x) {
    return x.max();
  }

  /** Maximum over the given axes. */
  @Operator
  public static Tensor maxAxes(Tensor x, int[] axes, boolean keepDims) {
    return x.max(axes, keepDims);
  }

  /** Maximum over one axis, which is dropped. */
  @Operator
  public static Tensor maxAxis(Tensor x, int axis) {
    return x.max(axis);
  }

  /** Minimum of all elements (ties share the gradient). */
  @Operator
  public static Tensor min(Tensor x) {
    return x.min();
  }

  /** Minimum over the given axes. */
  @Operator
  public static Tensor minAxes(Tensor x, int[] axes, boolean keepDims) {
    return x.min(axes, keepDims);
  }

  /** Minimum over one axis, which is dropped. */
  @Operator
  public static Tensor minAxis(Tensor x, int axis) {
    return x.min(axis);
  }

  /** numpy reshape; one dimension may be -1. */
  @Operator
  public static Tensor reshape(Tensor x, int[] shape) {
    return x.reshape(shape);
  }

  /** Swaps the last two axes. */
  @Operator
  public static Tensor transpose(Tensor x) {
    return x.transpose();
  }

  /** numpy transpose with an explicit axis order. */
  @Operator
  public static Tensor permute(Tensor x, int[] axes) {
    return x.permute(axes);
  }

  /** numpy broadcast_to. */
  @Operator
  public static Tensor broadcastTo(Tensor x, int[] shape) {
    return x.broadcastTo(shape);
  }

  /** Elements start &lt;= i &lt; end along axis. */
  @Operator
  public static Tensor slice(Tensor x, int axis, int start, int end) {
    return x.slice(axis, start, end);
  }

  /** a and b joined along axis. */
  @Operator
  public static Tensor concat(Tensor a, Tensor b, int axis) {
    return a.concat(b, axis);
  }

  /** numpy take along an axis (gather); its derivative scatter-adds (repeated indices accumulate). */
  @Operator
  public static Tensor take(Tensor x, int[] indices, int axis) {
    return x.take(indices, axis);
  }

  /** Zeros with size entries along axis, slice i of x added at indices[i] (take's adjoint). */
  @Operator
  public static Tensor indexAdd(Tensor x, int[] indices, int axis, int size) {
    return x.indexAdd(indices, axis, size);
  }

  /** Reverses the order along axis. */
  @Operator
  public static Tensor flip(Tensor x, int axis) {
    return x.flip(axis);
  }

  /** Zero padding: before zeros in front, after zeros behind, along axis. */
  @Operator
  public static Tensor pad(Tensor x, int axis, int before, int after) {
    return x.pad(axis, before, after);
  }

  /** GELU, exact: x/2 (1 + erf(x / sqrt 2)). */
  @Operator
  public static Tensor gelu(Tensor x) {
    return x.mul(x.mul(0.7071067811865476).erf().add(1)).mul(0.5);
  }

  /** GELU, tanh approximation: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  @Operator
  public static Tensor geluTanh(Tensor x) {
    return x.mul(x.add(x.mul(x).mul(x).mul(0.044715)).mul(0.7978845608028654).tanh().add(1)).mul(0.5);
  }

  /** SiLU (swish with beta 1): x sigmoid(x). */
  @Operator
  public static Tensor silu(Tensor x) {
    return x.mul(x.sigmoid());
  }

  /** log(1 + e^x), stably: relu(x) + log1p(e^-|x|); the derivative is sigmoid(x), also at 0. */
  @Operator
  public static Tensor softplus(Tensor x) {
    return x.relu().add(x.abs().neg().exp().log1p());
  }

  /** d softplus(x)/dx = sigmoid(x) (the composite's own derivative would give 0 at x = 0). */
  @Derivative(of = "softplus", wrt = "x")
  public static Tensor softplusGrad(Tensor g, Tensor y, Tensor x) {
    return g.mul(x.sigmoid());
  }

  /**
   * log(sum(e^x)) over one axis (dropped), computed stably: the maximum is subtracted first (and
   * added back, unless infinite, as in JAX, so that a row of -inf gives -inf, not NaN); its gradient
   * is softmax along the axis.
   */
  @Operator
  public static Tensor logSumExp(Tensor x, int axis) {
    Tensor max = x.max(new int[] {axis}, true).stopGradient();
    Tensor m = max.where(max.abs().lt(Double.POSITIVE_INFINITY), Tensor.zeros(x.dtype()));
    return x.sub(m).exp().sum(axis).log().add(m.sum(axis));
  }

  /**
   * Variance over one axis (dropped), with {@code correction} subtracted from the count in the
   * divisor: 0 for the population variance (numpy's default), 1 for the sample variance (PyTorch's).
   */
  @Operator
  public static Tensor variance(Tensor x, int axis, int correction) {
    Tensor d = x.sub(x.mean(new int[] {axis}, true));
    return d.mul(d).sum(axis).div((double) (x.shape(axis) - correction));
  }

  /** Standard deviation over one axis: sqrt(variance(x, axis, correction)). */
  @Operator
  public static Tensor std(Tensor x, int axis, int correction) {
    return variance(x, axis, correction).sqrt();
  }

  /** Softmax over the last axis, computed stably (the maximum is subtracted first). */
  @Operator
  public static Tensor softmax(Tensor x) {
    Tensor shifted = x.sub(x.max(new int[] {-1}, true).stopGradient());
    Tensor e = shifted.exp();
    return e.div(e.sum(new int[] {-1}, true));
  }

  /** log(softmax(x)) over the last axis, computed stably. */
  @Operator
  public static Tensor logSoftmax(Tensor x) {
    Tensor shifted = x.sub(x.max(new int[] {-1}, true).stopGradient());
    return shifted.sub(shifted.exp().sum(new int[] {-1}, true).log());
  }

  /** Mean squared error: mean((prediction - target)^2). */
  @Operator
  public static Tensor mse(Tensor prediction, Tensor target) {
    Tensor d = prediction.sub(target);
    return d.mul(d).mean();
  }

  /**
   * Softmax cross-entropy of {@code logits} [N, C] against integer class labels (N of them, each
   * in [0, C)), averaged over the N rows: mean(-log softmax(logits)[i, labels[i]]). One fused backend
   * kernel (PyTorch's log_softmax + nll), stable: the row maximum is subtracted first. A -inf logit off
   * the label adds nothing, -inf at the label gives +inf, NaN or +inf in any row gives NaN, and no
   * rows give NaN (see {@link zkynet.backend.Backend#softmaxCrossEntropy}).
   */
  @Operator
  public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
    checkLabels(logits, labels);
    return logits.softmaxCrossEntropy(labels);
  }

  /**
   * d/dlogits = (softmax(logits) - onehot(labels)) / N, exact and stable for any logits, one fused
   * backend kernel (a row with NaN or +inf gets NaN, the other rows are unaffected).
   */
  @Derivative(of = "softmaxCrossEntropy", wrt = "logits")
  public static Tensor softmaxCrossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels) {
    Tensor local = logits.softmaxCrossEntropyGrad(labels);
    int[] lifted = java.util.Arrays.copyOf(g.shape(), g.rank() + 2);
    lifted[g.rank()] = 1;
    lifted[g.rank() + 1] = 1;
    return g.reshape(lifted).mul(local);
  }

  private static void checkLabels(Tensor logits, int[] labels) {
    if (logits.rank() != 2 || logits.shape(0) != labels.length) {
      throw new IllegalArgumentException("softmaxCrossEntropy: logits must be [N, C] with one "
          + "label per row; got logits " + java.util.Arrays.toString(logits.shape()) + " and "
          + labels.length + " labels");
    }
  }
}
