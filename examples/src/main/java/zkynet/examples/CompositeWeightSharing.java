package zkynet.examples;

import static zkynet.BuiltinsOps.add;

import zkynet.Module;
import zkynet.Node;

/** Weight sharing, no input sharing: one sub-model (one w) on two inputs, f(x; w) + f(y; w). */
@Module
public class CompositeWeightSharing extends Zk_CompositeWeightSharing {
  final SimpleModel m;

  public CompositeWeightSharing(double w) {
    m = new SimpleModel(w);
  }

  Node call(Node x, Node y) {
    return add(m.apply(x), m.apply(y));
  }
}
