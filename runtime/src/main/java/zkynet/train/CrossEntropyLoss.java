package zkynet.train;

import static zkynet.BuiltinsOps.softmaxCrossEntropy;

import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.Node;

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
 * {@code (softmax - onehot) / N} instead of a longer one-hot composite. The labels input is a leaf
 * that does not reach the root through any operator, so its gradient is zero.
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
 */
@Module
public class CrossEntropyLoss extends Zk_CrossEntropyLoss {
  final ModuleBase model;

  public CrossEntropyLoss(ModuleBase model) {
    if (model == null || model.inputs().size() != 1) {
      throw new IllegalArgumentException("CrossEntropyLoss wraps a model with exactly one input, got "
          + (model == null ? "null" : model.name() + " with inputs " + model.inputs()));
    }
    this.model = model;
  }

  /** The wrapped model. */
  public ModuleBase model() {
    return model;
  }

  Node call(Node x, Node labels) {
    return softmaxCrossEntropy(model.applyNodes(x), Labels.toInts(labels.value()));
  }
}
