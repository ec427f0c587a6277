package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.meanAxis;
import static zkynet.BuiltinsOps.reshape;
import static zkynet.BuiltinsOps.tanh;
import static zkynet.fusion.FusedLayersOps.biasTanh;
import static zkynet.fusion.FusedLayersOps.tanhLayer;
import static zkynet.fusion.KeptRowLayersOps.rowDotKept;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zkynet.Anomaly;
import zkynet.Buffer;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.backend.jvm.ArrayPool;
import zkynet.nn.BatchNorm1d;
import zkynet.nn.Conv2d;
import zkynet.nn.Dropout;
import zkynet.nn.Flatten;
import zkynet.nn.GRU;
import zkynet.nn.LayerNorm;
import zkynet.nn.MaxPool2d;

/**
 * Training with every graph closed (so each step's kernels run on arrays recycled from the step
 * before, NaN-poisoned when given back) reaches the very same bits as training with no close:
 * losses, parameters, optimizer state and buffers, for each built-in optimizer, including the
 * states that alias a gradient (SGD's velocity on its first step), and for an optimizer that reads
 * gradients the public (pinned) way (a subclass of Adam defined here, not one of zkynet's own
 * classes). Shapes are 64 x 128, so the arrays are pooled.
 */
class RecyclingTrainingTest {
  static final int STEPS = 30;
  static final int BATCH = 64;
  static final int IN = 128;
  static final int HIDDEN = 128;
  static final int OUT = 64;

  /** 128-128-128-64 with tanh between the layers. */
  @Module
  static class Mlp extends Zk_RecyclingTrainingTest_Mlp {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;
    final Parameter w3;
    final Parameter b3;

    Mlp(long seed) {
      Random rng = new Random(seed);
      w1 = parameter(weight(rng, IN, HIDDEN));
      b1 = parameter(bias(rng, HIDDEN));
      w2 = parameter(weight(rng, HIDDEN, HIDDEN));
      b2 = parameter(bias(rng, HIDDEN));
      w3 = parameter(weight(rng, HIDDEN, OUT));
      b3 = parameter(bias(rng, OUT));
    }

    Node call(Node x) {
      Node h1 = tanh(add(matmul(x, w1), b1));
      Node h2 = tanh(add(matmul(h1, w2), b2));
      return add(matmul(h2, w3), b3);
    }
  }

  /** x w1, BatchNorm1d, tanh, w2, LayerNorm, tanh, w3: buffers updated in the forward pass. */
  @Module
  static class NormMlp extends Zk_RecyclingTrainingTest_NormMlp {
    final Parameter w1;
    final Parameter w2;
    final Parameter w3;
    final BatchNorm1d bn;
    final LayerNorm ln;

    NormMlp(long seed) {
      Random rng = new Random(seed);
      w1 = parameter(weight(rng, IN, HIDDEN));
      w2 = parameter(weight(rng, HIDDEN, HIDDEN));
      w3 = parameter(weight(rng, HIDDEN, OUT));
      bn = new BatchNorm1d(HIDDEN, DType.FLOAT32);
      ln = new LayerNorm(HIDDEN, DType.FLOAT32);
    }

    Node call(Node x) {
      Node h = tanh(bn.apply(matmul(x, w1)));
      return matmul(tanh(ln.apply(matmul(h, w2))), w3);
    }
  }

  /** Layers whose operator bodies fuse into one loop each (forward and backward). */
  @Module
  static class FusedMlp extends Zk_RecyclingTrainingTest_FusedMlp {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter w3;
    final Parameter v;

    FusedMlp(long seed) {
      Random rng = new Random(seed);
      w1 = parameter(weight(rng, IN, HIDDEN));
      b1 = parameter(bias(rng, HIDDEN));
      w2 = parameter(weight(rng, HIDDEN, HIDDEN));
      w3 = parameter(weight(rng, HIDDEN, OUT));
      v = parameter(bias(rng, HIDDEN));
    }

    Node call(Node x) {
      Node h1 = biasTanh(matmul(x, w1), b1, 1.0);
      Node h2 = tanhLayer(matmul(h1, w2), 0.7, 0.1);
      return add(matmul(h2, w3), rowDotKept(h2, v)); // [64, 64] + [64, 1]
    }
  }

  /** The rows as 2 x 8 x 8 images: 3x3 convolution, tanh, 2x2 max pooling, flatten, dropout, dense. */
  @Module
  static class ConvNet extends Zk_RecyclingTrainingTest_ConvNet {
    final Conv2d conv;
    final MaxPool2d pool;
    final Flatten flatten;
    final Dropout dropout;
    final Parameter w;

    ConvNet(long seed) {
      Random rng = new Random(seed);
      int[] one = {1, 1};
      conv = new Conv2d(rng, DType.FLOAT32, 2, 8, new int[] {3, 3}, one, one, one, true);
      pool = new MaxPool2d(2);
      flatten = new Flatten();
      dropout = new Dropout(0.2, seed);
      w = parameter(weight(rng, 8 * 4 * 4, OUT));
    }

    Node call(Node x) {
      Node images = reshape(x, new int[] {BATCH, 2, 8, 8});
      Node h = tanh(conv.apply(images)); // [64, 8, 8, 8]
      return matmul(dropout.apply(flatten.apply(pool.apply(h))), w);
    }
  }

  /** The rows as 8 steps of 16 features through a GRU of 64, averaged over time. */
  @Module
  static class SeqNet extends Zk_RecyclingTrainingTest_SeqNet {
    final GRU gru;

    SeqNet(long seed) {
      gru = new GRU(new Random(seed), DType.FLOAT32, 16, OUT);
    }

    Node call(Node x) {
      return meanAxis(gru.apply(reshape(x, new int[] {BATCH, 8, 16})), 1); // [64, 8, 64] -> [64, 64]
    }
  }

  static Tensor weight(Random rng, int in, int out) {
    return Tensor.randn(rng, DType.FLOAT32, in, out).mul(1 / Math.sqrt(in));
  }

  static Tensor bias(Random rng, int size) {
    return Tensor.randn(rng, DType.FLOAT32, size).mul(0.1);
  }

  static final List<Tensor[]> BATCHES = batches(6);

  static List<Tensor[]> batches(int n) {
    Random rng = new Random(5);
    List<Tensor[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Tensor[] {Tensor.randn(rng, DType.FLOAT32, BATCH, IN),
          Tensor.randn(rng, DType.FLOAT32, BATCH, OUT)});
    }
    return out;
  }

  static Map<String, Function<ModuleBase, Optimizer>> optimizers() {
    Map<String, Function<ModuleBase, Optimizer>> m = new LinkedHashMap<>();
    m.put("sgd", model -> new Sgd(model, 0.05));
    // The velocity is the gradient itself after the first step: it must be kept from recycling.
    m.put("sgd momentum", model -> new Sgd(model, 0.05, 0.9));
    m.put("sgd nesterov, weight decay", model -> new Sgd(model, 0.05, 0.9).nesterov(true).weightDecay(1e-3));
    m.put("adam beta1=0", model -> new Adam(model, 1e-3, 0.0, 0.999, 1e-8));
    m.put("adam, clipped", model -> new Adam(model, 1e-3).clipGradientNorm(0.5));
    m.put("adamw", model -> new AdamW(model, 1e-3));
    m.put("a subclass of adam (pinned gradients)", model -> new Adam(model, 1e-3) {});
    m.put("rmsprop", model -> new RmsProp(model, 1e-3));
    m.put("rmsprop centered, momentum", model -> new RmsProp(model, 1e-3, 0.9, 1e-8, 0.5, true));
    return m;
  }

  static Stream<Arguments> cases() {
    Map<String, LongFunction<ModuleBase>> models = new LinkedHashMap<>();
    models.put("mlp", Mlp::new);
    models.put("batchnorm+layernorm", NormMlp::new);
    models.put("fused layers", FusedMlp::new);
    models.put("conv, pool, dropout", ConvNet::new);
    models.put("gru", SeqNet::new);
    // The first two models with every optimizer; the others (slower steps) with those whose state
    // or gradient reading differ most: an aliased velocity, beta1 = 0, pinned gradients, centered.
    List<String> few = List.of("sgd momentum", "adam beta1=0", "a subclass of adam (pinned gradients)",
        "rmsprop centered, momentum");
    List<Arguments> out = new ArrayList<>();
    int k = 0;
    for (Map.Entry<String, LongFunction<ModuleBase>> model : models.entrySet()) {
      boolean all = k++ < 2;
      optimizers().forEach((opt, optimizer) -> {
        if (all || few.contains(opt)) {
          out.add(Arguments.of(model.getKey() + ", " + opt, model.getValue(), optimizer));
        }
      });
    }
    return out.stream();
  }

  /** Bits of every value of a run: losses, parameters, optimizer state, buffers, in order. */
  record Run(long[] losses, Map<String, long[]> values, long reused, long given) {}

  static Run train(ModuleBase model, Optimizer optimizer, boolean close) {
    MseLoss loss = new MseLoss(model);
    long[] losses = new long[STEPS];
    long reused = ArrayPool.reused();
    long given = ArrayPool.given();
    for (int s = 0; s < STEPS; s++) {
      Tensor[] batch = BATCHES.get(s % BATCHES.size());
      ModuleGraph g = loss.apply(batch[0], batch[1]);
      losses[s] = Double.doubleToRawLongBits(g.value().item());
      g.backParameters();
      optimizer.step(g);
      if (close) {
        g.close();
      }
    }
    Map<String, long[]> values = new LinkedHashMap<>();
    model.namedParameters().forEach((name, p) -> values.put("parameter " + name, bits(p.value())));
    optimizer.state().forEach((name, t) -> values.put("state " + name, bits(t)));
    model.namedBuffers().forEach((name, b) -> values.put("buffer " + name, bits(b.value())));
    return new Run(losses, values, ArrayPool.reused() - reused, ArrayPool.given() - given);
  }

  static long[] bits(Tensor t) {
    double[] v = t.toDoubleArray();
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = t.dtype() == DType.FLOAT32 ? Float.floatToRawIntBits((float) v[i])
          : Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }

  static void assertSameBits(Run want, Run got, String what) {
    assertArrayEquals(want.losses(), got.losses(), what + ": losses");
    assertEquals(want.values().keySet(), got.values().keySet(), what);
    want.values().forEach((name, bits) ->
        assertArrayEquals(bits, got.values().get(name), what + ": " + name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void closingEveryStepTrainsBitForBitLikeNeverClosing(String what, LongFunction<ModuleBase> model,
      Function<ModuleBase, Optimizer> optimizer) {
    ModuleBase open = model.apply(3);
    Run want = train(open, optimizer.apply(open), false);
    ModuleBase closed = model.apply(3);
    Run got = train(closed, optimizer.apply(closed), true);
    assertSameBits(want, got, what);
    assertTrue(got.given() > 0 && got.reused() > 0, what + ": recycling happened (given "
        + got.given() + ", reused " + got.reused() + ")");
    double first = Double.longBitsToDouble(got.losses()[0]);
    double last = Double.longBitsToDouble(got.losses()[STEPS - 1]);
    assertTrue(Double.isFinite(last) && last < first, what + ": the loss went down, " + first
        + " -> " + last);
    if (closed instanceof NormMlp n) {
      assertTrue(n.namedBuffers().values().stream().map(Buffer::value)
          .allMatch(b -> b.size() == HIDDEN), "BatchNorm1d's buffers");
    }
  }

  @Test
  void closedStepsUnderAnomalyDetectionGiveTheSameBits() {
    Mlp open = new Mlp(6);
    Run want = train(open, new Adam(open, 1e-3), false);
    Mlp closed = new Mlp(6);
    Run got;
    try (Anomaly detecting = Anomaly.detect()) {
      got = train(closed, new Adam(closed, 1e-3), true);
    }
    assertSameBits(want, got, "under anomaly detection");
    assertTrue(got.given() > 0 && got.reused() > 0);
  }

  /** Regression rows: targets a fixed tanh map of the features plus noise. */
  static Dataset regression(long seed, int rows) {
    Random rng = new Random(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT32, rows, IN);
    Tensor map = weight(rng, IN, OUT);
    Tensor y = x.matmul(map).tanh().add(Tensor.randn(rng, DType.FLOAT32, rows, OUT).mul(0.05));
    return new Dataset(x, y);
  }

  @Test
  void trainerFitMatchesAManualLoopThatNeverCloses() {
    Dataset data = regression(9, 4 * BATCH + 17);
    int epochs = 3;
    long seed = 12;

    Mlp manual = new Mlp(4);
    Optimizer manualOpt = new Adam(manual, 3e-3);
    MseLoss manualLoss = new MseLoss(manual);
    List<Double> want = new ArrayList<>();
    Random rng = new Random(seed);
    for (int e = 0; e < epochs; e++) {
      for (Dataset.Batch b : data.shuffledBatches(BATCH, rng)) {
        ModuleGraph g = manualLoss.apply(b.x(), b.y());
        want.add(g.value().item());
        g.backParameters();
        manualOpt.step(g);
      }
    }

    Mlp model = new Mlp(4);
    MseLoss loss = new MseLoss(model);
    long reused = ArrayPool.reused();
    History h = new Trainer(model, new Adam(model, 3e-3)).epochs(epochs).batchSize(BATCH).seed(seed)
        .progress(Progress.quiet())
        .fit(data, b -> loss.apply(b.x(), b.y()));
    assertTrue(ArrayPool.reused() > reused, "the trainer's closed graphs were recycled");
    assertEquals(want, h.batchLosses(), "the trainer's losses, batch by batch");
    assertEquals(epochs * 5, h.batchLosses().size());
    assertTrue(h.last().loss() < h.epochs().get(0).loss(), "the loss goes down");
    for (Map.Entry<String, Parameter> p : manual.namedParameters().entrySet()) {
      assertArrayEquals(bits(p.getValue().value()), bits(model.param(p.getKey()).value()), p.getKey());
    }
  }
}
