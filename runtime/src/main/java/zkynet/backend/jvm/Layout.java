package zkynet.backend.jvm;

/** Row-major layout facts about shapes and strides. */
final class Layout {
  private Layout() {}

  /** Whether {@code strides} are the row-major strides of {@code shape} (axes of size 1 may have any stride). */
  static boolean isContiguous(int[] shape, int[] strides) {
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }
}
