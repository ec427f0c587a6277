package zkynet.statics;

import zkynet.Operator;
import zkynet.Tensor;

/** An operator that reads a user's static constant ({@link ShiftTable}). */
public final class Shifts {
  private Shifts() {}

  /** {@code (x + BIG)^2}. */
  @Operator
  public static Tensor shift(Tensor x) {
    Tensor s = x.add(ShiftTable.BIG);
    return s.mul(s);
  }
}
