package zkynet.examples.digits;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.nn.Activation;
import zkynet.nn.Conv2d;
import zkynet.nn.Dropout;
import zkynet.nn.Flatten;
import zkynet.nn.Linear;
import zkynet.nn.MaxPool2d;
import zkynet.nn.Sequential;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Curves;
import zkynet.train.Dataset;
import zkynet.train.History;
import zkynet.train.LrSchedule;
import zkynet.train.Metrics;
import zkynet.train.Progress;
import zkynet.train.Trainer;

/**
 * A small convolutional network on the optdigits images, each row reshaped to one 8x8 channel
 * ({@code [n, 1, 8, 8]}), built from {@code zkynet.nn} layers only:
 *
 * <pre>
 *   Conv2d(1 -> c1, 3x3, padding 1), ReLU, MaxPool2d(2)     [n, c1, 4, 4]
 *   Conv2d(c1 -> c2, 3x3, padding 1), ReLU                  [n, c2, 4, 4]
 *   Flatten, Dropout(p), Linear(16 c2 -> 10)                logits
 * </pre>
 *
 * trained with Adam, a cosine learning rate and label smoothing; reports the held-out accuracy
 * next to the MLP's ({@link TrainDigits}) and writes the curves. The {@link Trainer} switches the
 * network to evaluation mode (no dropout) for the per-epoch accuracy.
 */
public final class TrainDigitsCnn {
  private TrainDigitsCnn() {}

  /** The settings; {@link #defaults()} are the demo's. */
  public record Options(int channels1, int channels2, double dropout, int epochs, int batchSize,
      double learningRate, double labelSmoothing, long seed, boolean evaluateEveryEpoch,
      Path outputDir, Progress progress, PrintStream out) {
    /**
     * 32 and 32 channels, dropout 0.25, 10 epochs of batch 64, Adam lr 0.01 annealed to 0 by a
     * cosine per step, label smoothing 0.1, seed 7, per-epoch evaluation, progress on stdout.
     */
    public static Options defaults() {
      return new Options(32, 32, 0.25, 10, 64, 0.01, 0.1, 7, true, null,
          Progress.auto(System.out), System.out);
    }

    public Options withEpochs(int n) {
      return new Options(channels1, channels2, dropout, n, batchSize, learningRate, labelSmoothing,
          seed, evaluateEveryEpoch, outputDir, progress, out);
    }

    public Options withChannels(int c1, int c2) {
      return new Options(c1, c2, dropout, epochs, batchSize, learningRate, labelSmoothing, seed,
          evaluateEveryEpoch, outputDir, progress, out);
    }

    public Options withEvaluateEveryEpoch(boolean b) {
      return new Options(channels1, channels2, dropout, epochs, batchSize, learningRate,
          labelSmoothing, seed, b, outputDir, progress, out);
    }

    public Options withOutputDir(Path dir) {
      return new Options(channels1, channels2, dropout, epochs, batchSize, learningRate,
          labelSmoothing, seed, evaluateEveryEpoch, dir, progress, out);
    }

    public Options withOutput(Progress p, PrintStream s) {
      return new Options(channels1, channels2, dropout, epochs, batchSize, learningRate,
          labelSmoothing, seed, evaluateEveryEpoch, outputDir, p, s);
    }
  }

  /**
   * The held-out accuracy, the seconds in training steps (per-epoch evaluation excluded), the
   * curves (or null), the history and the trained network, left in evaluation mode.
   */
  public record Result(double testAccuracy, int testCorrect, int testSize, double trainSeconds,
      Path curves, History history, Sequential model) {}

  /** The network of the class comment. */
  public static Sequential network(Random rng, DType dtype, int c1, int c2, double dropout,
      long dropoutSeed) {
    return new Sequential(
        new Conv2d(rng, dtype, 1, c1, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
            new int[] {1, 1}, true),
        Activation.relu(), new MaxPool2d(2),
        new Conv2d(rng, dtype, c1, c2, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
            new int[] {1, 1}, true),
        Activation.relu(),
        new Flatten(), new Dropout(dropout, dropoutSeed),
        new Linear(rng, dtype, 16 * c2, OptDigits.CLASSES));
  }

  /** The dataset with each row as an image {@code [1, 8, 8]}. */
  public static Dataset images(Dataset rows) {
    return rows.withFeatures(rows.features().reshape(rows.size(), 1, 8, 8));
  }

  public static Result run(Options o) {
    Dataset train = images(OptDigits.train(DType.FLOAT32));
    Dataset test = images(OptDigits.test(DType.FLOAT32));
    Sequential cnn = network(new Random(o.seed()), DType.FLOAT32, o.channels1(), o.channels2(),
        o.dropout(), o.seed());
    CrossEntropyLoss loss = new CrossEntropyLoss(cnn, o.labelSmoothing());
    Function<Tensor, Tensor> logits = cnn::infer;
    long params = cnn.parameters().stream().mapToLong(p -> p.value().size()).sum();
    PrintStream out = o.out();
    out.printf(Locale.ROOT, "CNN conv3x3(%d)-pool-conv3x3(%d)-dropout %s-linear (%,d "
        + "parameters), Adam lr %s cosine, batch %d, %d epochs, label smoothing %s, seed %d%n",
        o.channels1(), o.channels2(), o.dropout(), params, o.learningRate(), o.batchSize(),
        o.epochs(), o.labelSmoothing(), o.seed());
    int steps = o.epochs() * ((train.size() + o.batchSize() - 1) / o.batchSize());
    Trainer trainer = new Trainer(cnn, new Adam(cnn, o.learningRate()))
        .schedule(LrSchedule.cosine(o.learningRate(), 0, steps, 0), Trainer.Per.STEP)
        .epochs(o.epochs()).batchSize(o.batchSize()).seed(o.seed()).progress(o.progress());
    if (o.evaluateEveryEpoch()) {
      trainer.evaluate("train", train, logits).evaluate("test", test, logits);
    }
    History history = trainer.fit(train, b -> loss.apply(b.x(), b.labelTensor()));
    cnn.eval();
    int[] predicted = Metrics.predictions(logits.apply(test.features()));
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      correct += predicted[i] == test.labels()[i] ? 1 : 0;
    }
    double acc = (double) correct / predicted.length;
    out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d/%d held-out digits)%n", 100 * acc, correct,
        predicted.length);
    out.printf(Locale.ROOT, "training time: %.1f s in %d steps%n", history.trainSeconds(),
        history.batchLosses().size());
    Path curves = null;
    if (o.outputDir() != null) {
      curves = o.outputDir().resolve("digits-cnn-curves.png");
      try {
        Curves.writePng(history, curves, "optdigits CNN");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.println("curves: " + curves);
    }
    return new Result(acc, correct, predicted.length, history.trainSeconds(), curves, history,
        cnn);
  }

  /**
   * {@code TrainDigitsCnn [epochs [c1 c2 [lr [batch [dropout [seed]]]]]]}; curves to the current
   * directory.
   */
  public static void main(String[] args) {
    Options d = Options.defaults();
    Options o = new Options(
        args.length > 2 ? Integer.parseInt(args[1]) : d.channels1(),
        args.length > 2 ? Integer.parseInt(args[2]) : d.channels2(),
        args.length > 5 ? Double.parseDouble(args[5]) : d.dropout(),
        args.length > 0 ? Integer.parseInt(args[0]) : d.epochs(),
        args.length > 4 ? Integer.parseInt(args[4]) : d.batchSize(),
        args.length > 3 ? Double.parseDouble(args[3]) : d.learningRate(),
        d.labelSmoothing(), args.length > 6 ? Long.parseLong(args[6]) : d.seed(), true, Path.of("."), d.progress(), d.out());
    run(o);
  }
}
