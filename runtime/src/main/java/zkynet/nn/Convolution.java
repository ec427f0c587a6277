package zkynet.nn;

import zkynet.Operator;
import zkynet.Tensor;

/**
 * 2-D convolution and pooling over NCHW tensors as operators built from {@code pad}, {@code take},
 * {@code reshape}, {@code permute} and {@code matmul} (im2col), so the processor derives their
 * derivatives; {@code ConvolutionOps} has the graph versions. {@code stride}, {@code padding} and
 * {@code dilation} are {@code {height, width}} pairs.
 */
public final class Convolution {
  private Convolution() {}

  /**
   * The windows of an (already padded) {@code [N, C, H, W]} input as {@code [N, OH, OW, C, kh,
   * kw]}.
   */
  @Operator
  static Tensor patches(Tensor x, int kh, int kw, int[] stride, int[] dilation) {
    int oh = Windows.outSize(x.shape(2), kh, stride[0], dilation[0]);
    int ow = Windows.outSize(x.shape(3), kw, stride[1], dilation[1]);
    return x.take(Windows.indices(oh, kh, stride[0], dilation[0]), 2)
        .take(Windows.indices(ow, kw, stride[1], dilation[1]), 3)
        .reshape(x.shape(0), x.shape(1), oh, kh, ow, kw)
        .permute(0, 2, 4, 1, 3, 5);
  }

  /** {@code x} with {@code padding[0]} zeros above and below and {@code padding[1]} on each side. */
  @Operator
  static Tensor pad2d(Tensor x, int[] padding) {
    return x.pad(2, padding[0], padding[0]).pad(3, padding[1], padding[1]);
  }

  /**
   * Cross-correlation (PyTorch's {@code conv2d}) without bias: x {@code [N, C, H, W]}, weight {@code
   * [O, C, kh, kw]}, result {@code [N, O, OH, OW]} with {@code OH = (H + 2 ph - dh (kh - 1) - 1) /
   * sh + 1}. One gather from the flattened padded planes gives the columns {@code [N, C kh kw, OH
   * OW]} directly in matmul order, so {@code weight [O, C kh kw] x columns} is already {@code [N, O,
   * OH OW]}: no transposed copies. (One matrix product per image; a single product over the whole
   * batch needs a transposed copy of the result and measured slower here.)
   */
  @Operator
  public static Tensor conv2dNoBias(Tensor x, Tensor weight, int[] stride, int[] padding,
      int[] dilation) {
    int taps = Windows.checkConv(x.shape(), weight.shape(), stride, padding, dilation);
    Tensor p = pad2d(x, padding);
    int kh = weight.shape(2);
    int kw = weight.shape(3);
    int oh = Windows.outSize(p.shape(2), kh, stride[0], dilation[0]);
    int ow = Windows.outSize(p.shape(3), kw, stride[1], dilation[1]);
    Tensor cols = p.reshape(p.shape(0), p.shape(1), p.shape(2) * p.shape(3))
        .take(Windows.columnIndices(p.shape(3), kh, kw, oh, ow, stride, dilation), 2)
        .reshape(p.shape(0), taps, oh * ow);
    return weight.reshape(weight.shape(0), taps).matmul(cols)
        .reshape(x.shape(0), weight.shape(0), oh, ow);
  }

  /** {@link #conv2dNoBias} plus {@code bias} {@code [O]} on each output channel. */
  @Operator
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
      int[] dilation) {
    return conv2dNoBias(x, weight, stride, padding, dilation)
        .add(bias.reshape(bias.shape(0), 1, 1));
  }

  /**
   * Max over {@code kernel} windows; the padding counts as -infinity (at most half the kernel). A tie
   * splits the gradient equally among the maximal elements (PyTorch gives it all to one of them).
   */
  @Operator
  public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    int[] k = Windows.checkMaxPool(x.shape(), kernel, stride, padding);
    Tensor border = Windows.negInfBorder(x.shape(2), x.shape(3), padding, x.dtype());
    Tensor p = patches(pad2d(x, padding).add(border), k[0], k[1], stride,
        new int[] {1, 1});
    return p.max(new int[] {4, 5}, false).permute(0, 3, 1, 2);
  }

  /** Mean over {@code kernel} windows, padding zeros included in the count (PyTorch's default). */
  @Operator
  public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    int[] k = Windows.checkPool("avgPool2d", x.shape(), kernel, stride, padding);
    Tensor p = patches(pad2d(x, padding), k[0], k[1], stride, new int[] {1, 1});
    return p.mean(new int[] {4, 5}, false).permute(0, 3, 1, 2);
  }

  /**
   * The non-overlapping {@code kernel} tiles of {@code x} {@code [N, C, H, W]} as {@code [N, C, OH,
   * kh, OW, kw]} (rows and columns beyond the last whole tile dropped, as PyTorch's floor mode):
   * the windows of a pooling whose stride is its kernel and whose padding is zero, by slicing and
   * reshaping instead of gathering.
   */
  @Operator
  static Tensor tiles(Tensor x, int[] kernel) {
    int[] k = Windows.checkPool("pool2d", x.shape(), kernel, kernel, new int[] {0, 0});
    int oh = x.shape(2) / k[0];
    int ow = x.shape(3) / k[1];
    return x.slice(2, 0, oh * k[0]).slice(3, 0, ow * k[1])
        .reshape(x.shape(0), x.shape(1), oh, k[0], ow, k[1]);
  }

  /** {@link #maxPool2d} with stride equal to the kernel and no padding, over {@link #tiles}. */
  @Operator
  public static Tensor maxPoolTiles(Tensor x, int[] kernel) {
    return tiles(x, kernel).max(new int[] {3, 5}, false);
  }

  /** {@link #avgPool2d} with stride equal to the kernel and no padding, over {@link #tiles}. */
  @Operator
  public static Tensor avgPoolTiles(Tensor x, int[] kernel) {
    return tiles(x, kernel).mean(new int[] {3, 5}, false);
  }
}
