package zkynet.nn;

import static zkynet.nn.ConvolutionOps.maxPool2d;
import static zkynet.nn.ConvolutionOps.maxPoolTiles;

import zkynet.Module;
import zkynet.Node;

/**
 * Max pooling over NCHW input ({@code nn.MaxPool2d}): kernel, stride and padding are {@code
 * {height, width}} pairs; padding counts as -infinity and may be at most half the kernel.
 */
@Module
public class MaxPool2d extends Zk_MaxPool2d {
  private final Pool2d window;

  /** A square window of {@code k}, stride {@code k}, no padding. */
  public MaxPool2d(int k) {
    this.window = Pool2d.square(k);
  }

  public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
    this.window = new Pool2d(kernel, stride, padding);
  }

  Node call(Node x) {
    return window.tiles() ? maxPoolTiles(x, window.kernel())
        : maxPool2d(x, window.kernel(), window.stride(), window.padding());
  }
}
