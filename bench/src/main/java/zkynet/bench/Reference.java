package zkynet.bench;

import zkynet.bench.Problems.MlpProblem;

/**
 * The workloads computed the obvious way in float64 from the same float32 inputs: what every
 * peer's numbers are checked against before it is timed. Written for clarity, not speed.
 */
final class Reference {
  private Reference() {}

  /** How Adam adds epsilon (the two formulations in use differ visibly for tiny gradients). */
  enum AdamForm {
    /** PyTorch's: p -= lr/(1-b1^t) * m / (sqrt(v/(1-b2^t)) + eps). zkynet and the plain peer. */
    PYTORCH,
    /** MXNet's, used by DJL: p -= lr*sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps). */
    MXNET
  }

  /** W1: f = (x + w) x^2, df/dx = x^2 + 2x(x + w), df/dw = x^2. */
  static Outcome w1() {
    double x = Problems.W1_X;
    double w = Problems.W1_W;
    return new Outcome((x + w) * x * x).with("x", x * x + 2 * x * (x + w)).with("w", x * x);
  }

  /** W2: sum of f over the vector x. */
  static Outcome w2(float[] xs) {
    double w = Problems.W2_W;
    double sum = 0;
    double gw = 0;
    double[] gx = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      double x = xs[i];
      sum += (x + w) * x * x;
      gx[i] = x * x + 2 * x * (x + w);
      gw += x * x;
    }
    return new Outcome(sum).with("x", gx).with("w", gw);
  }

  /** W4: {@code layers} times y = tanh(A y + B), loss = sum(y), gradient with respect to x. */
  static Outcome w4(float[] xs, int layers) {
    int n = xs.length;
    double[][] y = new double[layers + 1][n];
    for (int i = 0; i < n; i++) {
      y[0][i] = xs[i];
    }
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < n; i++) {
        y[l + 1][i] = Math.tanh((double) Problems.W4_A * y[l][i] + Problems.W4_B);
      }
    }
    double loss = 0;
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      loss += y[layers][i];
      g[i] = 1;
    }
    for (int l = layers; l > 0; l--) {
      for (int i = 0; i < n; i++) {
        g[i] *= (1 - y[l][i] * y[l][i]) * Problems.W4_A;
      }
    }
    return new Outcome(loss).with("x", g);
  }

  /** The parameters before any step, in the layout of {@link #mlp}'s result (value NaN). */
  static Outcome initialParameters(MlpProblem p) {
    Outcome o = new Outcome(Double.NaN);
    for (int l = 0; l < p.layers(); l++) {
      o.with("w" + l, p.w()[l]).with("b" + l, p.b()[l]);
    }
    return o;
  }

  /**
   * W3 and D: {@code steps} training steps on the problem's batch. The value is the loss computed
   * in the last step (before its update), the arrays are the parameters after the last update.
   */
  static Outcome mlp(MlpProblem p, int steps, AdamForm form) {
    int layers = p.layers();
    int n = p.batch();
    double[][] w = new double[layers][];
    double[][] b = new double[layers][];
    Outcome init = initialParameters(p);
    for (int l = 0; l < layers; l++) {
      w[l] = init.arrays.get("w" + l).clone();
      b[l] = init.arrays.get("b" + l).clone();
    }
    double[][][] moments = new double[4][layers][]; // Adam's m and v of w and b
    double loss = 0;
    for (int t = 1; t <= steps; t++) {
      double[][] a = new double[layers + 1][];
      a[0] = Outcome.widen(p.x());
      for (int l = 0; l < layers; l++) {
        double[] z = matmul(a[l], false, w[l], false, n, p.out(l), p.in(l));
        for (int i = 0; i < z.length; i++) {
          z[i] += b[l][i % p.out(l)];
          if (l + 1 < layers) {
            z[i] = p.activation() == Problems.Activation.TANH ? Math.tanh(z[i]) : Math.max(z[i], 0);
          }
        }
        a[l + 1] = z;
      }
      // softmax cross-entropy, mean over the batch, and its gradient (softmax - onehot) / n
      int c = p.sizes()[layers];
      double[] g = new double[n * c];
      loss = 0;
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
          max = Math.max(max, a[layers][i * c + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
          sum += Math.exp(a[layers][i * c + j] - max);
        }
        loss += Math.log(sum) + max - a[layers][i * c + p.labels()[i]];
        for (int j = 0; j < c; j++) {
          double softmax = Math.exp(a[layers][i * c + j] - max) / sum;
          g[i * c + j] = (softmax - (j == p.labels()[i] ? 1 : 0)) / n;
        }
      }
      loss /= n;
      for (int l = layers - 1; l >= 0; l--) {
        double[] gw = matmul(a[l], true, g, false, p.in(l), p.out(l), n);
        double[] gb = new double[p.out(l)];
        for (int i = 0; i < g.length; i++) {
          gb[i % p.out(l)] += g[i];
        }
        if (l > 0) {
          double[] da = matmul(g, false, w[l], true, n, p.in(l), p.out(l));
          for (int i = 0; i < da.length; i++) {
            double y = a[l][i];
            da[i] *= p.activation() == Problems.Activation.TANH ? 1 - y * y : (y > 0 ? 1 : 0);
          }
          g = da;
        }
        update(p, form, t, w[l], gw, moments, 0, l);
        update(p, form, t, b[l], gb, moments, 2, l);
      }
    }
    Outcome o = new Outcome(loss);
    for (int l = 0; l < layers; l++) {
      o.with("w" + l, w[l]).with("b" + l, b[l]);
    }
    return o;
  }

  private static void update(MlpProblem p, AdamForm form, int t, double[] param, double[] grad,
      double[][][] moments, int slot, int layer) {
    Problems.Optim o = p.optim();
    if (!o.adam()) {
      for (int i = 0; i < param.length; i++) {
        param[i] -= o.lr() * grad[i];
      }
      return;
    }
    if (moments[slot][layer] == null) {
      moments[slot][layer] = new double[param.length];
      moments[slot + 1][layer] = new double[param.length];
    }
    double[] m = moments[slot][layer];
    double[] v = moments[slot + 1][layer];
    double bc1 = 1 - Math.pow(o.beta1(), t);
    double bc2 = 1 - Math.pow(o.beta2(), t);
    for (int i = 0; i < param.length; i++) {
      m[i] = o.beta1() * m[i] + (1 - o.beta1()) * grad[i];
      v[i] = o.beta2() * v[i] + (1 - o.beta2()) * grad[i] * grad[i];
      param[i] -= form == AdamForm.PYTORCH
          ? o.lr() / bc1 * m[i] / (Math.sqrt(v[i] / bc2) + o.eps())
          : o.lr() * Math.sqrt(bc2) / bc1 * m[i] / (Math.sqrt(v[i]) + o.eps());
    }
  }

  /**
   * The GEMM-only limit's chain for W3's shapes: the 8 products of a step of the same MLP with
   * identity activations and loss 0.5 |logits|^2 (so the logits are their own gradient), no update.
   * Forward z1 = x w0, z2 = z1 w1, z3 = z2 w2; backward dw2 = z2' z3, d2 = z3 w2', dw1 = z1' d2,
   * d1 = d2 w1', dw0 = x' d1.
   */
  static Outcome gemmChain(MlpProblem p) {
    int n = p.batch();
    double[] x = Outcome.widen(p.x());
    double[][] w = new double[3][];
    for (int l = 0; l < 3; l++) {
      w[l] = Outcome.widen(p.w()[l]);
    }
    double[] z1 = matmul(x, false, w[0], false, n, p.out(0), p.in(0));
    double[] z2 = matmul(z1, false, w[1], false, n, p.out(1), p.in(1));
    double[] z3 = matmul(z2, false, w[2], false, n, p.out(2), p.in(2));
    double[] dw2 = matmul(z2, true, z3, false, p.in(2), p.out(2), n);
    double[] d2 = matmul(z3, false, w[2], true, n, p.in(2), p.out(2));
    double[] dw1 = matmul(z1, true, d2, false, p.in(1), p.out(1), n);
    double[] d1 = matmul(d2, false, w[1], true, n, p.in(1), p.out(1));
    double[] dw0 = matmul(x, true, d1, false, p.in(0), p.out(0), n);
    return new Outcome(Double.NaN).with("z1", z1).with("z2", z2).with("z3", z3).with("dw2", dw2)
        .with("d2", d2).with("dw1", dw1).with("d1", d1).with("dw0", dw0);
  }

  /** Row-major C[m, n] = op(A) op(B) with op(A) [m, k] and op(B) [k, n]. */
  static double[] matmul(double[] a, boolean transA, double[] b, boolean transB, int m, int n, int k) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double aip = transA ? a[p * m + i] : a[i * k + p];
        for (int j = 0; j < n; j++) {
          c[i * n + j] += aip * (transB ? b[j * k + p] : b[p * n + j]);
        }
      }
    }
    return c;
  }
}
