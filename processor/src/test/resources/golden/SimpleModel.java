package zkynet.examples;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.square;

import zkynet.Module; // single-type import: java.lang.Module exists
import zkynet.Node;
import zkynet.Parameter;

/** The seed's model: f(x, w) = (x + w) * x^2, with one input x and one parameter w. */
@Module
public class SimpleModel extends Zk_SimpleModel {
  final Parameter w;

  public SimpleModel(double w0) {
    w = parameter(w0); // named "w" after its field
  }

  Node call(Node x) { // the forward pass; input "x"
    Node a = add(x, w);
    Node b = square(x);
    return mult(a, b);
  }
}
