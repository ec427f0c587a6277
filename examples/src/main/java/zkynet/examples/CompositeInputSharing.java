package zkynet.examples;

import static zkynet.BuiltinsOps.add;

import zkynet.Module;
import zkynet.Node;

/** Input sharing, no weight sharing: two sub-models on one input, f(x; w1) + f(x; w2). */
@Module
public class CompositeInputSharing extends Zk_CompositeInputSharing {
  final SimpleModel m1;
  final SimpleModel m2;

  public CompositeInputSharing(double w1, double w2) {
    m1 = new SimpleModel(w1);
    m2 = new SimpleModel(w2);
  }

  Node call(Node x) {
    return add(m1.apply(x), m2.apply(x));
  }
}
