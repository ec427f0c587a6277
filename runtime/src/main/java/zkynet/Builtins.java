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
   * in [0, C)), averaged over the N rows: mean(-log softmax(logits)[i, labels[i]]).
   */
  @Operator
  public static Tensor softmaxCrossEntropy(Tensor logits, int[] labels) {
    checkLabels(logits, labels);
    Tensor oneHot = Tensor.oneHot(labels, logits.shape(-1), logits.dtype());
    return logSoftmax(logits).mul(oneHot).sum().neg().div(logits.shape(0));
  }

  /** d/dlogits = (softmax(logits) - onehot(labels)) / N, exact and stable for any logits. */
  @Derivative(of = "softmaxCrossEntropy", wrt = "logits")
  public static Tensor softmaxCrossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels) {
    Tensor oneHot = Tensor.oneHot(labels, logits.shape(-1), logits.dtype());
    Tensor local = softmax(logits).sub(oneHot).div(logits.shape(0));
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
