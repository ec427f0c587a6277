package zkynet.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zkynet.Module;
import zkynet.ModuleBase;
import zkynet.Node;

/**
 * Layers applied one after another: {@code new Sequential(new Linear(..), Activation.relu(), new
 * Linear(..))}. The layers may be of different classes; each must take exactly one input. Their
 * parameters are named {@code layers.0.weight}, {@code layers.2.bias}, ...
 */
@Module
public class Sequential extends Zk_Sequential {
  final List<ModuleBase> layers;

  public Sequential(ModuleBase... layers) {
    this(layers == null ? null : Arrays.asList(layers));
  }

  public Sequential(List<? extends ModuleBase> layers) {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("Sequential needs at least one layer");
    }
    List<ModuleBase> copy = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ModuleBase m = layers.get(i);
      if (m == null) {
        throw new IllegalArgumentException("Sequential: layer " + i + " is null");
      }
      if (m.inputs().size() != 1) {
        throw new IllegalArgumentException("Sequential: layer " + i + " (" + m.name()
            + ") takes " + m.inputs().size() + " inputs; every layer must take exactly one");
      }
      copy.add(m);
    }
    this.layers = List.copyOf(copy);
  }

  /** The number of layers. */
  public int size() {
    return layers.size();
  }

  /** Layer {@code i}. */
  public ModuleBase get(int i) {
    return layers.get(i);
  }

  Node call(Node x) {
    Node h = x;
    for (ModuleBase layer : layers) {
      h = layer.applyNodes(h);
    }
    return h;
  }
}
