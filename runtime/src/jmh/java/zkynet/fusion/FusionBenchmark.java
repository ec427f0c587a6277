package zkynet.fusion;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;
import zkynet.backend.jvm.Fused;

/**
 * Fused loops against the op-by-op code of the same user operators ({@link FusedLayers}), called
 * directly (no graph, no session): W2 ({@code sum((x + w) * x^2)}, x 1e6 floats, w rank 0, value and
 * both gradients) and W4 (1000 layers of {@code tanh(1.01 y + 0.1)} on a 1000-vector, loss = sum,
 * gradient of x), plus a bias layer {@code tanh(x + b)} broadcasting b [1000] over x [1000, 1000]
 * and a row variance {@code mean((x - m)^2, -1)} closed by a mean over the last axis, the built-in
 * {@code softmax}, {@code logSoftmax} and {@code normalizeLast} of x [1000, 1000] (regions reading
 * a per-row [1000, 1] statistic), and a dense layer
 * {@code tanh(x w + b)} ({@link RegionLayers#dense}) whose body fuses region by region: the product
 * stays a call, {@code add(b).tanh()} is one loop each way.
 * Sample mode, so that JMH prints the median (p0.50) and the minimum (p0.00). Run with
 * {@code mvn -B -Pjmh -pl runtime -am -DskipTests verify -Djmh.args=FusionBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FusionBenchmark {
  /** {@code true}: the fused loops; {@code false}: the same operators op by op ({@link Fused#opByOp}). */
  @Param({"true", "false"})
  public boolean fused;

  private Tensor x;
  private Tensor w;
  private Tensor y;
  private Tensor batch;
  private Tensor bias;
  private Tensor one;
  private Tensor denseX;
  private Tensor denseW;
  private Tensor denseB;
  private Tensor wideX;
  private Tensor wideW;
  private Tensor longRows;
  private Tensor longBias;

  @Setup
  public void setUp() {
    Random rng = new Random(1);
    x = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 1_000_000);
    w = Tensor.of(0.5f);
    y = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 1000);
    batch = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 1000, 1000);
    bias = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 1000);
    one = Tensor.of(1f);
    denseX = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 128, 784);
    denseW = Tensor.uniform(rng, -0.05, 0.05, DType.FLOAT32, 784, 256);
    denseB = Tensor.uniform(rng, -0.1, 0.1, DType.FLOAT32, 256);
    wideX = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 4096, 16);
    wideW = Tensor.uniform(rng, -0.5, 0.5, DType.FLOAT32, 16, 256);
    longRows = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 64, 16384);
    longBias = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 16384);
  }

  private <T> T run(Supplier<T> work) {
    return fused ? work.get() : Fused.opByOp(work);
  }

  @Benchmark
  public Tensor[] w2UserOperator() {
    return run(() -> new FusedLayersOps.CubicSum(x, w).backward(one, Differentiable.all(2)));
  }

  /** {@code tanh(1.5 x + b)}, x [1000, 1000], the bias b [1000] broadcast over the rows; both gradients. */
  @Benchmark
  public Tensor[] biasTanh() {
    return run(() -> {
      Differentiable d = new FusedLayersOps.BiasTanh(batch, bias, 1.5);
      return d.backward(d.output(), Differentiable.all(2));
    });
  }

  /** {@code mean((x - m)^2, -1)}, x [1000, 1000], m [1000] broadcast over the rows; both gradients. */
  @Benchmark
  public Tensor[] rowVariance() {
    return run(() -> {
      Differentiable d = new FusedLayersOps.RowVariance(batch, bias);
      return d.backward(d.output(), Differentiable.all(2));
    });
  }

  /**
   * {@code mean((x - m)^2, -1)} over long rows, x [64, 16384], m [16384] (whole blocks inside a row);
   * both gradients.
   */
  @Benchmark
  public Tensor[] rowVarianceLongRows() {
    return run(() -> {
      Differentiable d = new FusedLayersOps.RowVariance(longRows, longBias);
      return d.backward(d.output(), Differentiable.all(2));
    });
  }

  /**
   * The built-in {@code softmax} over the last axis of x [1000, 1000] and its gradient: its region
   * {@code sub, exp} reads the row maximum [1000, 1] broadcast over the rows' elements.
   */
  @Benchmark
  public Tensor[] softmax() {
    return run(() -> {
      Differentiable d = new zkynet.BuiltinsOps.Softmax(batch);
      return d.backward(d.output(), Differentiable.all(1));
    });
  }

  /** The built-in {@code logSoftmax} over the last axis of x [1000, 1000] (region {@code log, sub}) and its gradient. */
  @Benchmark
  public Tensor[] logSoftmax() {
    return run(() -> {
      Differentiable d = new zkynet.BuiltinsOps.LogSoftmax(batch);
      return d.backward(d.output(), Differentiable.all(1));
    });
  }

  /** {@code zkynet.nn.Functional.normalizeLast} of x [1000, 1000] ({@code (x - mean) / sqrt(var + eps)} per row) and its gradient. */
  @Benchmark
  public Tensor[] normalizeLast() {
    return run(() -> {
      Differentiable d = new zkynet.nn.FunctionalOps.NormalizeLast(batch, 1e-5);
      return d.backward(d.output(), Differentiable.all(1));
    });
  }

  /**
   * A dense layer {@code tanh(x w + b)}, x [128, 784], w [784, 256], b [256] as one user operator:
   * the product, then its fused region (bias and tanh); the three gradients.
   */
  @Benchmark
  public Tensor[] denseLayer() {
    return run(() -> {
      Differentiable d = new RegionLayersOps.Dense(denseX, denseW, denseB);
      return d.backward(d.output(), Differentiable.all(3));
    });
  }

  /**
   * The same layer where the elementwise work is most of it: x [4096, 16], w [16, 256], b [256] (an
   * output of 1M elements from a product of 17 MFLOP).
   */
  @Benchmark
  public Tensor[] denseLayerWide() {
    return run(() -> {
      Differentiable d = new RegionLayersOps.Dense(wideX, wideW, denseB);
      return d.backward(d.output(), Differentiable.all(3));
    });
  }

  /**
   * The floor for W2: the value and both gradients by hand, one loop each way on plain arrays and
   * one thread (the same work as the fused loops, without the tensors or the threads).
   */
  @Benchmark
  public float[] w2HandWritten() {
    float[] xs = Fused.floats(x);
    float wv = Fused.scalar(w);
    double total = 0;
    for (float v : xs) {
      total += (v + wv) * v * v;
    }
    float[] gx = new float[xs.length];
    double gw = 0;
    for (int i = 0; i < xs.length; i++) {
      float v = xs[i];
      gx[i] = 3 * v * v + 2 * wv * v;
      gw += v * v;
    }
    return new float[] {(float) total, (float) gw, gx[0]};
  }

  @Benchmark
  public Tensor w4UserOperator() {
    return run(() -> {
      Differentiable[] layers = new Differentiable[1000];
      Tensor h = y;
      for (int i = 0; i < layers.length; i++) {
        layers[i] = new FusedLayersOps.TanhLayer(h, 1.01, 0.1);
        h = layers[i].output();
      }
      Tensor g = Tensor.ones(DType.FLOAT32, 1000); // d sum / d output
      boolean[] all = Differentiable.all(1);
      for (int i = layers.length - 1; i >= 0; i--) {
        g = layers[i].backward(g, all)[0];
      }
      return g;
    });
  }
}
