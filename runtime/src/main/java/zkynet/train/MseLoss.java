package zkynet.train;

import static zkynet.BuiltinsOps.mse;

import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.NoGrad;
import zkynet.Node;

/**
 * The training objective of a regression model: {@code mse(model(x), target)}, the mean over all
 * elements of {@code (prediction - target)^2}. The target is an input (a float tensor shaped like
 * the prediction). Both inputs are data, marked {@code @NoGrad}: a reverse sweep computes the
 * parameters' gradients only, and asking for an input's gradient is an error.
 */
@Module
public class MseLoss extends Zk_MseLoss {
  final ModuleBase model;

  public MseLoss(ModuleBase model) {
    if (model == null || model.inputs().size() != 1) {
      throw new IllegalArgumentException("MseLoss wraps a model with exactly one input, got "
          + (model == null ? "null" : model.name() + " with inputs " + model.inputs()));
    }
    this.model = model;
  }

  /** The wrapped model. */
  public ModuleBase model() {
    return model;
  }

  Node call(@NoGrad Node x, @NoGrad Node target) {
    return mse(model.applyNodes(x), target);
  }
}
