package zkynet.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What happened during training: the loss of every batch and a summary of every epoch. */
public final class History {
  /**
   * One epoch: the mean training loss over its batches, the accuracy on each evaluated dataset
   * (by name, in the order they were registered) and the seconds spent in the epoch's training
   * steps (evaluation excluded).
   */
  public record Epoch(int epoch, double loss, Map<String, Double> accuracy, double trainSeconds) {
    public Epoch {
      accuracy = Collections.unmodifiableMap(new LinkedHashMap<>(accuracy));
    }

    /** A one-line summary, e.g. {@code epoch 3/10  loss 0.1234  train 97.12%  test 95.66%  1.2 s}. */
    public String summary(int epochs) {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %"
          + Integer.toString(epochs).length() + "d/%d  %s", epoch, epochs, Progress.loss(loss)));
      accuracy.forEach((name, acc) -> s.append(String.format(Locale.ROOT, "  %s %.2f%%", name, 100 * acc)));
      s.append(String.format(Locale.ROOT, "  %.1f s", trainSeconds));
      return s.toString();
    }
  }

  private final List<Double> batchLosses = new ArrayList<>();
  private final List<Epoch> epochs = new ArrayList<>();

  void addBatch(double loss) {
    batchLosses.add(loss);
  }

  void addEpoch(Epoch e) {
    epochs.add(e);
  }

  /** The loss of every training step, in order. */
  public List<Double> batchLosses() {
    return Collections.unmodifiableList(batchLosses);
  }

  public List<Epoch> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The last epoch; an error if there was none. */
  public Epoch last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch has been recorded");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** Seconds spent in training steps over all epochs (evaluation excluded). */
  public double trainSeconds() {
    return epochs.stream().mapToDouble(Epoch::trainSeconds).sum();
  }
}
