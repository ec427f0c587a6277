package zkynet.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports training progress: one bar per epoch (batches done, running mean loss) from
 * me.tongfei:progressbar on a terminal, and plain lines when output is not a terminal (a log file,
 * a CI job, a test), where a bar's carriage returns would make a mess.
 *
 * <p>{@link #auto(PrintStream)} picks: a bar when {@link System#console()} is non-null (stdin and
 * stdout are a terminal), plain lines otherwise.
 */
public abstract class Progress {
  /** Called when an epoch starts. */
  public abstract void startEpoch(int epoch, int epochs, int batches);

  /** Called after each batch with the 1-based batch number and the epoch's running mean loss. */
  public abstract void batch(int batch, double runningLoss);

  /** Called when an epoch ends, with a one-line summary. */
  public abstract void endEpoch(String summary);

  /** A bar on a terminal, plain lines (every {@code 20} batches and per epoch) otherwise. */
  public static Progress auto(PrintStream out) {
    return System.console() != null ? bar(out) : lines(out, 20);
  }

  /** A progress bar (me.tongfei:progressbar) per epoch, then the epoch's summary line. */
  public static Progress bar(PrintStream out) {
    return new Bar(out);
  }

  /** Plain lines: one every {@code everyBatches} batches (0: none) and one per epoch. */
  public static Progress lines(PrintStream out, int everyBatches) {
    return new Lines(out, everyBatches);
  }

  /** Reports nothing. */
  public static Progress quiet() {
    return new Progress() {
      @Override public void startEpoch(int epoch, int epochs, int batches) {}
      @Override public void batch(int batch, double runningLoss) {}
      @Override public void endEpoch(String summary) {}
    };
  }

  static String loss(double loss) {
    return String.format(Locale.ROOT, "loss %.4f", loss);
  }

  private static final class Bar extends Progress {
    private final PrintStream out;
    private ProgressBar bar;

    Bar(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void startEpoch(int epoch, int epochs, int batches) {
      bar = new ProgressBarBuilder()
          .setTaskName(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d", epoch, epochs))
          .setInitialMax(batches)
          .setStyle(ProgressBarStyle.ASCII)
          .setUnit(" batches", 1)
          .setUpdateIntervalMillis(100)
          .setConsumer(new ConsoleProgressBarConsumer(out))
          .build();
    }

    @Override
    public void batch(int batch, double runningLoss) {
      bar.setExtraMessage(loss(runningLoss));
      bar.stepTo(batch);
    }

    @Override
    public void endEpoch(String summary) {
      if (bar != null) {
        bar.close();
        bar = null;
      }
      out.println(summary);
    }
  }

  private static final class Lines extends Progress {
    private final PrintStream out;
    private final int every;
    private String prefix = "";
    private int batches;

    Lines(PrintStream out, int every) {
      this.out = Objects.requireNonNull(out, "out");
      if (every < 0) {
        throw new IllegalArgumentException("everyBatches must be >= 0, got " + every);
      }
      this.every = every;
    }

    @Override
    public void startEpoch(int epoch, int epochs, int batches) {
      this.prefix = String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d", epoch, epochs);
      this.batches = batches;
    }

    @Override
    public void batch(int batch, double runningLoss) {
      if (every > 0 && batch % every == 0 && batch < batches) {
        out.println(String.format(Locale.ROOT, "%s  batch %d/%d  %s", prefix, batch, batches,
            loss(runningLoss)));
      }
    }

    @Override
    public void endEpoch(String summary) {
      out.println(summary);
    }
  }

  private static int digits(int n) {
    return Integer.toString(n).length();
  }
}
