package zkynet.train;

import java.util.Arrays;
import java.util.function.Function;
import zkynet.Tensor;

/** Evaluation of classifiers. */
public final class Metrics {
  private Metrics() {}

  /** The predicted class of each row of {@code logits [N, C]} (argmax; the first on ties). */
  public static int[] predictions(Tensor logits) {
    if (logits.rank() != 2) {
      throw new IllegalArgumentException("predictions: logits must be [N, C], got shape "
          + Arrays.toString(logits.shape()));
    }
    int n = logits.shape(0);
    int c = logits.shape(1);
    double[] v = logits.toDoubleArray();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) {
        if (v[i * c + j] > v[i * c + best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** The fraction of rows whose argmax equals the label. */
  public static double accuracy(Tensor logits, int[] labels) {
    int[] p = predictions(logits);
    if (p.length != labels.length) {
      throw new IllegalArgumentException("accuracy: " + p.length + " rows of logits but "
          + labels.length + " labels");
    }
    return p.length == 0 ? Double.NaN : (double) correct(p, labels) / p.length;
  }

  /**
   * The accuracy of {@code logits} (a function from a batch of features to logits {@code [n, C]})
   * over a dataset, evaluated in batches of {@code batchSize} rows.
   */
  public static double accuracy(Function<Tensor, Tensor> logits, Dataset data, int batchSize) {
    if (data.size() == 0) {
      return Double.NaN;
    }
    long correct = 0;
    for (Dataset.Batch b : data.batches(batchSize)) {
      correct += correct(predictions(logits.apply(b.x())), b.labels());
    }
    return (double) correct / data.size();
  }

  private static int correct(int[] predicted, int[] labels) {
    int k = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == labels[i]) {
        k++;
      }
    }
    return k;
  }
}
