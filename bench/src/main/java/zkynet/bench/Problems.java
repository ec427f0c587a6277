package zkynet.bench;

import java.util.Random;

/**
 * The workloads' inputs, identical for every peer: sizes, constants and seeded data (float32, as
 * every peer computes in float32). Nothing here depends on a framework.
 */
final class Problems {
  private Problems() {}

  /** W1: f(x, w) = (x + w) * x^2 at x = 3, w = 1 (value 36, df/dx 33, df/dw 9). */
  static final float W1_X = 3f;
  static final float W1_W = 1f;

  /** W2: the same f on a vector x of this length, w scalar; loss = sum(f). */
  static final int W2_N = 1_000_000;
  static final float W2_W = 1f;

  /** W4: y = tanh(A * y + B), this many layers, on a vector of W4_N; loss = sum(y). */
  static final int W4_LAYERS = 1000;
  static final int W4_N = 1000;
  static final float W4_A = 1.01f;
  static final float W4_B = 0.1f;
  /** W4's backward is also checked at this depth: after 1000 layers the gradient underflows to 0. */
  static final int W4_CHECK_LAYERS = 8;

  static float[] w2x() {
    return uniform(new Random(2), W2_N, -2, 2);
  }

  static float[] w4x() {
    return uniform(new Random(4), W4_N, -1, 1);
  }

  /** W3: MLP 784-256-256-10, tanh, softmax cross-entropy, batch 128, one SGD step (lr 0.1). */
  static MlpProblem w3() {
    Random rng = new Random(3);
    int[] sizes = {784, 256, 256, 10};
    int batch = 128;
    float[] x = uniform(rng, batch * sizes[0], 0, 1); // pixel-like inputs
    return MlpProblem.create(rng, sizes, Activation.TANH, batch, x, Optim.sgd(0.1));
  }

  /** D: the digits MLP 64-256-10, ReLU, softmax cross-entropy, batch 64, one Adam step (lr 0.003). */
  static MlpProblem digits() {
    Random rng = new Random(5);
    int[] sizes = {64, 256, 10};
    int batch = 64;
    float[] x = gaussian(rng, batch * sizes[0]); // standardised inputs
    return MlpProblem.create(rng, sizes, Activation.RELU, batch, x, Optim.adam(0.003));
  }

  enum Activation { TANH, RELU }

  /** SGD (beta1 unused) or Adam with PyTorch's defaults for the betas and epsilon. */
  record Optim(boolean adam, double lr, double beta1, double beta2, double eps) {
    static Optim sgd(double lr) {
      return new Optim(false, lr, 0, 0, 0);
    }

    static Optim adam(double lr) {
      return new Optim(true, lr, 0.9, 0.999, 1e-8);
    }
  }

  /**
   * A dense MLP training step: layer l maps sizes[l] to sizes[l+1] as {@code x w + b}, with
   * {@code w[l]} row-major {@code [sizes[l], sizes[l+1]]}; the activation follows every layer but
   * the last; the loss is the softmax cross-entropy of the logits against {@code labels}, averaged
   * over the batch. {@code x} is row-major {@code [batch, sizes[0]]}.
   */
  record MlpProblem(int[] sizes, Activation activation, int batch, float[] x, int[] labels,
      float[][] w, float[][] b, Optim optim) {

    static MlpProblem create(Random rng, int[] sizes, Activation act, int batch, float[] x, Optim optim) {
      int layers = sizes.length - 1;
      float[][] w = new float[layers][];
      float[][] b = new float[layers][];
      for (int l = 0; l < layers; l++) {
        int in = sizes[l];
        int out = sizes[l + 1];
        boolean he = act == Activation.RELU && l + 1 < layers;
        double a = Math.sqrt(6.0 / (he ? in : in + out)); // He or Xavier/Glorot uniform
        w[l] = uniform(rng, in * out, -a, a);
        b[l] = uniform(rng, out, -0.1, 0.1); // non-zero, so that a wrong bias gradient shows
      }
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        labels[i] = rng.nextInt(sizes[layers]);
      }
      return new MlpProblem(sizes, act, batch, x, labels, w, b, optim);
    }

    int layers() {
      return sizes.length - 1;
    }

    int in(int layer) {
      return sizes[layer];
    }

    int out(int layer) {
      return sizes[layer + 1];
    }
  }

  static float[] uniform(Random rng, int n, double low, double high) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (low + (high - low) * rng.nextDouble());
    }
    return a;
  }

  static float[] gaussian(Random rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }
}
