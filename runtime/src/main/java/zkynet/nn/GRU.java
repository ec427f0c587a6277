package zkynet.nn;

import static zkynet.BuiltinsOps.concat;
import static zkynet.BuiltinsOps.reshape;
import static zkynet.BuiltinsOps.slice;

import java.util.Arrays;
import java.util.Random;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Tensor;

/**
 * A {@link GRUCell} unrolled over time (PyTorch's {@code nn.GRU} with one layer and {@code
 * batch_first=True}): x {@code [batch, time, in]} gives the hidden state after every step, {@code
 * [batch, time, hidden]}, starting from zeros. The unrolling is an ordinary loop in {@code call}:
 * slice step t, apply the cell, collect; the graph is as long as the sequence. The states are
 * joined by one binary {@code concat} per step (the graph operators take no arrays yet), which copies
 * the states so far each time: quadratic in the length, negligible for the tens of steps of the
 * examples, worth replacing by an n-ary stack for long sequences.
 */
@Module
public class GRU extends Zk_GRU {
  final GRUCell cell;

  public GRU(Random rng, DType dtype, int in, int hidden) {
    this(new GRUCell(rng, dtype, in, hidden));
  }

  /** Unrolls the given cell. */
  public GRU(GRUCell cell) {
    if (cell == null) {
      throw new IllegalArgumentException("GRU: cell must not be null");
    }
    this.cell = cell;
  }

  /** The cell applied at every step. */
  public GRUCell cell() {
    return cell;
  }

  Node call(Node x) {
    Tensor v = x.value();
    int[] s = v.shape();
    if (s.length != 3 || s[1] < 1) {
      throw new IllegalArgumentException(name() + " (" + CallSession.where() + "): GRU needs x "
          + "[batch, time >= 1, " + cell.inputSize() + "], got " + Arrays.toString(s));
    }
    int batch = s[0];
    int hidden = cell.hiddenSize();
    Operand h = Operand.constant(Tensor.zeros(v.dtype(), batch, hidden));
    Node out = null;
    for (int t = 0; t < s[1]; t++) {
      Node xt = reshape(slice(x, 1, t, t + 1), new int[] {batch, s[2]});
      Node ht = cell.apply(xt, h);
      h = ht;
      Node step = reshape(ht, new int[] {batch, 1, hidden});
      out = out == null ? step : concat(out, step, 1);
    }
    return out;
  }
}
