package zkynet.examples.xor;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.relu;

import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * The classic XOR network (Goodfellow, Bengio and Courville, "Deep Learning", section 6.1): two
 * inputs, two ReLU hidden units, one linear output, {@code relu(x W + c) w + b}.
 */
@Module
public class XorNet extends Zk_XorNet {
  final Parameter w1;
  final Parameter c;
  final Parameter w2;
  final Parameter b;

  /** w1 [2, 2], c [2], w2 [2, 1], b [1]. */
  public XorNet(Tensor w1, Tensor c, Tensor w2, Tensor b) {
    this.w1 = parameter(w1);
    this.c = parameter(c);
    this.w2 = parameter(w2);
    this.b = parameter(b);
  }

  Node call(Node x) {
    return add(matmul(relu(add(matmul(x, w1), c)), w2), b);
  }
}
