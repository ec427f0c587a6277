package zkynet.backend;

/**
 * Softmax cross-entropy and its gradient in plain double loops, as the reference for the backends'
 * fused kernels: per row of an [n, c] row-major array, {@code log(sum_j e^(x_j - m)) - (x_label - m)}
 * with m the row maximum (NaN if the row holds one), and {@code (e^(x_j - m) / sum - [j == label]) / n}.
 */
public final class CrossEntropyReference {
  private CrossEntropyReference() {}

  /** The mean over the rows of -log softmax(x)[i, labels[i]] (NaN for no rows). */
  public static double loss(double[] x, int c, int[] labels) {
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      double m = rowMax(x, i, c);
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(x[i * c + j] - m);
      }
      total += Math.log(sum) - (x[i * c + labels[i]] - m);
    }
    return total / labels.length;
  }

  /** (softmax(x) - onehot(labels)) / n, row-major [n, c]. */
  public static double[] grad(double[] x, int c, int[] labels) {
    int n = labels.length;
    double[] g = new double[n * c];
    for (int i = 0; i < n; i++) {
      double m = rowMax(x, i, c);
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(x[i * c + j] - m);
      }
      for (int j = 0; j < c; j++) {
        g[i * c + j] = (Math.exp(x[i * c + j] - m) / sum - (j == labels[i] ? 1 : 0)) / n;
      }
    }
    return g;
  }

  private static double rowMax(double[] x, int row, int c) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      double v = x[row * c + j];
      m = Double.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v);
    }
    return m;
  }
}
