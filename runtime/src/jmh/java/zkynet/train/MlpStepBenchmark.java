package zkynet.train;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.tanh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * One SGD step of an MLP 784-256-256-10 with tanh and softmax cross-entropy on a batch of 128
 * (float32): forward, backward, update. Run with {@code -prof gc} for the bytes allocated per step
 * ({@code gc.alloc.rate.norm}); see the README's "Speed" section for the command and the numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class MlpStepBenchmark {
  /** x w + b. */
  @Module
  public static class Layer extends Zk_MlpStepBenchmark_Layer {
    final Parameter w;
    final Parameter b;

    Layer(Random rng, int in, int out) {
      w = parameter(Tensor.randn(rng, DType.FLOAT32, in, out).mul(1 / Math.sqrt(in)));
      b = parameter(Tensor.zeros(DType.FLOAT32, out));
    }

    Node call(Node x) {
      return add(matmul(x, w), b);
    }
  }

  /** 784-256-256-10 with tanh between the layers. */
  @Module
  public static class Mlp extends Zk_MlpStepBenchmark_Mlp {
    final Layer l1;
    final Layer l2;
    final Layer l3;

    Mlp(Random rng) {
      l1 = new Layer(rng, 784, 256);
      l2 = new Layer(rng, 256, 256);
      l3 = new Layer(rng, 256, 10);
    }

    Node call(Node x) {
      return l3.apply(tanh(l2.apply(tanh(l1.apply(x)))));
    }
  }

  /** Whether each step closes its graph (its memory is then reused by the next step). */
  @org.openjdk.jmh.annotations.Param({"true", "false"})
  public boolean close;

  private CrossEntropyLoss loss;
  private Sgd sgd;
  private Tensor x;
  private Tensor labels;

  @Setup
  public void setUp() {
    Random rng = new Random(1);
    Mlp mlp = new Mlp(rng);
    loss = new CrossEntropyLoss(mlp);
    sgd = new Sgd(mlp, 0.01);
    x = Tensor.randn(rng, DType.FLOAT32, 128, 784);
    double[] y = new double[128];
    for (int i = 0; i < y.length; i++) {
      y[i] = rng.nextInt(10);
    }
    labels = Tensor.of(y, DType.FLOAT32, 128);
  }

  @Benchmark
  public double step() {
    ModuleGraph g = loss.applyValues(x, labels);
    double value = g.value().item();
    g.back();
    sgd.step(g);
    if (close) {
      g.close();
    }
    return value;
  }
}
