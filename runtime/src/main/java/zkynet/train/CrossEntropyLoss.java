package zkynet.train;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.logSoftmax;
import static zkynet.BuiltinsOps.mean;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.neg;
import static zkynet.BuiltinsOps.softmaxCrossEntropy;

import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.NoGrad;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Tensor;

/**
 * The training objective of a classifier: {@code softmaxCrossEntropy(model(x), labels)}, the mean
 * over the batch of {@code -log softmax(logits)[i, labels[i]]}.
 *
 * <p><b>How integer labels get into a forward pass.</b> A forward method takes only {@code Node}
 * inputs and may not write fields, yet {@code softmaxCrossEntropy} wants {@code int[]} labels. The
 * labels are therefore an ordinary second input: a rank-1 float tensor of class indices ({@link
 * Labels#tensor}), turned back into {@code int[]} here with {@link Labels#toInts}. This keeps the
 * call pure (per-call data arrives through {@code apply}, nothing mutable is stored in the
 * module), and uses the built-in, numerically stable operator with its hand-written derivative
 * {@code (softmax - onehot) / N} instead of a longer one-hot composite.
 *
 * <p>Both inputs are data, marked {@code @NoGrad}: a reverse sweep computes the gradients of the
 * parameters only, and none of the work that leads only to the batch (no {@code d loss / d x}
 * matrix product in the first layer). {@code grad(loss.input("x"))} is therefore an error; to
 * differentiate with respect to the data (saliency, adversarial examples), call the model itself.
 *
 * <pre>
 *   CrossEntropyLoss loss = new CrossEntropyLoss(mlp);
 *   ModuleGraph g = loss.apply(xBatch, Labels.tensor(yBatch));
 *   g.back();
 *   optimizer.step(g);   // an optimizer over mlp.namedParameters()
 * </pre>
 *
 * The wrapped model takes one input and returns logits {@code [N, C]}; its parameters appear under
 * {@code model.} in this module's {@link #namedParameters()}.
 *
 * <p><b>Label smoothing</b> (Szegedy et al., 2016), optional: with {@code eps > 0} the target of each
 * row is {@code (1 - eps) * onehot + eps / C}, so the loss is
 * {@code (1 - eps) * softmaxCrossEntropy(logits, labels) + eps * (-mean(logSoftmax(logits)))}, where
 * the mean over all N*C elements is the cross-entropy against the uniform distribution averaged over
 * rows. It discourages over-confident logits and usually generalises better on small datasets.
 */
@Module
public class CrossEntropyLoss extends Zk_CrossEntropyLoss {
  final ModuleBase model;
  final double labelSmoothing;

  /** Plain softmax cross-entropy. */
  public CrossEntropyLoss(ModuleBase model) {
    this(model, 0);
  }

  /** With label smoothing {@code eps} in [0, 1). */
  public CrossEntropyLoss(ModuleBase model, double labelSmoothing) {
    if (model == null || model.inputs().size() != 1) {
      throw new IllegalArgumentException("CrossEntropyLoss wraps a model with exactly one input, got "
          + (model == null ? "null" : model.name() + " with inputs " + model.inputs()));
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1), got "
          + labelSmoothing);
    }
    this.model = model;
    this.labelSmoothing = labelSmoothing;
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  /** The wrapped model. */
  public ModuleBase model() {
    return model;
  }

  Node call(@NoGrad Node x, @NoGrad Node labels) {
    Node logits = model.applyNodes(x);
    Node ce = softmaxCrossEntropy(logits, Labels.toInts(labels.value()));
    if (labelSmoothing == 0) {
      return ce;
    }
    Node uniform = neg(mean(logSoftmax(logits)));
    return add(mult(scalar(1 - labelSmoothing, logits), ce), mult(scalar(labelSmoothing, logits), uniform));
  }

  /** A constant of the logits' dtype (operators do not mix dtypes). */
  private static Operand scalar(double v, Node like) {
    return Operand.constant(Tensor.of(v, like.dtype()));
  }
}
