package zkynet.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import zkynet.bench.Problems.Activation;
import zkynet.bench.Problems.MlpProblem;

/**
 * Peer (b): the plain-Java floor: derivatives worked out by hand, work fused into as few loops
 * as C2 still vectorises, no framework and no data allocated per run. Matrix products go through {@link Blas} (as zkynet's
 * own GEMM does), so data that meets a GEMM lives in direct buffers. W2 splits its vector over the
 * benchmark's threads; the other workloads use one thread besides BLAS's.
 */
final class PlainPeer implements Peer {
  private final int threads;
  private final ExecutorService pool;

  PlainPeer(int threads) {
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "plain-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * tanh for float32 as Eigen's rational approximation ({@code generic_fast_tanh_float}): a few
   * ulp of error (the checks compare with float64 {@code Math.tanh}), and C2 vectorises it, unlike
   * {@code Math.tanh}.
   */
  static float tanh(float x) {
    float c = 7.90531110763549805f; // beyond this, tanh(x) rounds to +-1 in float
    x = Math.max(-c, Math.min(c, x));
    float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return x * p / q;
  }

  @Override
  public Step w1() {
    return new Step() {
      volatile float x = Problems.W1_X; // volatile: read afresh on every run
      volatile float w = Problems.W1_W;
      float value;
      float gx;
      float gw;

      @Override
      public double run() {
        float x = this.x;
        float a = x + this.w;
        float x2 = x * x;
        value = a * x2;
        gx = x2 + 2 * x * a; // d/dx (a x^2) with a = x + w
        gw = x2;
        return value + gx + gw;
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx).with("w", gw);
      }
    };
  }

  @Override
  public Step w2(float[] x) {
    float w = Problems.W2_W;
    float[] gx = new float[x.length];
    return new Step() {
      double value;
      double gw;

      @Override
      public double run() {
        // Each chunk writes its part of grad x and returns its partial sum(f) and grad w.
        double[][] partials = inParallel(x.length, (from, to) -> {
          for (int i = from; i < to; i++) { // C2 vectorises this loop, not one with sums in it
            float xi = x[i];
            gx[i] = xi * xi + 2 * xi * (xi + w); // d/dx (x + w) x^2
          }
          // The sums: blocks of up to 1024 in float with 4 independent accumulators each (no
          // dependency chain on one add), the blocks summed in double.
          double sum = 0;
          double sumW = 0;
          int i = from;
          while (i + 4 <= to) {
            int end = Math.min(to - 3, i + 1024);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, w0 = 0, w1 = 0, w2 = 0, w3 = 0;
            for (; i < end; i += 4) {
              float xa = x[i], xb = x[i + 1], xc = x[i + 2], xd = x[i + 3];
              float x2a = xa * xa, x2b = xb * xb, x2c = xc * xc, x2d = xd * xd;
              s0 += (xa + w) * x2a;
              s1 += (xb + w) * x2b;
              s2 += (xc + w) * x2c;
              s3 += (xd + w) * x2d;
              w0 += x2a;
              w1 += x2b;
              w2 += x2c;
              w3 += x2d;
            }
            sum += (s0 + s1) + (s2 + s3);
            sumW += (w0 + w1) + (w2 + w3);
          }
          for (; i < to; i++) {
            float x2 = x[i] * x[i];
            sum += (x[i] + w) * x2;
            sumW += x2;
          }
          return new double[] {sum, sumW};
        });
        value = 0;
        gw = 0;
        for (double[] p : partials) {
          value += p[0];
          gw += p[1];
        }
        return value + gw + gx[0];
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx).with("w", gw);
      }
    };
  }

  @Override
  public Step w4(float[] x, int layers) {
    int n = x.length;
    float a = Problems.W4_A;
    float b = Problems.W4_B;
    float[][] y = new float[layers + 1][n]; // every layer's output, for the backward pass
    float[] g = new float[n];
    return new Step() {
      double value;

      @Override
      public double run() {
        System.arraycopy(x, 0, y[0], 0, n);
        for (int l = 0; l < layers; l++) {
          float[] in = y[l];
          float[] out = y[l + 1];
          for (int i = 0; i < n; i++) {
            out[i] = tanh(a * in[i] + b);
          }
        }
        double sum = 0;
        float[] last = y[layers];
        for (int i = 0; i < n; i++) {
          sum += last[i];
          g[i] = 1;
        }
        for (int l = layers; l > 0; l--) {
          float[] yl = y[l];
          for (int i = 0; i < n; i++) {
            g[i] *= a * (1 - yl[i] * yl[i]);
          }
        }
        value = sum;
        return sum + g[0];
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", g.clone());
      }
    };
  }

  @Override
  public Step mlp(MlpProblem p) {
    return new MlpStep(p);
  }

  /**
   * W3 and D by hand: forward, softmax cross-entropy, backward, SGD or Adam, in place. Matrices
   * live in direct buffers for the GEMMs; the loops between GEMMs work row by row on arrays
   * (copied in bulk), because C2 (Java 17) vectorises loops over arrays indexed by the loop
   * variable, but neither loops over buffers nor loops over {@code array[offset + j]}.
   */
  private static final class MlpStep implements Step {
    private final MlpProblem p;
    private final int layers;
    private final int n;
    private final FloatBuffer[] w;
    private final FloatBuffer[] b;
    private final FloatBuffer[] a; // a[0] = x, a[l + 1] = layer l's output (a[layers] = logits)
    private final FloatBuffer[] g; // g[l] = gradient of the loss with respect to a[l]'s pre-activation
    private final FloatBuffer[] gw;
    private final FloatBuffer[] gb;
    private final float[][][][] adam; // per layer: m and v of w, m and v of b, as rows
    private final float[] row; // scratch rows, as wide as the widest layer
    private final float[] row2;
    private final float[] db;
    private int t;
    private double loss;

    MlpStep(MlpProblem p) {
      this.p = p;
      layers = p.layers();
      n = p.batch();
      w = new FloatBuffer[layers];
      b = new FloatBuffer[layers];
      a = new FloatBuffer[layers + 1];
      g = new FloatBuffer[layers + 1];
      gw = new FloatBuffer[layers];
      gb = new FloatBuffer[layers];
      adam = new float[layers][][][];
      a[0] = Blas.of(p.x());
      int widest = 0;
      for (int l = 0; l < layers; l++) {
        int in = p.in(l);
        int out = p.out(l);
        w[l] = Blas.of(p.w()[l]);
        b[l] = Blas.of(p.b()[l]);
        a[l + 1] = Blas.allocate(n * out);
        g[l + 1] = Blas.allocate(n * out);
        gw[l] = Blas.allocate(in * out);
        gb[l] = Blas.allocate(out);
        adam[l] = new float[][][] {new float[in][out], new float[in][out], new float[1][out], new float[1][out]};
        widest = Math.max(widest, Math.max(in, out));
      }
      row = new float[widest];
      row2 = new float[widest];
      db = new float[widest];
    }

    @Override
    public double run() {
      boolean tanh = p.activation() == Activation.TANH;
      for (int l = 0; l < layers; l++) {
        int out = p.out(l);
        Blas.gemm(false, false, n, out, p.in(l), a[l], w[l], a[l + 1]);
        FloatBuffer z = a[l + 1];
        float[] bias = row2;
        b[l].get(0, bias, 0, out);
        boolean hidden = l + 1 < layers;
        for (int i = 0; i < n; i++) {
          z.get(i * out, row, 0, out);
          for (int j = 0; j < out; j++) {
            float v = row[j] + bias[j];
            row[j] = !hidden ? v : tanh ? tanh(v) : Math.max(v, 0f);
          }
          z.put(i * out, row, 0, out);
        }
      }
      loss = softmaxCrossEntropy(a[layers], p.labels(), g[layers]);
      t++;
      for (int l = layers - 1; l >= 0; l--) {
        int in = p.in(l);
        int out = p.out(l);
        FloatBuffer gl = g[l + 1];
        Blas.gemm(true, false, in, out, n, a[l], gl, gw[l]);
        java.util.Arrays.fill(db, 0f);
        for (int i = 0; i < n; i++) {
          gl.get(i * out, row, 0, out);
          for (int j = 0; j < out; j++) {
            db[j] += row[j];
          }
        }
        gb[l].put(0, db, 0, out);
        if (l > 0) { // the gradient of the layer below, through its activation
          Blas.gemm(false, true, n, in, out, gl, w[l], g[l]);
          for (int i = 0; i < n; i++) {
            g[l].get(i * in, row, 0, in);
            a[l].get(i * in, row2, 0, in);
            for (int j = 0; j < in; j++) {
              float y = row2[j];
              row[j] *= tanh ? 1 - y * y : y > 0 ? 1f : 0f;
            }
            g[l].put(i * in, row, 0, in);
          }
        }
        update(w[l], gw[l], adam[l][0], adam[l][1]);
        update(b[l], gb[l], adam[l][2], adam[l][3]);
      }
      return loss;
    }

    /** Mean over rows of -log softmax(z)[label]; writes its gradient (softmax - onehot) / n to grad. */
    private double softmaxCrossEntropy(FloatBuffer z, int[] labels, FloatBuffer grad) {
      int c = z.capacity() / n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        z.get(i * c, row, 0, c);
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
          max = Math.max(max, row[j]);
        }
        float total = 0;
        for (int j = 0; j < c; j++) {
          row2[j] = (float) Math.exp(row[j] - max);
          total += row2[j];
        }
        sum += Math.log(total) + max - row[labels[i]];
        float scale = 1f / (total * n);
        for (int j = 0; j < c; j++) {
          row2[j] *= scale;
        }
        row2[labels[i]] -= 1f / n;
        grad.put(i * c, row2, 0, c);
      }
      return sum / n;
    }

    /** SGD, or Adam in PyTorch's formulation, in place, row by row (state m and v as rows). */
    private void update(FloatBuffer param, FloatBuffer grad, float[][] m, float[][] v) {
      Problems.Optim o = p.optim();
      int cols = m[0].length;
      float lr = (float) o.lr();
      float b1 = (float) o.beta1();
      float b2 = (float) o.beta2();
      float eps = (float) o.eps();
      float stepSize = (float) (o.lr() / (1 - Math.pow(o.beta1(), t)));
      float rootCorrection = (float) (1 / Math.sqrt(1 - Math.pow(o.beta2(), t)));
      for (int r = 0; r < m.length; r++) {
        param.get(r * cols, row, 0, cols);
        grad.get(r * cols, row2, 0, cols);
        if (!o.adam()) {
          for (int j = 0; j < cols; j++) {
            row[j] -= lr * row2[j];
          }
        } else {
          float[] mr = m[r];
          float[] vr = v[r];
          for (int j = 0; j < cols; j++) {
            float gj = row2[j];
            mr[j] = b1 * mr[j] + (1 - b1) * gj;
            vr[j] = b2 * vr[j] + (1 - b2) * gj * gj;
            row[j] -= stepSize * mr[j] / ((float) Math.sqrt(vr[j]) * rootCorrection + eps);
          }
        }
        param.put(r * cols, row, 0, cols);
      }
    }

    @Override
    public Outcome outcome() {
      Outcome o = new Outcome(loss);
      for (int l = 0; l < layers; l++) {
        o.with("w" + l, Blas.toArray(w[l])).with("b" + l, Blas.toArray(b[l]));
      }
      return o;
    }
  }

  private interface Chunk {
    double[] run(int from, int to);
  }

  /** Splits [0, n) into one chunk per thread and returns each chunk's result. */
  private double[][] inParallel(int n, Chunk chunk) {
    if (threads == 1) {
      return new double[][] {chunk.run(0, n)};
    }
    List<Callable<double[]>> tasks = new ArrayList<>();
    for (int c = 0; c < threads; c++) {
      int from = (int) ((long) n * c / threads);
      int to = (int) ((long) n * (c + 1) / threads);
      tasks.add(() -> chunk.run(from, to));
    }
    try {
      List<Future<double[]>> futures = pool.invokeAll(tasks);
      double[][] out = new double[threads][];
      for (int c = 0; c < threads; c++) {
        out[c] = futures.get(c).get();
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
