package zkynet.nn;

import static zkynet.nn.ConvolutionOps.conv2d;
import static zkynet.nn.ConvolutionOps.conv2dNoBias;

import java.util.Random;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * 2-D convolution over NCHW input (PyTorch's {@code nn.Conv2d} without groups): weight {@code [out,
 * in, kh, kw]}, optional bias {@code [out]}, both initialised as PyTorch does, uniform in {@code
 * +-1/sqrt(in * kh * kw)} from the given {@link Random}. Stride, padding (zeros) and dilation are
 * {@code {height, width}} pairs.
 */
@Module
public class Conv2d extends Zk_Conv2d {
  final Parameter weight;
  final Parameter bias;
  private final int[] stride;
  private final int[] padding;
  private final int[] dilation;

  /** A square {@code kernel}, stride 1, no padding, dilation 1, with bias. */
  public Conv2d(Random rng, DType dtype, int in, int out, int kernel) {
    this(rng, dtype, in, out, new int[] {kernel, kernel}, new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, true);
  }

  public Conv2d(Random rng, DType dtype, int in, int out, int[] kernel, int[] stride,
      int[] padding, int[] dilation, boolean bias) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("Conv2d: channel counts must be positive, got in " + in
          + ", out " + out);
    }
    Windows.pair("Conv2d", "kernel", kernel, 1);
    Windows.pair("Conv2d", "stride", stride, 1);
    Windows.pair("Conv2d", "padding", padding, 0);
    Windows.pair("Conv2d", "dilation", dilation, 1);
    double bound = 1 / Math.sqrt((double) in * kernel[0] * kernel[1]);
    this.weight = parameter(Tensor.uniform(rng, -bound, bound, dtype, out, in, kernel[0],
        kernel[1]));
    this.bias = bias ? parameter(Tensor.uniform(rng, -bound, bound, dtype, out)) : null;
    this.stride = stride.clone();
    this.padding = padding.clone();
    this.dilation = dilation.clone();
  }

  Node call(Node x) {
    return bias == null ? conv2dNoBias(x, weight, stride, padding, dilation)
        : conv2d(x, weight, bias, stride, padding, dilation);
  }
}
