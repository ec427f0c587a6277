package zkynet.train;

import java.util.Arrays;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Integer class labels carried as a module input. A forward method takes only {@code Node}
 * inputs, so labels travel as a rank-1 float tensor of class indices (exact in float32 up to
 * 2^24) and are turned back into {@code int[]} inside the forward pass (see {@link
 * CrossEntropyLoss}).
 */
public final class Labels {
  private Labels() {}

  /** A rank-1 float32 tensor holding the class indices. */
  public static Tensor tensor(int[] labels) {
    return tensor(labels, DType.FLOAT32);
  }

  public static Tensor tensor(int[] labels, DType dtype) {
    double[] data = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is negative");
      }
      data[i] = labels[i];
    }
    return Tensor.of(data, dtype, labels.length);
  }

  /**
   * The class indices held by a rank-1 tensor; an error naming the index when a value is not a
   * non-negative integer.
   */
  public static int[] toInts(Tensor labels) {
    if (labels.rank() != 1) {
      throw new IllegalArgumentException("labels must be a rank-1 tensor of class indices, got shape "
          + Arrays.toString(labels.shape()));
    }
    double[] data = labels.toDoubleArray();
    int[] out = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      double d = data[i];
      if (!(d >= 0 && d <= (1 << 24) && d == Math.rint(d))) {
        throw new IllegalArgumentException("labels[" + i + "] = " + d
            + " is not a class index (a non-negative integer)");
      }
      out[i] = (int) d;
    }
    return out;
  }
}
