package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.tanh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.io.CheckpointException;
import zkynet.io.Checkpoints;

/**
 * Save, load and continue gives the parameters of an uninterrupted run bit for bit, for every
 * optimizer, with a schedule and clipping; a checkpoint that does not fit the optimizer is refused
 * with module and optimizer unchanged.
 */
class ResumeTest {
  @TempDir Path dir;

  /** A 3-4-2 tanh MLP, float32, initialised from a seeded Random. */
  @Module
  static class Mlp extends Zk_ResumeTest_Mlp {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;

    Mlp(long seed) {
      Random rng = new Random(seed);
      w1 = parameter(Tensor.randn(rng, DType.FLOAT32, 3, 4));
      b1 = parameter(Tensor.randn(rng, DType.FLOAT32, 4));
      w2 = parameter(Tensor.randn(rng, DType.FLOAT32, 4, 2));
      b2 = parameter(Tensor.randn(rng, DType.FLOAT32, 2));
    }

    Node call(Node x) {
      return add(matmul(tanh(add(matmul(x, w1), b1)), w2), b2);
    }
  }

  private static final int STEPS = 8;
  private static final int SAVE_AFTER = 3;
  private static final List<Tensor[]> BATCHES = batches();

  private static List<Tensor[]> batches() {
    Random rng = new Random(11);
    List<Tensor[]> out = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      out.add(new Tensor[] {Tensor.randn(rng, DType.FLOAT32, 5, 3), Tensor.randn(rng, DType.FLOAT32, 5, 2)});
    }
    return out;
  }

  private static final Map<String, Function<ModuleBase, Optimizer>> OPTIMIZERS = optimizers();

  private static Map<String, Function<ModuleBase, Optimizer>> optimizers() {
    Map<String, Function<ModuleBase, Optimizer>> m = new LinkedHashMap<>();
    m.put("sgd", model -> new Sgd(model, 0.1, 0.9).weightDecay(1e-3).nesterov(true));
    m.put("adam", model -> new Adam(model, 0.01).weightDecay(1e-2));
    m.put("adamw", model -> new AdamW(model, 0.01));
    m.put("rmsprop", model -> new RmsProp(model, 0.01, 0.9, 1e-8, 0.5, true).weightDecay(1e-3));
    return m;
  }

  private static Optimizer configured(String name, ModuleBase model) {
    return OPTIMIZERS.get(name).apply(model)
        .schedule(LrSchedule.cosine(0.05, 2, STEPS, 0.001))
        .clipGradientNorm(2.0);
  }

  private static void train(Mlp m, Optimizer opt, int from, int to) {
    MseLoss loss = new MseLoss(m);
    for (int t = from; t < to; t++) {
      ModuleGraph g = loss.apply(BATCHES.get(t)[0], BATCHES.get(t)[1]);
      g.backParameters();
      opt.step(g);
    }
  }

  private static long[] bits(ModuleBase m) {
    List<Long> out = new ArrayList<>();
    for (Parameter p : m.parameters()) {
      assertEquals(DType.FLOAT32, p.value().dtype());
      for (double v : p.value().toDoubleArray()) {
        out.add((long) Float.floatToRawIntBits((float) v));
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] stateBits(Optimizer opt) {
    List<Long> out = new ArrayList<>();
    opt.state().forEach((k, v) -> {
      for (double d : v.toDoubleArray()) {
        out.add(Double.doubleToRawLongBits(d));
      }
    });
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void saveLoadContinueIsBitExactForEveryOptimizer() throws IOException {
    for (String name : OPTIMIZERS.keySet()) {
      Mlp straight = new Mlp(1);
      Optimizer a = configured(name, straight);
      train(straight, a, 0, STEPS);

      Mlp first = new Mlp(1);
      Optimizer b = configured(name, first);
      train(first, b, 0, SAVE_AFTER);
      Path file = dir.resolve(name + ".npz");
      Checkpoints.save(first, b, file);

      Mlp resumed = new Mlp(99); // other initial values: everything must come from the file
      Optimizer c = configured(name, resumed);
      Checkpoints.load(resumed, c, file);
      assertEquals(SAVE_AFTER, c.steps(), name);
      assertEquals(b.learningRate(), c.learningRate(), 0, name);
      train(resumed, c, SAVE_AFTER, STEPS);

      assertArrayEquals(bits(straight), bits(resumed), name + ": parameters differ from the uninterrupted run");
      assertEquals(a.state().keySet(), c.state().keySet(), name);
      assertArrayEquals(stateBits(a), stateBits(c), name + ": optimizer state differs");

      // Without the optimizer's state the run changes course: the test can see a difference.
      Mlp fresh = new Mlp(99);
      Checkpoints.load(fresh, file);
      train(fresh, configured(name, fresh), SAVE_AFTER, STEPS);
      assertFalse(java.util.Arrays.equals(bits(straight), bits(fresh)), name);
    }
  }

  @Test
  void theCheckpointIsAnNpzWithTheOptimizerUnderItsPrefix() throws IOException {
    Mlp m = new Mlp(1);
    Adam adam = new Adam(m, 0.01);
    train(m, adam, 0, 2);
    Path file = dir.resolve("adam.npz");
    Checkpoints.save(m, adam, file);
    Map<String, Tensor> arrays = Checkpoints.read(file);
    assertTrue(arrays.keySet().containsAll(List.of("w1", "b1", "w2", "b2", "optimizer/Adam/steps",
        "optimizer/Adam/lr", "optimizer/Adam/hyper/beta1", "optimizer/Adam/exp_avg/w1",
        "optimizer/Adam/exp_avg_sq/b2", "optimizer/Adam/step/w2")), arrays.keySet().toString());
    assertEquals(2.0, arrays.get("optimizer/Adam/steps").item(), 0);
    assertEquals(DType.FLOAT32, arrays.get("optimizer/Adam/exp_avg/w1").dtype());
    // The parameters alone load from it into a plain module.
    Mlp other = new Mlp(5);
    Checkpoints.load(other, file);
    assertArrayEquals(bits(m), bits(other));
  }

  /** Loads and expects a refusal naming {@code fragment}, with nothing changed. */
  private static CheckpointException refused(Mlp m, Optimizer opt, Path file, String fragment) {
    long[] before = bits(m);
    long[] stateBefore = stateBits(opt);
    Map<String, Tensor> state = opt.state();
    long steps = opt.steps();
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(m, opt, file));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertArrayEquals(before, bits(m), "module changed");
    assertEquals(state.keySet(), opt.state().keySet(), "optimizer changed");
    assertArrayEquals(stateBefore, stateBits(opt), "optimizer changed");
    assertEquals(steps, opt.steps());
    return e;
  }

  @Test
  void aMismatchedStateIsRefusedAndChangesNothing() throws IOException {
    Mlp saved = new Mlp(1);
    Sgd sgd = new Sgd(saved, 0.1, 0.9);
    train(saved, sgd, 0, 2);
    Path sgdFile = dir.resolve("sgd.npz");
    Checkpoints.save(saved, sgd, sgdFile);

    Mlp m = new Mlp(2);
    Adam adam = new Adam(m, 0.01);
    train(m, adam, 0, 1); // some state to keep
    CheckpointException e = refused(m, adam, sgdFile,
        "optimizer state 'optimizer/Sgd': the file holds the state of optimizer type Sgd, this "
            + "optimizer is Adam");
    assertEquals(CheckpointException.Kind.OPTIMIZER, e.kind());
    assertEquals("optimizer/Sgd", e.problems().get(0).name());

    // Other hyperparameters.
    refused(m, new Sgd(m, 0.1, 0.5), sgdFile, "momentum is 0.9 in the file, 0.5 in this optimizer");

    // A parameters-only checkpoint.
    Path plain = dir.resolve("plain.npz");
    Checkpoints.save(saved, plain);
    e = refused(m, adam, plain, "there is no optimizer state");
    assertEquals(CheckpointException.Kind.OPTIMIZER, e.kind());

    // A buffer of the wrong shape, and an entry for a parameter the optimizer does not have.
    Map<String, Tensor> arrays = new LinkedHashMap<>(Checkpoints.read(sgdFile));
    arrays.put("optimizer/Sgd/momentum_buffer/w1", Tensor.zeros(DType.FLOAT32, 4, 3));
    arrays.put("optimizer/Sgd/momentum_buffer/nope", Tensor.zeros(DType.FLOAT32, 2));
    arrays.put("optimizer/Sgd/steps", Tensor.of(1.5, DType.FLOAT64));
    Path bad = dir.resolve("bad.npz");
    Checkpoints.write(arrays, bad);
    Sgd target = new Sgd(m, 0.1, 0.9);
    e = refused(m, target, bad, "'optimizer/Sgd/momentum_buffer/w1': float32 [4, 3] in the file, the "
        + "parameter is float32 [3, 4]");
    assertTrue(e.getMessage().contains("no parameter 'nope' in this optimizer"), e.getMessage());
    assertTrue(e.getMessage().contains("1.5 is not a count"), e.getMessage());
    assertEquals(3, e.problems().size(), e.getMessage());

    // A module of other shapes: the parameters and the buffers are named.
    arrays = new LinkedHashMap<>(Checkpoints.read(sgdFile));
    arrays.put("w1", Tensor.zeros(DType.FLOAT32, 2, 4));
    Checkpoints.write(arrays, bad);
    e = refused(m, target, bad, "wrong shape for parameter 'w1': [2, 4] in the file, [3, 4] in the module");

    // and the good file still loads into the same optimizer afterwards
    Checkpoints.load(m, target, sgdFile);
    assertEquals(2, target.steps());
    assertArrayEquals(bits(saved), bits(m));
  }

  @Test
  void unusedRankZeroAndEmptyParametersRoundTrip() throws IOException {
    // WeightedSum: w is used (here an empty [0] tensor, then a rank-0 one), 'unused' never gets a
    // gradient, so it has no state entries; the round trip keeps it that way.
    for (Tensor w0 : List.of(Tensor.zeros(DType.FLOAT32, 0), Tensor.of(0.5f).reshape())) {
      TrainModels.WeightedSum m = new TrainModels.WeightedSum(w0);
      RmsProp opt = new RmsProp(m, 0.01, 0.9, 1e-8, 0.5, true);
      Tensor x = w0.size() == 0 ? w0 : Tensor.of(2f).reshape();
      for (int i = 0; i < 2; i++) {
        ModuleGraph g = m.apply(x);
        g.backParameters();
        opt.step(g);
      }
      Path file = dir.resolve("w" + w0.shape().length + ".npz");
      Checkpoints.save(m, opt, file);
      assertFalse(opt.state().keySet().stream().anyMatch(k -> k.endsWith("/unused")),
          opt.state().keySet().toString());
      assertTrue(opt.state().containsKey("RmsProp/square_avg/w"), opt.state().keySet().toString());

      TrainModels.WeightedSum other = new TrainModels.WeightedSum(w0);
      RmsProp resumed = new RmsProp(other, 0.01, 0.9, 1e-8, 0.5, true);
      Checkpoints.load(other, resumed, file);
      for (Optimizer o : List.of(opt, resumed)) {
        TrainModels.WeightedSum target = o == opt ? m : other;
        ModuleGraph g = target.apply(x);
        g.backParameters();
        o.step(g);
      }
      assertArrayEquals(bits(m), bits(other));
      assertArrayEquals(stateBits(opt), stateBits(resumed));
      assertEquals(7.0, other.param("unused").value().item(), 0);
    }
  }
}
