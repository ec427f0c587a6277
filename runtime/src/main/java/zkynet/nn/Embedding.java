package zkynet.nn;

import static zkynet.nn.FunctionalOps.embedding;

import java.util.Arrays;
import java.util.Random;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.Module;
import zkynet.NoGrad;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * A lookup table ({@code nn.Embedding}): the input holds integer indices in {@code [0, num)} (as a
 * float tensor: {@code apply(new int[][] {{1, 2}})} works, exact up to 2^24), of any shape
 * {@code [...]}, and the output is {@code [..., dim]}, row {@code i} of the weight {@code [num,
 * dim]} for index {@code i}. The weight starts as N(0, 1), as PyTorch's. Its gradient adds each
 * output row's cotangent into the row it came from; the indices get none.
 */
@Module
public class Embedding extends Zk_Embedding {
  final Parameter weight;

  /** A table of {@code num} vectors of {@code dim}, drawn from N(0, 1) with {@code rng}. */
  public Embedding(Random rng, DType dtype, int num, int dim) {
    this(Tensor.randn(check(rng, num, dim), dtype, num, dim));
  }

  /** A table with the given initial weight {@code [num, dim]}. */
  public Embedding(Tensor weight) {
    if (weight == null || weight.rank() != 2 || weight.shape(0) < 1) {
      throw new IllegalArgumentException("Embedding: weight must be [num >= 1, dim], got "
          + (weight == null ? "null" : Arrays.toString(weight.shape())));
    }
    this.weight = parameter(weight);
  }

  private static Random check(Random rng, int num, int dim) {
    if (num < 1 || dim < 0) {
      throw new IllegalArgumentException("Embedding: need num >= 1 and dim >= 0, got num " + num
          + ", dim " + dim);
    }
    if (rng == null) {
      throw new IllegalArgumentException("Embedding: rng must not be null");
    }
    return rng;
  }

  /** The number of vectors. */
  public int num() {
    return weight.shape()[0];
  }

  /** The length of each vector. */
  public int dim() {
    return weight.shape()[1];
  }

  Node call(@NoGrad Node indices) {
    Tensor idx = indices.value();
    int[] shape = Arrays.copyOf(idx.shape(), idx.rank() + 1);
    shape[idx.rank()] = dim();
    return embedding(weight, rows(idx), shape);
  }

  /** The indices as ints; an error naming this layer, the position and the value if one is bad. */
  private int[] rows(Tensor idx) {
    double[] data = idx.toDoubleArray();
    int num = num();
    int[] out = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      double d = data[i];
      if (!(d >= 0 && d < num && d == Math.rint(d))) {
        throw new IllegalArgumentException(name() + " (" + CallSession.where() + "): Embedding(" + num + ", " + dim()
            + ") needs integer indices in [0, " + num + "), got " + d + " at "
            + position(i, idx.shape()) + " of an index tensor of shape "
            + Arrays.toString(idx.shape()));
      }
      out[i] = (int) d;
    }
    return out;
  }

  /** The multi-index of flat position {@code flat} in row-major {@code shape}. */
  private static String position(int flat, int[] shape) {
    int[] at = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      at[a] = flat % shape[a];
      flat /= shape[a];
    }
    return Arrays.toString(at);
  }
}
