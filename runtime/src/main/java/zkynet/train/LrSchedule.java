package zkynet.train;

/**
 * A learning rate as a function of a count: of steps when given to
 * {@link Optimizer#schedule(LrSchedule)} (or {@link Trainer#schedule} per step), of epochs when
 * {@link Trainer#schedule} applies it per epoch. Count 0 is the first step or epoch. A pure
 * function of the count, so a run resumed from a checkpoint (which restores
 * {@link Optimizer#steps()}) continues the schedule exactly.
 *
 * <p>The factories use the closed forms of PyTorch's schedulers ({@code StepLR},
 * {@code ExponentialLR}, {@code CosineAnnealingLR}), computed in double from the count, so the
 * rate never drifts as a product of factors can.
 */
@FunctionalInterface
public interface LrSchedule {
  /** The learning rate for count {@code n} (0 for the first step or epoch); zero or positive. */
  double lr(long n);

  /** Always {@code lr}. */
  static LrSchedule constant(double lr) {
    check("lr", lr);
    return n -> lr;
  }

  /**
   * PyTorch's {@code StepLR}: {@code lr(n) = base * gamma^floor(n / stepSize)} (the rate is
   * multiplied by {@code gamma} every {@code stepSize} counts).
   */
  static LrSchedule step(double base, long stepSize, double gamma) {
    check("base", base);
    check("gamma", gamma);
    if (stepSize <= 0) {
      throw new IllegalArgumentException("LrSchedule.step: stepSize must be positive, got " + stepSize);
    }
    return n -> base * Math.pow(gamma, Math.floorDiv(n, stepSize));
  }

  /** PyTorch's {@code ExponentialLR}: {@code lr(n) = base * gamma^n}. */
  static LrSchedule exponential(double base, double gamma) {
    check("base", base);
    check("gamma", gamma);
    return n -> base * Math.pow(gamma, n);
  }

  /**
   * Linear warm-up then cosine annealing (PyTorch's {@code CosineAnnealingLR} closed form after a
   * {@code LinearLR} warm-up):
   *
   * <pre>
   *   n &lt; W:        lr(n) = base * (n + 1) / W
   *   W &lt;= n &lt; T:   lr(n) = min + (base - min) * (1 + cos(pi * (n - W) / (T - W))) / 2
   *   n &gt;= T:       lr(n) = min
   * </pre>
   *
   * with {@code W = warmup} and {@code T = total}; the first step of the warm-up already moves
   * ({@code base / W}), the last reaches {@code base}. {@code warmup = 0} is plain cosine annealing.
   */
  static LrSchedule cosine(double base, long warmup, long total, double min) {
    check("base", base);
    check("min", min);
    if (warmup < 0 || total <= warmup) {
      throw new IllegalArgumentException("LrSchedule.cosine: need 0 <= warmup < total, got warmup "
          + warmup + ", total " + total);
    }
    if (min > base) {
      throw new IllegalArgumentException("LrSchedule.cosine: min " + min + " is above base " + base);
    }
    return n -> {
      if (n < warmup) {
        return base * (n + 1) / warmup;
      }
      if (n >= total) {
        return min;
      }
      return min + (base - min) * (1 + Math.cos(Math.PI * (n - warmup) / (total - warmup))) / 2;
    };
  }

  private static void check(String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException("LrSchedule: " + name + " must be zero or positive and finite, got " + v);
    }
  }
}
