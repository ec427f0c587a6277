package zkynet.nn;

import zkynet.NoGrad;
import zkynet.Operator;
import zkynet.Tensor;

/**
 * The layers' computations as operators on tensors (the processor derives their derivatives);
 * {@code FunctionalOps} has the graph versions that the layer modules call.
 */
public final class Functional {
  private Functional() {}

  /** {@code x weight + bias}: x {@code [..., in]}, weight {@code [in, out]}, bias {@code [out]}. */
  @Operator
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    return x.matmul(weight).add(bias);
  }

  /** {@code x * mask}: dropout with a mask already scaled ({@code 0} or {@code 1 / (1 - p)}). */
  @Operator
  public static Tensor dropout(Tensor x, @NoGrad Tensor mask) {
    return x.mul(mask);
  }

  /**
   * Layer normalisation over the last axis without an affine map: {@code (x - mean) / sqrt(var +
   * eps)}, with the population variance (as PyTorch's {@code layer_norm}).
   */
  @Operator
  public static Tensor normalizeLast(Tensor x, double eps) {
    Tensor d = x.sub(x.mean(new int[] {-1}, true));
    Tensor var = d.mul(d).mean(new int[] {-1}, true);
    return d.div(var.add(eps).sqrt());
  }

  /** {@link #normalizeLast} followed by {@code * weight + bias} (weight and bias: [last axis]). */
  @Operator
  public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    return normalizeLast(x, eps).mul(weight).add(bias);
  }

  /**
   * Rows {@code indices} of {@code weight} {@code [num, dim]}, reshaped to {@code shape} (the
   * indices' shape followed by {@code dim}): an embedding lookup. Its derivative adds the cotangent
   * rows back at the indices (scatter-add, repeated indices accumulate).
   */
  @Operator
  public static Tensor embedding(Tensor weight, int[] indices, int[] shape) {
    return weight.take(indices, 0).reshape(shape);
  }

  /**
   * Batch normalisation with the batch's own statistics: {@code (x - mean) / sqrt(var + eps) *
   * weight + bias}, mean and population variance over {@code axes} (kept); weight and bias
   * {@code [F]} are reshaped to {@code view} to broadcast against x ({@code [F]} for x {@code [N,
   * F]}, {@code [F, 1]} for x {@code [N, F, L]}).
   */
  @Operator
  public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, int[] axes, int[] view,
      double eps) {
    Tensor d = x.sub(x.mean(axes, true));
    Tensor var = d.mul(d).mean(axes, true);
    return d.div(var.add(eps).sqrt()).mul(weight.reshape(view)).add(bias.reshape(view));
  }

  /**
   * Batch normalisation with given statistics (evaluation mode): {@code (x - mean) / sqrt(var +
   * eps) * weight + bias}; mean, var, weight and bias {@code [F]} are reshaped to {@code view}
   * as in {@link #batchNorm}, mean and var are constants.
   */
  @Operator
  public static Tensor batchNormWith(Tensor x, @NoGrad Tensor mean, @NoGrad Tensor var,
      Tensor weight, Tensor bias, int[] view, double eps) {
    return x.sub(mean.reshape(view)).div(var.reshape(view).add(eps).sqrt())
        .mul(weight.reshape(view)).add(bias.reshape(view));
  }

  /**
   * One GRU step as PyTorch's {@code GRUCell}, with gates in PyTorch's order r, z, n along the last
   * axis of {@code [in, 3H]} / {@code [H, 3H]} weights ({@code x W}, the transpose of PyTorch's
   * layout): {@code r = sigmoid(x Wr + bir + h Ur + bhr)}, {@code z = sigmoid(x Wz + biz + h Uz +
   * bhz)}, {@code n = tanh(x Wn + bin + r * (h Un + bhn))}, {@code h' = (1 - z) * n + z * h}
   * (computed as {@code n + z * (h - n)}).
   */
  @Operator
  public static Tensor gruCell(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh,
      Tensor bHh) {
    int size = wHh.shape(0);
    Tensor gi = x.matmul(wIh).add(bIh);
    Tensor gh = h.matmul(wHh).add(bHh);
    Tensor r = gi.slice(-1, 0, size).add(gh.slice(-1, 0, size)).sigmoid();
    Tensor z = gi.slice(-1, size, 2 * size).add(gh.slice(-1, size, 2 * size)).sigmoid();
    Tensor n = gi.slice(-1, 2 * size, 3 * size).add(r.mul(gh.slice(-1, 2 * size, 3 * size)))
        .tanh();
    return n.add(z.mul(h.sub(n)));
  }
}
