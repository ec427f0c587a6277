package zkynet.examples;

import static zkynet.BuiltinsOps.add;

import zkynet.Module;
import zkynet.Node;

/** No weight sharing, no input sharing: two sub-models on two inputs, f(x; w1) + f(y; w2). */
@Module
public class CompositeNoSharing extends Zk_CompositeNoSharing {
  final SimpleModel m1;
  final SimpleModel m2;

  public CompositeNoSharing(double w1, double w2) {
    m1 = new SimpleModel(w1);
    m2 = new SimpleModel(w2);
  }

  Node call(Node x, Node y) {
    return add(m1.apply(x), m2.apply(y));
  }
}
