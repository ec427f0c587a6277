package zkynet.train;

import java.util.List;
import java.util.Map;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Stochastic gradient descent, optionally with momentum, in PyTorch's formulation:
 *
 * <pre>
 *   v = momentum * v + g      (v = g on the first step)
 *   p = p - lr * v
 * </pre>
 *
 * With {@code momentum = 0} this is plain {@code p = p - lr * g}.
 */
public final class Sgd extends Optimizer {
  private final double lr;
  private final double momentum;
  private final List<Tensor> velocity;

  /** Plain SGD. */
  public Sgd(ModuleBase model, double lr) {
    this(model, lr, 0);
  }

  public Sgd(ModuleBase model, double lr, double momentum) {
    this(model.namedParameters(), lr, momentum);
  }

  public Sgd(Map<String, Parameter> parameters, double lr, double momentum) {
    super(parameters);
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("Sgd: learning rate must be positive and finite, got " + lr);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("Sgd: momentum must be in [0, 1), got " + momentum);
    }
    this.lr = lr;
    this.momentum = momentum;
    this.velocity = emptyState(parameters().size());
  }

  public double learningRate() {
    return lr;
  }

  public double momentum() {
    return momentum;
  }

  @Override
  protected Tensor update(int index, Tensor value, Tensor grad) {
    Tensor step = grad;
    if (momentum != 0) {
      Tensor v = velocity.get(index);
      step = v == null ? grad : v.mul(momentum).add(grad);
      velocity.set(index, step);
    }
    return value.sub(step.mul(lr));
  }
}
