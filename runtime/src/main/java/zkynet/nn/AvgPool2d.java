package zkynet.nn;

import static zkynet.nn.ConvolutionOps.avgPool2d;

import zkynet.Module;
import zkynet.Node;

/**
 * Average pooling over NCHW input ({@code nn.AvgPool2d}): kernel, stride and padding are {@code
 * {height, width}} pairs; padding zeros count in the average (PyTorch's default).
 */
@Module
public class AvgPool2d extends Zk_AvgPool2d {
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;

  /** A square window of {@code k}, stride {@code k}, no padding. */
  public AvgPool2d(int k) {
    this(new int[] {k, k}, new int[] {k, k}, new int[] {0, 0});
  }

  public AvgPool2d(int[] kernel, int[] stride, int[] padding) {
    Windows.pair("AvgPool2d", "kernel", kernel, 1);
    Windows.pair("AvgPool2d", "stride", stride, 1);
    Windows.pair("AvgPool2d", "padding", padding, 0);
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
  }

  Node call(Node x) {
    return avgPool2d(x, kernel, stride, padding);
  }
}
