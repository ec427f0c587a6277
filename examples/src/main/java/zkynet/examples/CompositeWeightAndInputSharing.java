package zkynet.examples;

import static zkynet.BuiltinsOps.add;

import zkynet.Module;
import zkynet.Node;

/** Weight and input sharing: one sub-model called twice on one input, f(x; w) + f(x; w). */
@Module
public class CompositeWeightAndInputSharing extends Zk_CompositeWeightAndInputSharing {
  final SimpleModel m;

  public CompositeWeightAndInputSharing(double w) {
    m = new SimpleModel(w);
  }

  Node call(Node x) {
    return add(m.apply(x), m.apply(x));
  }
}
