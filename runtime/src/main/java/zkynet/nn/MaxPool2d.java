package zkynet.nn;

import static zkynet.nn.ConvolutionOps.maxPool2d;

import zkynet.Module;
import zkynet.Node;

/**
 * Max pooling over NCHW input ({@code nn.MaxPool2d}): kernel, stride and padding are {@code
 * {height, width}} pairs; padding counts as -infinity and may be at most half the kernel.
 */
@Module
public class MaxPool2d extends Zk_MaxPool2d {
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;

  /** A square window of {@code k}, stride {@code k}, no padding. */
  public MaxPool2d(int k) {
    this(new int[] {k, k}, new int[] {k, k}, new int[] {0, 0});
  }

  public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
    Windows.pair("MaxPool2d", "kernel", kernel, 1);
    Windows.pair("MaxPool2d", "stride", stride, 1);
    Windows.pair("MaxPool2d", "padding", padding, 0);
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
  }

  Node call(Node x) {
    return maxPool2d(x, kernel, stride, padding);
  }
}
