package zkynet.autodiff;

import java.util.Arrays;
import zkynet.Tensor;

/**
 * Gradient accumulation: the one place where broadcasting is undone.
 *
 * <p>A rule in {@link Rules} returns a contribution shaped {@code batch ++ s}, where the leading
 * {@code batch} axes are the cotangent's batch axes and {@code s} relates to the input's shape by numpy
 * broadcasting (it may have fewer axes, more axes, or size-1 axes where the input has larger ones, and
 * the other way round). {@link #unbroadcast} turns it into exactly {@code batch ++ input.shape()};
 * {@link #accumulate} then adds it to what the input has received so far. Generated derivative code
 * reads:
 *
 * <pre>{@code
 * gE = Grad.accumulate(gE, Rules.expWrtSelf(gY, y, e), e, batch);   // batch = gY.rank() - y.rank()
 * }</pre>
 *
 * <p>"No gradient" is {@code null}, never a tensor of zeros: {@code accumulate(acc, null, ..)} returns
 * {@code acc} unchanged, and an input that receives nothing ends with {@code null}.
 */
public final class Grad {
  private Grad() {}

  /**
   * The number of leading batch axes of cotangent {@code g} of output {@code y}: {@code g.rank() -
   * y.rank()}. An error if {@code g} has fewer axes than {@code y}.
   */
  public static int batchRank(Tensor g, Tensor y) {
    int batch = g.rank() - y.rank();
    if (batch < 0) {
      throw new IllegalArgumentException(
          "cotangent of shape " + Arrays.toString(g.shape()) + " has fewer axes than the output of shape "
              + Arrays.toString(y.shape()) + "; it must be shaped batch ++ output.shape");
    }
    return batch;
  }

  /**
   * Adds {@code contribution} (reduced to {@code batch ++ input.shape()} by {@link #unbroadcast}) to
   * {@code acc}. Returns {@code acc} when {@code contribution} is null, and the reduced contribution
   * when {@code acc} is null. {@code acc}, when present, must already be {@code batch ++
   * input.shape()}.
   */
  public static Tensor accumulate(Tensor acc, Tensor contribution, Tensor input, int batch) {
    if (contribution == null) {
      return acc;
    }
    Tensor reduced = unbroadcast(contribution, batch, input.shape());
    if (acc == null) {
      return reduced;
    }
    if (!Arrays.equals(acc.shape(), reduced.shape())) {
      throw new IllegalArgumentException(
          "cannot accumulate a gradient of shape " + Arrays.toString(reduced.shape())
              + " into one of shape " + Arrays.toString(acc.shape()) + " (input shape "
              + Arrays.toString(input.shape()) + ", " + batch + " batch axes): the cotangents"
              + " of one backward pass must share their batch axes");
    }
    return acc.add(reduced);
  }

  /**
   * Reduces (or expands) {@code contribution}, shaped {@code batch ++ s}, to exactly {@code batch ++
   * inputShape}: the batch axes are kept; the rest is aligned to {@code inputShape} from the right as in
   * numpy. Extra leading axes of {@code s} are summed away, axes where the input has size 1 and {@code
   * s} does not are summed (keeping size 1), and axes that {@code s} lacks or has with size 1 where the
   * input is larger are broadcast. Any other mismatch is an error naming both shapes.
   */
  public static Tensor unbroadcast(Tensor contribution, int batch, int[] inputShape) {
    int[] cs = contribution.shape();
    int rest = cs.length - batch;
    if (batch < 0 || rest < 0) {
      throw new IllegalArgumentException(
          "a gradient contribution of shape " + Arrays.toString(cs) + " cannot have " + batch
              + " batch axes");
    }
    int n = inputShape.length;
    if (rest == n && Arrays.equals(Arrays.copyOfRange(cs, batch, cs.length), inputShape)) {
      return contribution; // the common case: nothing to undo
    }
    Tensor c = contribution;
    // 1. Sum the extra leading (non-batch) axes the input does not have.
    if (rest > n) {
      int[] extra = new int[rest - n];
      for (int i = 0; i < extra.length; i++) {
        extra[i] = batch + i;
      }
      c = c.sum(extra, false);
      cs = c.shape();
      rest = n;
    }
    // 2. Right-align the remaining axes: sum where the input has size 1, note where to broadcast.
    int offset = n - rest; // input axes that the contribution lacks (they get broadcast)
    int[] keepSum = new int[rest];
    int sums = 0;
    boolean broadcast = offset > 0;
    for (int j = 0; j < rest; j++) {
      int have = cs[batch + j];
      int want = inputShape[offset + j];
      if (have == want) {
        continue;
      }
      if (want == 1) {
        keepSum[sums++] = batch + j;
      } else if (have == 1) {
        broadcast = true;
      } else {
        throw new IllegalArgumentException(
            "a gradient contribution of shape " + Arrays.toString(contribution.shape()) + " with "
                + batch + " batch axes does not broadcast to the input shape "
                + Arrays.toString(inputShape));
      }
    }
    if (sums > 0) {
      c = c.sum(Arrays.copyOf(keepSum, sums), true);
    }
    // 3. Broadcast the axes the contribution lacks or has with size 1.
    int[] target = new int[batch + n];
    System.arraycopy(cs, 0, target, 0, batch);
    System.arraycopy(inputShape, 0, target, batch, n);
    if (broadcast) {
      if (offset > 0) {
        int[] padded = new int[batch + n];
        int[] now = c.shape();
        System.arraycopy(now, 0, padded, 0, batch);
        Arrays.fill(padded, batch, batch + offset, 1);
        System.arraycopy(now, batch, padded, batch + offset, rest);
        c = c.reshape(padded);
      }
      c = c.broadcastTo(target);
    }
    return c;
  }
}
