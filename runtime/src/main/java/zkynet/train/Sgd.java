package zkynet.train;

import java.util.Map;
import java.util.TreeMap;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in
 * PyTorch's formulation ({@code torch.optim.SGD} with dampening 0), per parameter {@code p} with
 * gradient {@code g}, learning rate {@code lr} and buffer {@code b}:
 *
 * <pre>
 *   d = g + weightDecay * p                  (L2 penalty folded into the gradient)
 *   b = momentum * b + d                     (b = d on the parameter's first step)
 *   d = nesterov ? d + momentum * b : b      (only when momentum &gt; 0)
 *   p = p - lr * d
 * </pre>
 *
 * With {@code momentum = 0} and no weight decay this is plain {@code p = p - lr * g}.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private volatile double weightDecay;
  private volatile boolean nesterov;
  private final Tensor[] velocity;

  /** Plain SGD. */
  public Sgd(ModuleBase model, double lr) {
    this(model, lr, 0);
  }

  public Sgd(ModuleBase model, double lr, double momentum) {
    this(model.namedParameters(), lr, momentum);
  }

  public Sgd(Map<String, Parameter> parameters, double lr, double momentum) {
    super(parameters, lr);
    this.momentum = checked("momentum", momentum, 0, 1);
    this.velocity = buffer("momentum_buffer");
  }

  /** Sets the L2 weight decay (zero or positive; default 0); returns this. */
  public Sgd weightDecay(double weightDecay) {
    this.weightDecay = checked("weight decay", weightDecay, 0, Double.POSITIVE_INFINITY);
    return this;
  }

  /** Uses Nesterov momentum (needs a positive momentum); returns this. */
  public Sgd nesterov(boolean nesterov) {
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Sgd: Nesterov momentum needs a positive momentum");
    }
    this.nesterov = nesterov;
    return this;
  }

  public double momentum() {
    return momentum;
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  protected Map<String, Double> hyperparameters() {
    return new TreeMap<>(Map.of("momentum", momentum, "weight_decay", weightDecay,
        "nesterov", nesterov ? 1.0 : 0.0));
  }

  @Override
  protected Tensor update(int index, Tensor value, Tensor grad, double lr) {
    double wd = weightDecay;
    Tensor d = wd == 0 ? grad : grad.add(value.mul(wd));
    if (momentum != 0) {
      Tensor b = decayed(velocity[index], momentum, d);
      velocity[index] = b;
      d = nesterov ? d.add(b.mul(momentum)) : b;
    }
    return value.subScaled(d, lr); // value - lr * d in one pass
  }
}
