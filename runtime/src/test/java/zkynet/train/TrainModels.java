package zkynet.train;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.log;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sum;

import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/** Small modules for the training tests. */
public final class TrainModels {
  private TrainModels() {}

  /** x + z: with x = 0 its output is the parameter z itself (logits or predictions under test). */
  @Module
  static class Shift extends Zk_TrainModels_Shift {
    final Parameter z;

    Shift(Tensor z0) {
      z = parameter(z0);
    }

    Node call(Node x) {
      return add(x, z);
    }
  }

  /** sum(w * x): the gradient with respect to w is x, so a test chooses the gradient. */
  @Module
  static class WeightedSum extends Zk_TrainModels_WeightedSum {
    final Parameter w;
    final Parameter unused;

    WeightedSum(Tensor w0) {
      w = parameter(w0);
      unused = parameter(Tensor.of(7.0).to(w0.dtype()));
    }

    Node call(Node x) {
      return sum(mult(w, x));
    }
  }

  /** x w + b. */
  @Module
  static class Dense extends Zk_TrainModels_Dense {
    final Parameter w;
    final Parameter b;

    Dense(Tensor w0, Tensor b0) {
      w = parameter(w0);
      b = parameter(b0);
    }

    Node call(Node x) {
      return add(matmul(x, w), b);
    }
  }

  /** A module with a sub-module, so parameter paths are {@code dense.w} and {@code dense.b}. */
  @Module
  public static class Net extends Zk_TrainModels_Net {
    final Dense dense;

    public Net(Tensor w0, Tensor b0) {
      dense = new Dense(w0, b0);
    }

    Node call(Node x) {
      return dense.apply(x);
    }
  }

  /** log(x): NaN for negative inputs, to make a loss diverge. */
  @Module
  static class Log extends Zk_TrainModels_Log {
    Node call(Node x) {
      return sum(log(x));
    }
  }
}
