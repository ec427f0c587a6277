package zkynet.statics;

import java.util.Random;
import zkynet.DType;
import zkynet.Tensor;

/**
 * A user's static constant, initialised on its first use, which {@link Shifts#shift} makes inside
 * an operator's forward pass: made by a kernel while a graph's arena is current, yet kept by the
 * class for good.
 */
final class ShiftTable {
  /** 64 x 128, large enough to be pooled; made by a kernel (the scaling). */
  static final Tensor BIG = Tensor.randn(new Random(5), DType.FLOAT32, 64, 128).mul(0.5);
  /** Its values as made. */
  static final double[] COPY = BIG.toDoubleArray();

  private ShiftTable() {}
}
