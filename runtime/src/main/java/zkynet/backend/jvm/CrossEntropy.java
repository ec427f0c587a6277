package zkynet.backend.jvm;

/**
 * Softmax cross-entropy of [N, C] logits against class labels, value and gradient, each one pass over
 * the rows with no intermediate arrays (see {@link zkynet.backend.Backend#softmaxCrossEntropy} for
 * the contract): per row the maximum, then {@code e^(x - max)} (float32 by {@link FastMath#exp} as the
 * EXP kernel, float64 by {@link Math#exp}) summed in double. The value is {@code log(sum) - (x[label]
 * - max)} per row in double ({@link Math#log}), averaged in double and rounded once; the gradient is
 * {@code (e / sum - onehot) / N} in double, rounded once per element. Logits arrive contiguous
 * (offset allowed); rows are independent, so a NaN touches only its own row, and large inputs split
 * by rows across {@link Parallel} (from the work of an exp kernel of the same size).
 */
final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * The mean loss as a rank-0 tensor of x's dtype (NaN for no rows: 0 / 0). The rows' terms (across
   * the pool when large) are added in row order, so the result does not depend on the thread count.
   */
  static JvmStorage loss(JvmStorage x, int[] labels) {
    int n = labels.length;
    double[] terms = new double[n];
    Parallel.split(x.size, Parallel.COSTLY, n, (from, to) -> {
      for (int i = from; i < to; i++) {
        terms[i] = rowLoss(x, i, labels[i]);
      }
    });
    double total = 0;
    for (double t : terms) {
      total += t;
    }
    return JvmStorage.of(new double[] {total / n}, new int[0], x.dtype());
  }

  /** {@code (softmax(x) - onehot(labels)) / N}, of x's shape and dtype, in fresh memory (rows across the pool when large). */
  static JvmStorage grad(JvmStorage x, int[] labels) {
    int n = labels.length;
    int c = x.shape[1];
    JvmStorage out = JvmStorage.uninitialized(x.dtype(), x.shape, x.size);
    Parallel.split(x.size, Parallel.COSTLY, n, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (x.isFloat()) {
          gradRow(x.f, x.offset + i * c, c, labels[i], n, out.f, i * c);
        } else {
          gradRow(x.d, x.offset + i * c, c, labels[i], n, out.d, i * c);
        }
      }
    });
    return out;
  }

  /** The loss term of row {@code i}: {@code log(sum_j e^(x_j - max)) - (x_label - max)}. */
  private static double rowLoss(JvmStorage x, int i, int label) {
    int c = x.shape[1];
    int from = x.offset + i * c;
    return x.isFloat() ? rowLoss(x.f, from, c, label) : rowLoss(x.d, from, c, label);
  }

  private static double rowLoss(float[] x, int from, int c, int label) {
    float max = max(x, from, c);
    double sum = 0;
    for (int j = 0; j < c; j++) {
      sum += FastMath.exp(x[from + j] - max);
    }
    return Math.log(sum) - ((double) x[from + label] - max);
  }

  private static double rowLoss(double[] x, int from, int c, int label) {
    double max = max(x, from, c);
    double sum = 0;
    for (int j = 0; j < c; j++) {
      sum += Math.exp(x[from + j] - max);
    }
    return Math.log(sum) - (x[from + label] - max);
  }

  /** Row {@code (softmax - onehot) / n} of the logits at {@code from} into {@code out} at {@code to}. */
  private static void gradRow(float[] x, int from, int c, int label, int n, float[] out, int to) {
    float max = max(x, from, c);
    double sum = 0;
    for (int j = 0; j < c; j++) {
      float e = FastMath.exp(x[from + j] - max);
      out[to + j] = e;
      sum += e;
    }
    double atLabel = out[to + label];
    for (int j = 0; j < c; j++) {
      out[to + j] = (float) (out[to + j] / sum / n);
    }
    out[to + label] = (float) ((atLabel / sum - 1) / n);
  }

  private static void gradRow(double[] x, int from, int c, int label, int n, double[] out, int to) {
    double max = max(x, from, c);
    double sum = 0;
    for (int j = 0; j < c; j++) {
      double e = Math.exp(x[from + j] - max);
      out[to + j] = e;
      sum += e;
    }
    double atLabel = out[to + label];
    for (int j = 0; j < c; j++) {
      out[to + j] = out[to + j] / sum / n;
    }
    out[to + label] = (atLabel / sum - 1) / n;
  }

  /** The maximum of {@code x[from .. from + c)}; NaN if any is NaN (Math.max propagates it). */
  private static float max(float[] x, int from, int c) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      max = Math.max(max, x[from + j]);
    }
    return max;
  }

  private static double max(double[] x, int from, int c) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      max = Math.max(max, x[from + j]);
    }
    return max;
  }
}
