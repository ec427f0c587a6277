package zkynet.examples.digits;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.io.Checkpoints;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Curves;
import zkynet.train.Dataset;
import zkynet.train.History;
import zkynet.train.Metrics;
import zkynet.train.Progress;
import zkynet.train.Standardizer;
import zkynet.train.Trainer;

/**
 * Trains an MLP on optdigits with Adam and softmax cross-entropy, reports the held-out test
 * accuracy, and writes the loss and accuracy curves as a PNG.
 *
 * <pre>
 *   TrainDigits.Result r = TrainDigits.run(TrainDigits.Options.defaults().withOutputDir(dir));
 *   r.testAccuracy();   // about 0.97-0.98
 * </pre>
 *
 * From the command line: {@code TrainDigits [--epochs N] [--batch N] [--lr X] [--hidden 128,64]
 * [--smoothing X] [--raw] [--seed N] [--out DIR] [--save FILE.npz] [--quiet]}.
 */
public final class TrainDigits {
  private TrainDigits() {}

  /**
   * What to train and where to write; immutable, changed with the {@code with...} methods.
   *
   * <ul>
   *   <li>{@code hidden}: hidden layer sizes (64-h1-...-10);
   *   <li>{@code standardize}: scale each feature to zero mean and unit variance, measured on the
   *       training rows ({@link Standardizer}); the loader's [0, 1] pixels are the input;
   *   <li>{@code labelSmoothing}: see {@link CrossEntropyLoss};
   *   <li>{@code outputDir}: receives {@code digits-curves.png} (null: no picture);
   *   <li>{@code checkpoint}: receives the trained parameters as .npz (null: not saved);
   *   <li>{@code evaluateEveryEpoch}: measure train and test accuracy after each epoch for the
   *       curves (otherwise only at the end).
   * </ul>
   */
  public static final class Options implements Cloneable {
    private List<Integer> hidden = List.of(256);
    private int epochs = 12;
    private int batchSize = 64;
    private double learningRate = 0.003;
    private double labelSmoothing = 0.1;
    private boolean standardize = true;
    private long seed = 7;
    private DType dtype = DType.FLOAT32;
    private Path outputDir;
    private Path checkpoint;
    private Progress progress = Progress.auto(System.out);
    private PrintStream out = System.out;
    private boolean evaluateEveryEpoch = true;

    private Options() {}

    /**
     * The demo's settings: 64-256-10 with ReLU, standardised inputs, Adam lr 0.003, batch 64,
     * 12 epochs, label smoothing 0.1, seed 7, float32, progress on stdout (a bar on a terminal,
     * plain lines otherwise), no files.
     */
    public static Options defaults() {
      return new Options();
    }

    public List<Integer> hidden() {
      return hidden;
    }

    public int epochs() {
      return epochs;
    }

    public int batchSize() {
      return batchSize;
    }

    public double learningRate() {
      return learningRate;
    }

    public double labelSmoothing() {
      return labelSmoothing;
    }

    public boolean standardize() {
      return standardize;
    }

    public long seed() {
      return seed;
    }

    public DType dtype() {
      return dtype;
    }

    public Path outputDir() {
      return outputDir;
    }

    public Path checkpoint() {
      return checkpoint;
    }

    public Progress progress() {
      return progress;
    }

    public PrintStream out() {
      return out;
    }

    public boolean evaluateEveryEpoch() {
      return evaluateEveryEpoch;
    }

    /** A copy with one setting changed: options are immutable once handed out. */
    private Options with(java.util.function.Consumer<Options> change) {
      Options o = copy();
      change.accept(o);
      return o;
    }

    public Options withHidden(Integer... sizes) {
      return with(o -> o.hidden = List.of(sizes));
    }

    public Options withEpochs(int n) {
      return with(o -> o.epochs = n);
    }

    public Options withBatchSize(int n) {
      return with(o -> o.batchSize = n);
    }

    public Options withLearningRate(double lr) {
      return with(o -> o.learningRate = lr);
    }

    public Options withLabelSmoothing(double eps) {
      return with(o -> o.labelSmoothing = eps);
    }

    public Options withStandardize(boolean b) {
      return with(o -> o.standardize = b);
    }

    public Options withSeed(long s) {
      return with(o -> o.seed = s);
    }

    public Options withDtype(DType d) {
      return with(o -> o.dtype = Objects.requireNonNull(d, "dtype"));
    }

    public Options withOutputDir(Path dir) {
      return with(o -> o.outputDir = dir);
    }

    public Options withCheckpoint(Path file) {
      return with(o -> o.checkpoint = file);
    }

    public Options withProgress(Progress p) {
      return with(o -> o.progress = Objects.requireNonNull(p, "progress"));
    }

    public Options withOut(PrintStream s) {
      return with(o -> o.out = Objects.requireNonNull(s, "out"));
    }

    public Options withEvaluateEveryEpoch(boolean b) {
      return with(o -> o.evaluateEveryEpoch = b);
    }

    /** The layer sizes, 64, hidden..., 10. */
    public int[] sizes() {
      int[] s = new int[hidden.size() + 2];
      s[0] = OptDigits.FEATURES;
      for (int i = 0; i < hidden.size(); i++) {
        s[i + 1] = hidden.get(i);
      }
      s[s.length - 1] = OptDigits.CLASSES;
      return s;
    }

    private Options copy() {
      try {
        return (Options) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * What came out: held-out test and training accuracy of the final model, the seconds spent in
   * training steps (forward, backward, optimizer; per-epoch evaluation excluded) and in total, the
   * curves PNG (or null), the checkpoint (or null), the history and the trained model.
   */
  public record Result(double testAccuracy, double trainAccuracy, int testCorrect, int testSize,
      double trainSeconds, double totalSeconds, Path curves, Path checkpoint, History history,
      Mlp model, Standardizer standardizer) {
    /**
     * The trained model's predicted digits for raw loader features {@code [n, 64]} in [0, 1]
     * (standardised first when the model was trained on standardised inputs).
     */
    public int[] predict(Tensor features) {
      Tensor x = standardizer == null ? features : standardizer.apply(features);
      return Metrics.predictions(model.infer(x));
    }
  }

  public static Result run(Options o) {
    long start = System.nanoTime();
    Dataset train = OptDigits.train(o.dtype());
    Dataset test = OptDigits.test(o.dtype());
    Standardizer standardizer = null;
    if (o.standardize()) {
      standardizer = Standardizer.fit(train, 0.1); // measured on the training rows only
      train = standardizer.apply(train);
      test = standardizer.apply(test);
    }
    Mlp mlp = new Mlp(new Random(o.seed()), o.dtype(), o.sizes());
    CrossEntropyLoss loss = new CrossEntropyLoss(mlp, o.labelSmoothing());
    Function<Tensor, Tensor> logits = mlp::infer; // evaluation: no graph, no kept intermediates
    int params = mlp.parameters().stream().mapToInt(p -> (int) p.value().size()).sum();
    PrintStream out = o.out();
    out.printf(Locale.ROOT, "optdigits: %d training rows, %d test rows (UCI, CC BY 4.0)%n",
        train.size(), test.size());
    out.printf(Locale.ROOT, "MLP %s (%,d parameters, ReLU), Adam lr %s, batch %d, %d epochs, "
        + "label smoothing %s, %s inputs, seed %d, %s%n", join(o.sizes()), params,
        o.learningRate(), o.batchSize(), o.epochs(), o.labelSmoothing(),
        o.standardize() ? "standardised" : "[0, 1]", o.seed(), o.dtype().name().toLowerCase());

    Trainer trainer = new Trainer(mlp, new Adam(mlp, o.learningRate()))
        .epochs(o.epochs()).batchSize(o.batchSize()).seed(o.seed()).progress(o.progress());
    if (o.evaluateEveryEpoch()) {
      trainer.evaluate("train", train, logits).evaluate("test", test, logits);
    }
    History history = trainer.fit(train, b -> loss.apply(b.x(), b.labelTensor()));

    int[] predicted = Metrics.predictions(logits.apply(test.features()));
    int[] truth = test.labels();
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      correct += predicted[i] == truth[i] ? 1 : 0;
    }
    double testAcc = (double) correct / truth.length;
    double trainAcc = Metrics.accuracy(logits.apply(train.features()), train.labels());
    out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d/%d held-out digits); train accuracy %.2f%%%n",
        100 * testAcc, correct, truth.length, 100 * trainAcc);
    out.printf(Locale.ROOT, "training time: %.1f s in %d steps (%.1f s in all, with loading and "
        + "per-epoch evaluation)%n",
        history.trainSeconds(), history.batchLosses().size(), (System.nanoTime() - start) / 1e9);

    Path curves = null;
    Path checkpoint = null;
    try {
      if (o.outputDir() != null) {
        curves = o.outputDir().resolve("digits-curves.png");
        Curves.writePng(history, curves, "optdigits MLP " + join(o.sizes()));
        out.println("curves: " + curves);
      }
      if (o.checkpoint() != null) {
        checkpoint = o.checkpoint();
        Checkpoints.save(mlp, checkpoint);
        out.println("parameters: " + checkpoint + " (NumPy .npz)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(testAcc, trainAcc, correct, truth.length, history.trainSeconds(),
        (System.nanoTime() - start) / 1e9, curves, checkpoint, history, mlp, standardizer);
  }

  private static String join(int[] sizes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      s.append(i == 0 ? "" : "-").append(sizes[i]);
    }
    return s.toString();
  }

  public static void main(String[] args) {
    Options o = Options.defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quiet")) {
        o = o.withProgress(Progress.quiet());
        continue;
      }
      if (a.equals("--raw")) {
        o = o.withStandardize(false);
        continue;
      }
      if (i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      String v = args[++i];
      try {
        o = switch (a) {
          case "--epochs" -> o.withEpochs(Integer.parseInt(v));
          case "--batch" -> o.withBatchSize(Integer.parseInt(v));
          case "--lr" -> o.withLearningRate(Double.parseDouble(v));
          case "--smoothing" -> o.withLabelSmoothing(Double.parseDouble(v));
          case "--seed" -> o.withSeed(Long.parseLong(v));
          case "--out" -> o.withOutputDir(Path.of(v));
          case "--save" -> o.withCheckpoint(Path.of(v));
          case "--hidden" -> {
            List<Integer> h = new ArrayList<>();
            for (String s : v.split(",")) {
              h.add(Integer.parseInt(s.trim()));
            }
            yield o.withHidden(h.toArray(new Integer[0]));
          }
          default -> {
            usage("unknown option " + a);
            yield o;
          }
        };
      } catch (NumberFormatException e) {
        usage("bad value for " + a + ": " + v);
      }
    }
    run(o);
  }

  private static void usage(String problem) {
    System.err.println("TrainDigits: " + problem);
    System.err.println("usage: TrainDigits [--epochs N] [--batch N] [--lr X] [--hidden 128,64] "
        + "[--smoothing X] [--raw] [--seed N] [--out DIR] [--save FILE.npz] [--quiet]");
    System.exit(2);
  }
}
