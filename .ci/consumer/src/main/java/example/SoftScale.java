package example;

import static zkynet.BuiltinsOps.mult;

import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;

/** softplus(w * x): a module calling the custom operator through its generated facade. */
@Module
public class SoftScale extends Zk_SoftScale {
  final Parameter w;

  public SoftScale(double w0) {
    w = parameter(w0);
  }

  Node call(Node x) {
    return SmoothOps.softplus(mult(w, x));
  }
}
