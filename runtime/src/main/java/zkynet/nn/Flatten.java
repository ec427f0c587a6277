package zkynet.nn;

import static zkynet.BuiltinsOps.reshape;

import java.util.Arrays;
import zkynet.Module;
import zkynet.Node;

/**
 * Flattens the axes from {@code startAxis} on into one: {@code [n, c, h, w]} becomes {@code [n, c *
 * h * w]} with the default start axis 1 (PyTorch's {@code nn.Flatten()}). The axes before it are
 * kept; an input of rank {@code startAxis} gets a trailing axis of size 1.
 */
@Module
public class Flatten extends Zk_Flatten {
  private final int startAxis;

  /** Keeps axis 0 (the batch) and flattens the rest. */
  public Flatten() {
    this(1);
  }

  /** Keeps the axes before {@code startAxis} (>= 0) and flattens the rest. */
  public Flatten(int startAxis) {
    if (startAxis < 0) {
      throw new IllegalArgumentException("Flatten: startAxis must be >= 0, got " + startAxis);
    }
    this.startAxis = startAxis;
  }

  Node call(Node x) {
    return reshape(x, flatShape(x.shape(), startAxis, name()));
  }

  static int[] flatShape(int[] shape, int startAxis, String where) {
    if (shape.length < startAxis) {
      throw new IllegalArgumentException(where + ": Flatten from axis " + startAxis
          + " needs an input of rank >= " + startAxis + ", got shape " + Arrays.toString(shape));
    }
    int[] out = Arrays.copyOf(shape, startAxis + 1);
    long rest = 1;
    for (int i = startAxis; i < shape.length; i++) {
      rest *= shape[i];
    }
    if (rest > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + ": flattened size " + rest + " of shape "
          + Arrays.toString(shape) + " exceeds Integer.MAX_VALUE");
    }
    out[startAxis] = (int) rest;
    return out;
  }
}
