package zkynet.examples.digits;

import static zkynet.BuiltinsOps.relu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.nn.Linear;

/**
 * A multi-layer perceptron: {@link Linear} layers with ReLU between them and raw logits out, e.g.
 * {@code new Mlp(rng, FLOAT32, 64, 128, 10)} is 64-128-10. Hidden layers are He-initialised, the
 * output layer Xavier-initialised, all from {@code rng}.
 */
@Module
public class Mlp extends Zk_Mlp {
  final List<Linear> layers;

  public Mlp(Random rng, DType dtype, int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("Mlp needs at least an input and an output size, got "
          + java.util.Arrays.toString(sizes));
    }
    List<Linear> list = new ArrayList<>();
    for (int i = 0; i + 1 < sizes.length; i++) {
      boolean last = i + 2 == sizes.length;
      list.add(new Linear(rng, dtype, sizes[i], sizes[i + 1], true,
          last ? Linear.InitKind.XAVIER : Linear.InitKind.HE));
    }
    this.layers = List.copyOf(list);
  }

  Node call(Node x) {
    Node h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).apply(h);
      if (i + 1 < layers.size()) {
        h = relu(h);
      }
    }
    return h;
  }
}
