package zkynet.examples;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;

import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/** A linear layer: X W + b, for X of shape [n, in], W [in, out] and b [out]. */
@Module
public class Linear extends Zk_Linear {
  final Parameter weight;
  final Parameter bias;

  public Linear(Tensor weight, Tensor bias) {
    this.weight = parameter(weight);
    this.bias = parameter(bias);
  }

  Node call(Node x) {
    return add(matmul(x, weight), bias);
  }
}
