package zkynet.nn;

import java.util.Arrays;
import zkynet.DType;
import zkynet.Tensor;

/** Sliding-window arithmetic shared by the convolution and pooling operators (NCHW). */
final class Windows {
  private Windows() {}

  /** Output length along one axis of a window of size {@code k} (padding already applied). */
  static int outSize(int in, int k, int stride, int dilation) {
    int span = dilation * (k - 1) + 1;
    return in < span ? 0 : (in - span) / stride + 1;
  }

  /** For each output position o and window offset j (row-major): {@code o * stride + j * dilation}. */
  static int[] indices(int out, int k, int stride, int dilation) {
    int[] idx = new int[Math.multiplyExact(out, k)];
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < k; j++) {
        idx[o * k + j] = o * stride + j * dilation;
      }
    }
    return idx;
  }

  /**
   * The im2col gather of a padded {@code [hp, wp]} plane flattened to {@code hp * wp}: for each
   * kernel offset (u, v) and then each output position (i, j), all row-major, the flat position
   * {@code (i * sh + u * dh) * wp + j * sw + v * dw}.
   */
  static int[] columnIndices(int wp, int kh, int kw, int oh, int ow, int[] stride,
      int[] dilation) {
    int[] idx = new int[Math.multiplyExact(Math.multiplyExact(kh * kw, oh), ow)];
    int at = 0;
    for (int u = 0; u < kh; u++) {
      for (int v = 0; v < kw; v++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            idx[at++] = (i * stride[0] + u * dilation[0]) * wp + j * stride[1] + v * dilation[1];
          }
        }
      }
    }
    return idx;
  }

  /** Zeros inside, -infinity in the padding border of a padded {@code [h + 2 ph, w + 2 pw]} plane. */
  static Tensor negInfBorder(int h, int w, int[] padding, DType dtype) {
    int hp = h + 2 * padding[0];
    int wp = w + 2 * padding[1];
    double[] m = new double[Math.multiplyExact(hp, wp)];
    for (int i = 0; i < hp; i++) {
      for (int j = 0; j < wp; j++) {
        boolean inside = i >= padding[0] && i < padding[0] + h && j >= padding[1]
            && j < padding[1] + w;
        m[i * wp + j] = inside ? 0 : Double.NEGATIVE_INFINITY;
      }
    }
    return Tensor.of(m, dtype, hp, wp);
  }

  /**
   * Checks an NCHW input shape against a window {@code [kh, kw]} and the pairs stride (>= 1),
   * padding (>= 0) and dilation (>= 1): every output axis must have at least one position.
   */
  static void check(String op, int[] x, int kh, int kw, int[] stride, int[] padding,
      int[] dilation) {
    if (x.length != 4) {
      throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got "
          + Arrays.toString(x));
    }
    pair(op, "stride", stride, 1);
    pair(op, "padding", padding, 0);
    pair(op, "dilation", dilation, 1);
    if (kh < 1 || kw < 1) {
      throw new IllegalArgumentException(op + ": kernel must be at least 1x1, got " + kh + "x" + kw);
    }
    int oh = outSize(x[2] + 2 * padding[0], kh, stride[0], dilation[0]);
    int ow = outSize(x[3] + 2 * padding[1], kw, stride[1], dilation[1]);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " (dilation "
          + Arrays.toString(dilation) + ") does not fit input " + Arrays.toString(x)
          + " with padding " + Arrays.toString(padding));
    }
  }

  static void pair(String op, String what, int[] v, int min) {
    if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
      throw new IllegalArgumentException(op + ": " + what + " must be two ints >= " + min + ", got "
          + (v == null ? "null" : Arrays.toString(v)));
    }
  }

  /** Checks a convolution's arguments; returns the taps per output element, {@code C * kh * kw}. */
  static int checkConv(int[] x, int[] weight, int[] stride, int[] padding, int[] dilation) {
    if (weight.length != 4) {
      throw new IllegalArgumentException("conv2d: weight must be [out, in, kh, kw], got "
          + Arrays.toString(weight));
    }
    check("conv2d", x, weight[2], weight[3], stride, padding, dilation);
    if (x[1] != weight[1]) {
      throw new IllegalArgumentException("conv2d: input " + Arrays.toString(x) + " has "
          + x[1] + " channels, weight " + Arrays.toString(weight) + " expects "
          + weight[1]);
    }
    return weight[1] * weight[2] * weight[3];
  }

  /** Checks a pooling's arguments; returns a copy of the kernel. */
  static int[] checkPool(String op, int[] x, int[] kernel, int[] stride, int[] padding) {
    pair(op, "kernel", kernel, 1);
    check(op, x, kernel[0], kernel[1], stride, padding, new int[] {1, 1});
    return kernel.clone();
  }

  /** {@link #checkPool}, and the padding at most half the kernel (so no window is all padding). */
  static int[] checkMaxPool(int[] x, int[] kernel, int[] stride, int[] padding) {
    checkPool("maxPool2d", x, kernel, stride, padding);
    if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
      throw new IllegalArgumentException("maxPool2d: padding " + Arrays.toString(padding)
          + " must be at most half the kernel " + Arrays.toString(kernel));
    }
    return kernel.clone();
  }
}
