package zkynet.nn;

import static zkynet.BuiltinsOps.matmul;
import static zkynet.nn.FunctionalOps.linear;

import java.util.Random;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.train.Init;

/**
 * A fully connected layer {@code y = x W + b}: x {@code [..., in]}, W {@code [in, out]}, b {@code
 * [out]} (leading axes are batch axes, as numpy's matmul). Without a bias, {@code y = x W}.
 */
@Module
public class Linear extends Zk_Linear {
  /** How the weights are initialised; the bias starts at zero. */
  public enum InitKind {
    /** Xavier/Glorot uniform: for an output layer or a tanh/sigmoid layer. */
    XAVIER,
    /** He (Kaiming) normal: for a layer followed by ReLU. */
    HE
  }

  final Parameter weight;
  final Parameter bias;

  /** A layer with the given initial weight {@code [in, out]} and bias {@code [out]} (or null: none). */
  public Linear(Tensor weight, Tensor bias) {
    if (weight == null || weight.rank() != 2) {
      throw new IllegalArgumentException("Linear: weight must be [in, out], got "
          + (weight == null ? "null" : java.util.Arrays.toString(weight.shape())));
    }
    if (bias != null && (bias.rank() != 1 || bias.shape(0) != weight.shape(1))) {
      throw new IllegalArgumentException("Linear: bias must be [" + weight.shape(1) + "] for weight "
          + java.util.Arrays.toString(weight.shape()) + ", got "
          + java.util.Arrays.toString(bias.shape()));
    }
    this.weight = parameter(weight);
    this.bias = bias == null ? null : parameter(bias);
  }

  /** A Xavier-initialised layer with a bias, weights drawn from {@code rng}. */
  public Linear(Random rng, DType dtype, int in, int out) {
    this(rng, dtype, in, out, true, InitKind.XAVIER);
  }

  /** A layer {@code in -> out}, weights drawn from {@code rng} by {@code init}, bias zero or none. */
  public Linear(Random rng, DType dtype, int in, int out, boolean bias, InitKind init) {
    this(weights(rng, dtype, in, out, init), bias ? Init.zeros(dtype, checkSize(out)) : null);
  }

  private static Tensor weights(Random rng, DType dtype, int in, int out, InitKind init) {
    checkSize(in);
    checkSize(out);
    if (rng == null || dtype == null || init == null) {
      throw new IllegalArgumentException("Linear: rng, dtype and init must not be null");
    }
    return init == InitKind.HE ? Init.heNormal(rng, dtype, in, out)
        : Init.xavierUniform(rng, dtype, in, out);
  }

  private static int checkSize(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("Linear: sizes must be positive, got " + n);
    }
    return n;
  }

  /** The number of input features. */
  public int inFeatures() {
    return weight.shape()[0];
  }

  /** The number of output features. */
  public int outFeatures() {
    return weight.shape()[1];
  }

  /** Whether the layer adds a bias. */
  public boolean hasBias() {
    return bias != null;
  }

  Node call(Node x) {
    return bias == null ? matmul(x, weight) : linear(x, weight, bias);
  }
}
