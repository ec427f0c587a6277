package zkynet.nn;

import static zkynet.nn.FunctionalOps.gruCell;

import java.util.Arrays;
import java.util.Random;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.train.Init;

/**
 * A gated recurrent unit step, PyTorch's {@code nn.GRUCell} equations and gate order (r, z, n):
 *
 * <pre>
 *   r  = sigmoid(x W_ir + b_ir + h W_hr + b_hr)
 *   z  = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
 *   n  = tanh(x W_in + b_in + r * (h W_hn + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 *
 * x is {@code [..., in]} and h {@code [..., hidden]}; the weights are stored for {@code x W}:
 * {@code weight_ih [in, 3 * hidden]} and {@code weight_hh [hidden, 3 * hidden]} with the gates'
 * columns in the order r | z | n (PyTorch's {@code weight_ih} transposed), biases {@code [3 *
 * hidden]}. Initialised as PyTorch does, uniform in {@code +-1/sqrt(hidden)}, or with an
 * orthogonal {@code weight_hh} (one orthogonal {@code [hidden, hidden]} block per gate). {@link
 * GRU} unrolls it over a sequence.
 */
@Module
public class GRUCell extends Zk_GRUCell {
  final Parameter weight_ih;
  final Parameter weight_hh;
  final Parameter bias_ih;
  final Parameter bias_hh;

  /** PyTorch's initialisation: every weight and bias uniform in {@code +-1/sqrt(hidden)}. */
  public GRUCell(Random rng, DType dtype, int in, int hidden) {
    this(rng, dtype, in, hidden, false);
  }

  /**
   * As {@link #GRUCell(Random, DType, int, int)}; with {@code orthogonalRecurrent}, each gate's
   * {@code [hidden, hidden]} block of {@code weight_hh} is orthogonal ({@link Init#orthogonal}).
   */
  public GRUCell(Random rng, DType dtype, int in, int hidden, boolean orthogonalRecurrent) {
    if (in < 1 || hidden < 1) {
      throw new IllegalArgumentException("GRUCell: sizes must be positive, got in " + in
          + ", hidden " + hidden);
    }
    if (rng == null || dtype == null) {
      throw new IllegalArgumentException("GRUCell: rng and dtype must not be null");
    }
    double k = 1 / Math.sqrt(hidden);
    this.weight_ih = parameter(Tensor.uniform(rng, -k, k, dtype, in, 3 * hidden));
    this.weight_hh = parameter(orthogonalRecurrent
        ? Tensor.concat(1, Init.orthogonal(rng, dtype, hidden, hidden),
            Init.orthogonal(rng, dtype, hidden, hidden), Init.orthogonal(rng, dtype, hidden, hidden))
        : Tensor.uniform(rng, -k, k, dtype, hidden, 3 * hidden));
    this.bias_ih = parameter(Tensor.uniform(rng, -k, k, dtype, 3 * hidden));
    this.bias_hh = parameter(Tensor.uniform(rng, -k, k, dtype, 3 * hidden));
  }

  /** The input size. */
  public int inputSize() {
    return weight_ih.shape()[0];
  }

  /** The hidden state's size. */
  public int hiddenSize() {
    return weight_hh.shape()[0];
  }

  Node call(Node x, Node h) {
    int[] xs = x.shape();
    int[] hs = h.shape();
    if (xs.length == 0 || xs[xs.length - 1] != inputSize() || hs.length == 0
        || hs[hs.length - 1] != hiddenSize()) {
      throw new IllegalArgumentException(name() + " (" + CallSession.where() + "): GRUCell("
          + inputSize() + ", " + hiddenSize() + ") needs x [..., " + inputSize() + "] and h [..., "
          + hiddenSize() + "], got x " + Arrays.toString(xs) + " and h " + Arrays.toString(hs));
    }
    return gruCell(x, h, weight_ih, weight_hh, bias_ih, bias_hh);
  }
}
