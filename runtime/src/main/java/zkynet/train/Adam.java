package zkynet.train;

import java.util.Map;
import java.util.TreeMap;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and optional L2 weight decay, in PyTorch's
 * formulation ({@code torch.optim.Adam}, epsilon added to the corrected root), per parameter
 * {@code p} with gradient {@code g}; {@code t} counts the parameter's own steps from 1, {@code m}
 * and {@code v} start at zero:
 *
 * <pre>
 *   g = g + weightDecay * p                  (L2: coupled with the gradient)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * {@link AdamW} decouples the weight decay instead.
 */
public class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private volatile double weightDecay;
  private final boolean decoupled;
  private final Tensor[] m;
  private final Tensor[] v;
  private final long[] t;

  /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8. */
  public Adam(ModuleBase model, double lr) {
    this(model, lr, 0.9, 0.999, 1e-8);
  }

  public Adam(ModuleBase model, double lr, double beta1, double beta2, double eps) {
    this(model.namedParameters(), lr, beta1, beta2, eps);
  }

  public Adam(Map<String, Parameter> parameters, double lr, double beta1, double beta2, double eps) {
    this(parameters, lr, beta1, beta2, eps, 0, false);
  }

  Adam(Map<String, Parameter> parameters, double lr, double beta1, double beta2, double eps,
      double weightDecay, boolean decoupled) {
    super(parameters, lr);
    this.beta1 = checked("beta1", beta1, 0, 1);
    this.beta2 = checked("beta2", beta2, 0, 1);
    if (!(eps > 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException(type() + ": eps must be positive and finite, got " + eps);
    }
    this.eps = eps;
    this.decoupled = decoupled;
    weightDecay(weightDecay);
    this.m = buffer("exp_avg");
    this.v = buffer("exp_avg_sq");
    this.t = counter("step");
  }

  /** Sets the weight decay (zero or positive); returns this. */
  public final Adam weightDecay(double weightDecay) {
    this.weightDecay = checked("weight decay", weightDecay, 0, Double.POSITIVE_INFINITY);
    return this;
  }

  public final double weightDecay() {
    return weightDecay;
  }

  @Override
  protected final Map<String, Double> hyperparameters() {
    return new TreeMap<>(Map.of("beta1", beta1, "beta2", beta2, "eps", eps,
        "weight_decay", weightDecay));
  }

  @Override
  protected final Tensor update(int index, Tensor value, Tensor grad, double lr) {
    // Each parameter counts its own steps, so one that skipped a step (unused in that forward
    // pass) still gets the right bias correction.
    long step = ++t[index];
    double wd = weightDecay;
    Tensor p = value;
    if (wd != 0 && decoupled) {
      p = value.mul(1 - lr * wd);
    } else if (wd != 0) {
      grad = grad.add(value.mul(wd));
    }
    Tensor m1 = decayed(m[index], beta1, grad.mul(1 - beta1));
    Tensor v1 = decayed(v[index], beta2, grad.mul(grad).mul(1 - beta2));
    m[index] = m1;
    v[index] = v1;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    Tensor denom = v1.sqrt().div(Math.sqrt(bc2)).add(eps);
    return p.sub(m1.div(denom).mul(lr / bc1));
  }
}
