package zkynet.train;

import java.util.Arrays;
import zkynet.Tensor;

/**
 * Feature standardisation: {@code (x - mean) / (std + eps)} per feature, with the mean and standard
 * deviation measured on a training set (never on the data it is evaluated on). The {@code eps}
 * keeps features that are constant in the training set (e.g. always-blank border pixels) finite.
 */
public final class Standardizer {
  private final double[] mean;
  private final double[] scale;
  private final Tensor meanTensor;
  private final Tensor scaleTensor;

  private Standardizer(double[] mean, double[] scale, Dataset like) {
    this.mean = mean;
    this.scale = scale;
    this.meanTensor = Tensor.of(mean, like.dtype(), mean.length);
    this.scaleTensor = Tensor.of(scale, like.dtype(), scale.length);
  }

  /** Measures each feature of a dataset of rank-1 rows. */
  public static Standardizer fit(Dataset train, double eps) {
    int[] row = train.rowShape();
    if (row.length != 1) {
      throw new IllegalArgumentException("Standardizer: rows must be feature vectors, got row shape "
          + Arrays.toString(row));
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("Standardizer: the training set is empty");
    }
    if (!(eps >= 0)) {
      throw new IllegalArgumentException("Standardizer: eps must be >= 0, got " + eps);
    }
    int f = row[0];
    int n = train.size();
    double[] x = train.features().toDoubleArray();
    double[] mean = new double[f];
    double[] var = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        mean[j] += x[i * f + j];
      }
    }
    for (int j = 0; j < f; j++) {
      mean[j] /= n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double d = x[i * f + j] - mean[j];
        var[j] += d * d;
      }
    }
    double[] scale = new double[f];
    for (int j = 0; j < f; j++) {
      scale[j] = Math.sqrt(var[j] / n) + eps;
      if (!(scale[j] > 0)) {
        throw new IllegalArgumentException("Standardizer: feature " + j + " is constant; use eps > 0");
      }
    }
    return new Standardizer(mean, scale, train);
  }

  /** The standardised features of a batch {@code [n, f]}. */
  public Tensor apply(Tensor x) {
    return x.sub(meanTensor.to(x.dtype())).div(scaleTensor.to(x.dtype()));
  }

  /** A standardised copy of a dataset (same labels or targets). */
  public Dataset apply(Dataset data) {
    return data.withFeatures(apply(data.features()));
  }

  /** Per-feature means. */
  public double[] mean() {
    return mean.clone();
  }

  /** Per-feature divisors (std + eps). */
  public double[] scale() {
    return scale.clone();
  }
}
