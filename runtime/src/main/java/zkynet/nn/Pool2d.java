package zkynet.nn;

/** A pooling layer's window: kernel, stride and padding as {@code {height, width}} pairs, checked. */
record Pool2d(int[] kernel, int[] stride, int[] padding) {
  Pool2d {
    Windows.pair("pooling", "kernel", kernel, 1);
    Windows.pair("pooling", "stride", stride, 1);
    Windows.pair("pooling", "padding", padding, 0);
    kernel = kernel.clone();
    stride = stride.clone();
    padding = padding.clone();
  }

  /** Whether the windows are the non-overlapping tiles: stride equal to the kernel, no padding. */
  boolean tiles() {
    return java.util.Arrays.equals(kernel, stride) && padding[0] == 0 && padding[1] == 0;
  }

  /** A square window of {@code k}, stride {@code k}, no padding. */
  static Pool2d square(int k) {
    return new Pool2d(new int[] {k, k}, new int[] {k, k}, new int[] {0, 0});
  }
}
