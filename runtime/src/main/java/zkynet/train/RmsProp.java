package zkynet.train;

import java.util.Map;
import java.util.TreeMap;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * RMSprop (Hinton's lecture 6e) in PyTorch's formulation ({@code torch.optim.RMSprop}), with
 * optional momentum, centering and L2 weight decay; per parameter {@code p} with gradient
 * {@code g}, the buffers {@code s} (square average), {@code a} (gradient average, centered only)
 * and {@code b} (momentum only) start at zero:
 *
 * <pre>
 *   g = g + weightDecay * p
 *   s = alpha * s + (1 - alpha) * g^2
 *   a = alpha * a + (1 - alpha) * g                  (centered)
 *   d = sqrt(s - a^2) + eps    (centered)   or   sqrt(s) + eps
 *   b = momentum * b + g / d;  p = p - lr * b        (momentum &gt; 0)
 *   p = p - lr * g / d                               (otherwise)
 * </pre>
 */
public final class RmsProp extends Optimizer {
  private final double alpha;
  private final double eps;
  private final double momentum;
  private final boolean centered;
  private volatile double weightDecay;
  private final Tensor[] squareAvg;
  private final Tensor[] gradAvg;
  private final Tensor[] velocity;

  /** PyTorch's defaults: alpha = 0.99, eps = 1e-8, no momentum, not centered. */
  public RmsProp(ModuleBase model, double lr) {
    this(model, lr, 0.99, 1e-8, 0, false);
  }

  public RmsProp(ModuleBase model, double lr, double alpha, double eps, double momentum, boolean centered) {
    this(model.namedParameters(), lr, alpha, eps, momentum, centered);
  }

  public RmsProp(Map<String, Parameter> parameters, double lr, double alpha, double eps,
      double momentum, boolean centered) {
    super(parameters, lr);
    this.alpha = checked("alpha", alpha, 0, 1);
    if (!(eps > 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("RmsProp: eps must be positive and finite, got " + eps);
    }
    this.eps = eps;
    this.momentum = checked("momentum", momentum, 0, 1);
    this.centered = centered;
    this.squareAvg = buffer("square_avg");
    this.gradAvg = centered ? buffer("grad_avg") : null;
    this.velocity = momentum > 0 ? buffer("momentum_buffer") : null;
  }

  /** Sets the L2 weight decay (zero or positive; default 0); returns this. */
  public RmsProp weightDecay(double weightDecay) {
    this.weightDecay = checked("weight decay", weightDecay, 0, Double.POSITIVE_INFINITY);
    return this;
  }

  @Override
  protected Map<String, Double> hyperparameters() {
    return new TreeMap<>(Map.of("alpha", alpha, "eps", eps, "momentum", momentum,
        "centered", centered ? 1.0 : 0.0, "weight_decay", weightDecay));
  }

  @Override
  protected Tensor update(int index, Tensor value, Tensor grad, double lr) {
    double wd = weightDecay;
    Tensor g = wd == 0 ? grad : grad.add(value.mul(wd));
    Tensor s = decayed(squareAvg[index], alpha, g.mul(g).mul(1 - alpha));
    squareAvg[index] = s;
    Tensor d;
    if (centered) {
      Tensor a = decayed(gradAvg[index], alpha, g.mul(1 - alpha));
      gradAvg[index] = a;
      d = s.sub(a.mul(a)).sqrt().add(eps);
    } else {
      d = s.sqrt().add(eps);
    }
    if (velocity == null) {
      return value.sub(g.div(d).mul(lr));
    }
    Tensor b = decayed(velocity[index], momentum, g.div(d));
    velocity[index] = b;
    return value.sub(b.mul(lr));
  }
}
