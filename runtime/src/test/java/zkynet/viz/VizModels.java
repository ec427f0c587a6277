package zkynet.viz;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.square;

import java.util.List;
import zkynet.Module;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Parameter;

/** Modules drawn by the tests: the seed's simple model and its four composites. */
final class VizModels {
  private VizModels() {}

  /** The seed's f(x, w) = (x + w) * x^2. */
  @Module
  static class Simple extends Zk_VizModels_Simple {
    final Parameter w;

    Simple(double w0) {
      w = parameter(w0);
    }

    Node call(Node x) {
      Node a = add(x, w);
      Node b = square(x);
      return mult(a, b);
    }
  }

  /** Weight sharing and input sharing: one inner module called twice on the same input. */
  @Module
  static class SharedWeightSharedInput extends Zk_VizModels_SharedWeightSharedInput {
    final Simple inner = new Simple(1.0);

    Node call(Node x) {
      return add(inner.apply(x), inner.apply(x));
    }
  }

  /** Weight sharing, separate inputs: one inner module called on x and on y. */
  @Module
  static class SharedWeightSeparateInputs extends Zk_VizModels_SharedWeightSeparateInputs {
    final Simple inner = new Simple(1.0);

    Node call(Node x, Node y) {
      return add(inner.apply(x), inner.apply(y));
    }
  }

  /** Separate weights, shared input: two inner modules called on the same input. */
  @Module
  static class SeparateWeightsSharedInput extends Zk_VizModels_SeparateWeightsSharedInput {
    final Simple first = new Simple(1.0);
    final Simple second = new Simple(2.0);

    Node call(Node x) {
      return add(first.apply(x), second.apply(x));
    }
  }

  /** Separate weights, separate inputs. */
  @Module
  static class SeparateWeightsSeparateInputs extends Zk_VizModels_SeparateWeightsSeparateInputs {
    final Simple first = new Simple(1.0);
    final Simple second = new Simple(2.0);

    Node call(Node x, Node y) {
      return add(first.apply(x), second.apply(y));
    }
  }

  /** A value used twice by one operator: mult(x, x). */
  @Module
  static class SquareByMult extends Zk_VizModels_SquareByMult {
    Node call(Node x) {
      return mult(x, x);
    }
  }

  /** A constant operand: 2 * x. */
  @Module
  static class Doubler extends Zk_VizModels_Doubler {
    Node call(Node x) {
      return mult(Operand.constant(2.0), x);
    }
  }

  /** Two levels of sub-modules: Outer calls SharedWeightSharedInput, which calls Simple. */
  @Module
  static class Outer extends Zk_VizModels_Outer {
    final SharedWeightSharedInput middle = new SharedWeightSharedInput();

    Node call(Node x) {
      return square(middle.apply(x));
    }
  }

  /** Returns its input: a graph of one node and no edges. */
  @Module
  static class Identity extends Zk_VizModels_Identity {
    Node call(Node x) {
      return x;
    }
  }

  /** Ignores its second input, which is drawn unconnected. */
  @Module
  static class IgnoresY extends Zk_VizModels_IgnoresY {
    Node call(Node x, Node y) {
      return square(x);
    }
  }

  /** A long chain: x + w added {@code n} times, to check that big graphs stay drawable. */
  @Module
  static class Chain extends Zk_VizModels_Chain {
    final Parameter w;
    final int n;

    Chain(int n) {
      this.n = n;
      w = parameter(0.5);
    }

    Node call(Node x) {
      Node y = x;
      for (int i = 0; i < n; i++) {
        y = add(y, w);
      }
      return y;
    }
  }

  /** A list of sub-modules in sequence, whose elements wrap another module: layers.i.inner. */
  @Module
  static class Stack extends Zk_VizModels_Stack {
    final List<SharedWeightSharedInput> layers =
        List.of(new SharedWeightSharedInput(), new SharedWeightSharedInput());

    Node call(Node x) {
      Node y = x;
      for (SharedWeightSharedInput layer : layers) {
        y = layer.apply(y);
      }
      return y;
    }
  }

  /** Multiplies by a weight it is handed (owned by whoever made it). */
  @Module
  static class Scale extends Zk_VizModels_Scale {
    final Parameter k;

    Scale(Parameter k) {
      this.k = k;
    }

    Node call(Node x) {
      return mult(x, k);
    }
  }

  /**
   * One weight of its own shared by two sub-modules, and a sub-module made inside the forward pass
   * (no field holds it).
   */
  @Module
  static class SharedParameter extends Zk_VizModels_SharedParameter {
    final Parameter k = parameter(3.0);
    final Scale a = new Scale(k);
    final Scale b = new Scale(k);

    Node call(Node x) {
      return new Simple(1.0).apply(add(a.apply(x), b.apply(x)));
    }
  }

  /** A matrix parameter and a float64 one (the matrix is unused: summary() still lists it). */
  @Module
  static class Affine extends Zk_VizModels_Affine {
    final Parameter w = parameter(new double[64][32]);
    final Parameter b = parameter(zkynet.Tensor.zeros(zkynet.DType.FLOAT64, 32));

    Node call(Node x) {
      return add(x, b);
    }
  }

  /** An Affine next to a list of nested modules. */
  @Module
  static class WithAffine extends Zk_VizModels_WithAffine {
    final Stack stack = new Stack();
    final Affine affine = new Affine();

    Node call(Node x) {
      return affine.apply(stack.apply(x));
    }
  }
}
