package zkynet.backend;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Conversions between {@link Tensor} and ND4J's {@link INDArray}, for programs that have ND4J on
 * their classpath (it is an optional dependency of the runtime: add {@code org.nd4j:nd4j-native}).
 * Both directions copy, whatever the current backend. Only this class and {@link Nd4jBackend}
 * reference ND4J types, and neither is loaded unless used, so the runtime works without ND4J.
 */
public final class Nd4jInterop {
  private Nd4jInterop() {}

  /**
   * A tensor holding a copy of {@code array}, on the current backend. FLOAT and DOUBLE keep their
   * dtype; integer and other numeric dtypes become float32.
   */
  public static Tensor of(INDArray array) {
    DType dtype = array.dataType() == DataType.DOUBLE ? DType.FLOAT64 : DType.FLOAT32;
    long[] ls = array.shape();
    int[] shape = new int[ls.length];
    for (int i = 0; i < ls.length; i++) {
      shape[i] = Math.toIntExact(ls[i]);
    }
    double[] data = array.length() == 0 ? new double[0]
        : array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    return Tensor.of(data, dtype, shape);
  }

  /** A copy of {@code t} as an ND4J array of its shape (rank 0 included) and dtype. */
  public static INDArray toINDArray(Tensor t) {
    DataType dt = t.dtype() == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    int[] shape = t.shape();
    long[] ls = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      ls[i] = shape[i];
    }
    double[] data = t.toDoubleArray();
    if (data.length == 0) {
      return Nd4j.create(dt, ls);
    }
    if (shape.length == 0) {
      return Nd4j.scalar(dt, data[0]);
    }
    return Nd4j.create(data, ls, dt).castTo(dt);
  }

  /**
   * Whether {@code value} may be an ND4J value, judged by its class name alone (so that no ND4J class
   * is loaded when ND4J is absent).
   */
  public static boolean isNd4jValue(Object value) {
    return value.getClass().getName().startsWith("org.nd4j.");
  }

  /** {@link #of(INDArray)} for a value that {@link #isNd4jValue} accepted; an error if it is no INDArray. */
  public static Tensor fromObject(Object value) {
    if (value instanceof INDArray a) {
      return of(a);
    }
    throw new IllegalArgumentException("Tensor.from: cannot convert a " + value.getClass().getName()
        + " to a Tensor; of ND4J's types only INDArray converts");
  }
}
