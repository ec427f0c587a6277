package zkynet.nn;

import static zkynet.nn.FunctionalOps.dropout;

import java.util.Random;
import zkynet.Module;
import zkynet.Node;
import zkynet.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability {@code p} and the
 * survivors are scaled by {@code 1 / (1 - p)}, so the expected value is unchanged; in evaluation
 * mode ({@code module.eval()} on this layer or any module containing it) it is the identity. The
 * masks come from the layer's own seeded {@link Random}: the same seed and the same sequence of
 * calls give the same masks (calls from several threads at once draw from it in an unspecified
 * order).
 */
@Module
public class Dropout extends Zk_Dropout {
  private final double p;
  private final Random rng;

  /** Drops with probability {@code p} in [0, 1], masks drawn from a {@code Random(seed)}. */
  public Dropout(double p, long seed) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
    }
    this.p = p;
    this.rng = new Random(seed);
  }

  /** The drop probability. */
  public double p() {
    return p;
  }

  Node call(Node x) {
    if (!isTraining() || p == 0) {
      return x;
    }
    return dropout(x, mask(x.value()));
  }

  /** {@code 1 / (1 - p)} where an element survives, 0 where it is dropped (all 0 for p = 1). */
  private Tensor mask(Tensor like) {
    int[] shape = like.shape();
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] m = new double[Math.toIntExact(n)];
    double keep = p == 1 ? 0 : 1 / (1 - p);
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() < p ? 0 : keep;
    }
    return Tensor.of(m, like.dtype(), shape);
  }
}
