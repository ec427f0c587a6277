package zkynet.train;

import java.util.List;
import java.util.Map;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, in PyTorch's formulation (epsilon added to the
 * corrected root):
 *
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g           (m, v start at 0; t counts steps from 1)
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 */
public final class Adam extends Optimizer {
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final List<Tensor> m;
  private final List<Tensor> v;
  private final long[] t;

  /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8. */
  public Adam(ModuleBase model, double lr) {
    this(model, lr, 0.9, 0.999, 1e-8);
  }

  public Adam(ModuleBase model, double lr, double beta1, double beta2, double eps) {
    this(model.namedParameters(), lr, beta1, beta2, eps);
  }

  public Adam(Map<String, Parameter> parameters, double lr, double beta1, double beta2, double eps) {
    super(parameters);
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("Adam: learning rate must be positive and finite, got " + lr);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("Adam: eps must be positive, got " + eps);
    }
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    int n = parameters().size();
    this.m = emptyState(n);
    this.v = emptyState(n);
    this.t = new long[n];
  }

  public double learningRate() {
    return lr;
  }

  @Override
  protected Tensor update(int index, Tensor value, Tensor grad) {
    // Each parameter counts its own steps, so one that skipped a step (unused in that forward
    // pass) still gets the right bias correction.
    long step = ++t[index];
    Tensor m0 = m.get(index);
    Tensor v0 = v.get(index);
    Tensor g2 = grad.mul(grad);
    Tensor m1 = m0 == null ? grad.mul(1 - beta1) : m0.mul(beta1).add(grad.mul(1 - beta1));
    Tensor v1 = v0 == null ? g2.mul(1 - beta2) : v0.mul(beta2).add(g2.mul(1 - beta2));
    m.set(index, m1);
    v.set(index, v1);
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    Tensor denom = v1.sqrt().mul(1 / Math.sqrt(bc2)).add(eps);
    return value.sub(m1.div(denom).mul(lr / bc1));
  }
}
