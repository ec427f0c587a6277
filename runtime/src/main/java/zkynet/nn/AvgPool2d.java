package zkynet.nn;

import static zkynet.nn.ConvolutionOps.avgPool2d;
import static zkynet.nn.ConvolutionOps.avgPoolTiles;

import zkynet.Module;
import zkynet.Node;

/**
 * Average pooling over NCHW input ({@code nn.AvgPool2d}): kernel, stride and padding are {@code
 * {height, width}} pairs; padding zeros count in the average (PyTorch's default).
 */
@Module
public class AvgPool2d extends Zk_AvgPool2d {
  private final Pool2d window;

  /** A square window of {@code k}, stride {@code k}, no padding. */
  public AvgPool2d(int k) {
    this.window = Pool2d.square(k);
  }

  public AvgPool2d(int[] kernel, int[] stride, int[] padding) {
    this.window = new Pool2d(kernel, stride, padding);
  }

  Node call(Node x) {
    return window.tiles() ? avgPoolTiles(x, window.kernel())
        : avgPool2d(x, window.kernel(), window.stride(), window.padding());
  }
}
