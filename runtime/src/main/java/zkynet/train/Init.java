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
 *   <li>Orthogonal (Saxe et al., 2014), for recurrent weights: rows or columns orthonormal.
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

  /** {@link #orthogonal(Random, DType, int, int, double)} with gain 1. */
  public static Tensor orthogonal(Random rng, DType dtype, int rows, int cols) {
    return orthogonal(rng, dtype, rows, cols, 1);
  }

  /**
   * A {@code [rows, cols]} matrix with orthonormal columns (rows >= cols) or orthonormal rows (rows
   * < cols), times {@code gain}, as PyTorch's {@code nn.init.orthogonal_}: the Q of the QR
   * decomposition of a standard Gaussian matrix (drawn from {@code rng}, computed in double with
   * Householder reflections), each column multiplied by the sign of R's diagonal entry so that the
   * result is uniformly distributed over orthogonal matrices.
   */
  public static Tensor orthogonal(Random rng, DType dtype, int rows, int cols, double gain) {
    check("orthogonal", rng, rows, cols);
    int m = Math.max(rows, cols);
    int n = Math.min(rows, cols);
    double[][] a = new double[m][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = rng.nextGaussian();
      }
    }
    double[][] q = Householder.signCorrectedQ(a);
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = gain * (rows >= cols ? q[i][j] : q[j][i]);
      }
    }
    return Tensor.of(out, dtype, rows, cols);
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
