package zkynet.train;

import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import zkynet.Builtins;
import zkynet.BuiltinsOps;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.Differentiable;

/**
 * Value and gradient of {@code softmaxCrossEntropy} on float32 logits [rows, 10] (the MLP benchmark's
 * batch of 128, the digits demo's 64): the operator, whose two fused backend kernels run one pass each
 * ({@code fused=true}), against the chain of about 20 Tensor operations it replaced, written out here
 * ({@code fused=false}). Called directly (no graph, no session). Sample mode, so that JMH prints the
 * median (p0.50) and the minimum (p0.00). Run with {@code mvn -B -Pjmh -pl runtime -am -DskipTests
 * verify -Djmh.args=CrossEntropyBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrossEntropyBenchmark {
  @Param({"true", "false"})
  public boolean fused;

  @Param({"128", "64"})
  public int rows;

  private Tensor logits;
  private int[] labels;
  private Tensor one;

  @Setup
  public void setUp() {
    Random rng = new Random(1);
    logits = Tensor.randn(rng, DType.FLOAT32, rows, 10).mul(3.0);
    labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = rng.nextInt(10);
    }
    one = Tensor.of(1f);
  }

  /** The loss and its gradient with respect to the logits (cotangent 1). */
  @Benchmark
  public Tensor[] forwardAndBackward() {
    if (!fused) {
      return opByOp();
    }
    BuiltinsOps.SoftmaxCrossEntropy ce = new BuiltinsOps.SoftmaxCrossEntropy(logits, labels);
    return new Tensor[] {ce.output(), ce.backward(one, Differentiable.all(1))[0]};
  }

  /** The operator and its derivative as they were before the fused kernels. */
  private Tensor[] opByOp() {
    Tensor oneHot = Tensor.oneHot(labels, 10, DType.FLOAT32);
    Tensor loss = Builtins.logSoftmax(logits).mul(oneHot).sum().neg().div(rows);
    Tensor local = Builtins.softmax(logits).sub(Tensor.oneHot(labels, 10, DType.FLOAT32)).div(rows);
    return new Tensor[] {loss, one.reshape(1, 1).mul(local)};
  }
}
