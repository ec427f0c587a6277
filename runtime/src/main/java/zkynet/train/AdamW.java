package zkynet.train;

import java.util.Map;
import zkynet.ModuleBase;
import zkynet.Parameter;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), in PyTorch's formulation
 * ({@code torch.optim.AdamW}): the parameter shrinks by {@code lr * weightDecay} of itself before
 * the Adam update, and the gradient is left alone ({@code t}, {@code m}, {@code v} as in
 * {@link Adam}):
 *
 * <pre>
 *   p = p * (1 - lr * weightDecay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
public final class AdamW extends Adam {
  /** PyTorch's defaults: beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight decay 0.01. */
  public AdamW(ModuleBase model, double lr) {
    this(model.namedParameters(), lr, 0.9, 0.999, 1e-8, 0.01);
  }

  public AdamW(ModuleBase model, double lr, double beta1, double beta2, double eps, double weightDecay) {
    this(model.namedParameters(), lr, beta1, beta2, eps, weightDecay);
  }

  public AdamW(Map<String, Parameter> parameters, double lr, double beta1, double beta2, double eps,
      double weightDecay) {
    super(parameters, lr, beta1, beta2, eps, weightDecay, true);
  }
}
