package zkynet.train;

import java.util.Objects;
import java.util.Random;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Parameter initialisers for a weight matrix of shape {@code [fanIn, fanOut]} (the layout of
 * {@code matmul(x, w)} with x {@code [batch, fanIn]}). Every value comes from the given
 * {@link Random}, so a seeded source makes a run reproducible.
 *
 * <ul>
 *   <li>Xavier/Glorot (Glorot and Bengio, 2010), for tanh/sigmoid/linear layers: variance
 *       {@code 2 / (fanIn + fanOut)}.
 *   <li>He/Kaiming (He et al., 2015), for layers followed by ReLU: variance {@code 2 / fanIn}.
 * </ul>
 */
public final class Init {
  private Init() {}

  /** U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
  public static Tensor xavierUniform(Random rng, DType dtype, int fanIn, int fanOut) {
    check("xavierUniform", rng, fanIn, fanOut);
    double a = Math.sqrt(6.0 / (fanIn + fanOut));
    return Tensor.uniform(rng, -a, a, dtype, fanIn, fanOut);
  }

  /** N(0, s^2) with s = sqrt(2 / (fanIn + fanOut)). */
  public static Tensor xavierNormal(Random rng, DType dtype, int fanIn, int fanOut) {
    check("xavierNormal", rng, fanIn, fanOut);
    return Tensor.randn(rng, dtype, fanIn, fanOut).mul(Math.sqrt(2.0 / (fanIn + fanOut)));
  }

  /** U(-a, a) with a = sqrt(6 / fanIn). */
  public static Tensor heUniform(Random rng, DType dtype, int fanIn, int fanOut) {
    check("heUniform", rng, fanIn, fanOut);
    double a = Math.sqrt(6.0 / fanIn);
    return Tensor.uniform(rng, -a, a, dtype, fanIn, fanOut);
  }

  /** N(0, s^2) with s = sqrt(2 / fanIn). */
  public static Tensor heNormal(Random rng, DType dtype, int fanIn, int fanOut) {
    check("heNormal", rng, fanIn, fanOut);
    return Tensor.randn(rng, dtype, fanIn, fanOut).mul(Math.sqrt(2.0 / fanIn));
  }

  /** A zero bias of length {@code n}. */
  public static Tensor zeros(DType dtype, int n) {
    return Tensor.zeros(dtype, n);
  }

  private static void check(String what, Random rng, int fanIn, int fanOut) {
    Objects.requireNonNull(rng, what + ": rng");
    if (fanIn <= 0 || fanOut <= 0) {
      throw new IllegalArgumentException(what + ": fanIn and fanOut must be positive, got "
          + fanIn + " and " + fanOut);
    }
  }
}
