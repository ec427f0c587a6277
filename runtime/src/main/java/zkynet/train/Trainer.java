package zkynet.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Tensor;

/**
 * A mini-batch training loop: for every epoch, shuffle the training set (from a seeded
 * {@link Random}), and for every batch build the loss graph, run
 * {@link ModuleGraph#backParameters()} (the parameters' gradients only: no work for the data
 * inputs, marked {@code @NoGrad} or not) and take one optimizer step; after each epoch, measure
 * accuracy on the registered datasets. A learning-rate {@link #schedule} applies per step or per
 * epoch.
 *
 * <pre>
 *   CrossEntropyLoss loss = new CrossEntropyLoss(mlp);
 *   History h = new Trainer(mlp, new Adam(mlp, 1e-3))
 *       .epochs(10).batchSize(32).seed(42)
 *       .evaluate("test", testSet, x -&gt; mlp.apply(x).value())
 *       .fit(trainSet, b -&gt; loss.apply(b.x(), b.labelTensor()));
 * </pre>
 */
public final class Trainer {
  /** Builds the graph of the loss of one batch (a scalar root). */
  @FunctionalInterface
  public interface LossFunction {
    ModuleGraph apply(Dataset.Batch batch);
  }

  /** What a schedule counts. */
  public enum Per {
    /** Optimizer steps: the schedule is given to {@link Optimizer#schedule(LrSchedule)}. */
    STEP,
    /** Epochs: the rate is set to {@code schedule.lr(epoch - 1)} before each epoch. */
    EPOCH
  }

  private final Optimizer optimizer;
  private final ModuleBase model;
  private LrSchedule epochSchedule;
  private int epochs = 1;
  private int batchSize = 32;
  private long seed = 0;
  private int evalBatchSize = 1024;
  private Progress progress = Progress.quiet();
  private final Map<String, Evaluation> evaluations = new LinkedHashMap<>();

  private record Evaluation(Dataset data, Function<Tensor, Tensor> logits) {}

  /**
   * A loop that takes {@code optimizer}'s steps and switches no module's mode: use {@link
   * #Trainer(ModuleBase, Optimizer)} for a model with dropout or batch normalisation.
   */
  public Trainer(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.model = null;
  }

  /**
   * A loop over {@code model} (the module whose mode matters, e.g. the network inside the loss):
   * it is put in training mode ({@link ModuleBase#train(boolean)}) for every epoch's steps and in
   * evaluation mode ({@link ModuleBase#eval()}) while the registered datasets are evaluated, so
   * dropout is off and batch normalisation uses (and does not update) its running statistics there;
   * training mode is restored afterwards, also when an evaluation throws.
   */
  public Trainer(ModuleBase model, Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.model = Objects.requireNonNull(model, "model");
  }

  public Trainer epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  public Trainer batchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** The seed of the shuffling (one {@link Random} drives every epoch's order). */
  public Trainer seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Sets the learning rate from {@code schedule} at every step or at the start of every epoch
   * (epoch 1 uses {@code schedule.lr(0)}); returns this. Per step, the optimizer applies it and
   * counts by its own {@link Optimizer#steps()}, so it continues across {@code fit} calls and
   * checkpoints.
   */
  public Trainer schedule(LrSchedule schedule, Per per) {
    Objects.requireNonNull(schedule, "schedule");
    if (Objects.requireNonNull(per, "per") == Per.STEP) {
      optimizer.schedule(schedule);
      epochSchedule = null;
    } else {
      optimizer.schedule(null);
      epochSchedule = schedule;
    }
    return this;
  }

  public Trainer progress(Progress progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** Measures accuracy on {@code data} after every epoch, recorded under {@code name}. */
  public Trainer evaluate(String name, Dataset data, Function<Tensor, Tensor> logits) {
    evaluations.put(Objects.requireNonNull(name, "name"),
        new Evaluation(Objects.requireNonNull(data, "data"), Objects.requireNonNull(logits, "logits")));
    return this;
  }

  /** Trains; an {@link ArithmeticException} naming the epoch and batch if the loss stops being finite. */
  public History fit(Dataset train, LossFunction loss) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(loss, "loss");
    if (train.size() == 0) {
      throw new IllegalArgumentException("Trainer.fit: the training set is empty");
    }
    History history = new History();
    Random rng = new Random(seed);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      if (epochSchedule != null) {
        optimizer.learningRate(epochSchedule.lr(epoch - 1));
      }
      if (model != null) {
        model.train(true);
      }
      Dataset.Batches batches = train.shuffledBatches(batchSize, rng);
      progress.startEpoch(epoch, epochs, batches.count());
      long start = System.nanoTime();
      double total = 0;
      long rows = 0;
      int k = 0;
      for (Dataset.Batch batch : batches) {
        double l;
        // Closed after the step: the next batch's kernels reuse this one's memory.
        try (ModuleGraph g = loss.apply(batch)) {
          l = g.value().item();
          k++;
          if (!Double.isFinite(l)) {
            throw new ArithmeticException("training diverged: the loss is " + l + " at epoch "
                + epoch + ", batch " + k + "; try a smaller learning rate");
          }
          g.backParameters();
          optimizer.step(g);
        }
        history.addBatch(l);
        total += l * batch.size();
        rows += batch.size();
        progress.batch(k, total / rows);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> acc = evaluate();
      History.Epoch e = new History.Epoch(epoch, total / rows, acc, seconds);
      history.addEpoch(e);
      progress.endEpoch(e.summary(epochs));
    }
    return history;
  }

  /** Accuracy on every registered dataset, with the model in evaluation mode meanwhile. */
  private Map<String, Double> evaluate() {
    Map<String, Double> acc = new LinkedHashMap<>();
    if (evaluations.isEmpty()) {
      return acc;
    }
    if (model != null) {
      model.eval();
    }
    try {
      evaluations.forEach((name, ev) ->
          acc.put(name, Metrics.accuracy(ev.logits(), ev.data(), evalBatchSize)));
    } finally {
      if (model != null) {
        model.train(true);
      }
    }
    return acc;
  }
}
