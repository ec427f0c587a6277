package zkynet.examples;

import java.util.ArrayList;
import java.util.List;
import zkynet.Module;
import zkynet.Node;

/** A list of sub-modules applied in sequence: f_n(...f_2(f_1(x))), each stage a SimpleModel. */
@Module
public class Chain extends Zk_Chain {
  final List<SimpleModel> stages;

  public Chain(double... weights) {
    List<SimpleModel> list = new ArrayList<>();
    for (double w : weights) {
      list.add(new SimpleModel(w));
    }
    stages = List.copyOf(list);
  }

  Node call(Node x) {
    Node y = x;
    for (SimpleModel stage : stages) {
      y = stage.apply(y);
    }
    return y;
  }
}
