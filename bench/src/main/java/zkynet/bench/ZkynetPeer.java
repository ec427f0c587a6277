package zkynet.bench;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.relu;
import static zkynet.BuiltinsOps.square;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.tanh;

import java.util.ArrayList;
import java.util.List;
import zkynet.DType;
import zkynet.Input;
import zkynet.Module; // single-type import: java.lang.Module exists
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.backend.Backends;
import zkynet.bench.Problems.Activation;
import zkynet.bench.Problems.MlpProblem;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Labels;
import zkynet.train.Optimizer;
import zkynet.train.Sgd;

/**
 * Peer (a): zkynet written as a user writes it (README "Writing a module" and "Training"):
 * {@code @Module} classes over the built-in operators, {@code CrossEntropyLoss}, {@code Sgd} and
 * {@code Adam}. The only zkynet code of the benchmarks is in this file.
 */
final class ZkynetPeer implements Peer {

  /** f(x, w) = (x + w) * x^2. */
  @Module
  static class F extends Zk_ZkynetPeer_F {
    final Parameter w;

    F(float w0) {
      w = parameter(w0);
    }

    Node call(Node x) {
      return mult(add(x, w), square(x));
    }
  }

  /** sum(f(x, w)). */
  @Module
  static class SumOfF extends Zk_ZkynetPeer_SumOfF {
    final F f;

    SumOfF(F f) {
      this.f = f;
    }

    Node call(Node x) {
      return sum(f.apply(x));
    }
  }

  /** {@code layers} times y = tanh(a * y + b), then sum(y). */
  @Module
  static class TanhChain extends Zk_ZkynetPeer_TanhChain {
    final int layers;

    TanhChain(int layers) {
      this.layers = layers;
    }

    Node call(Node x) {
      Operand a = Operand.constant(Problems.W4_A);
      Operand b = Operand.constant(Problems.W4_B);
      Node y = x;
      for (int l = 0; l < layers; l++) {
        y = tanh(add(mult(a, y), b));
      }
      return sum(y);
    }
  }

  /** x w + b. */
  @Module
  static class Dense extends Zk_ZkynetPeer_Dense {
    final Parameter w;
    final Parameter b;

    Dense(Tensor w, Tensor b) {
      this.w = parameter(w);
      this.b = parameter(b);
    }

    Node call(Node x) {
      return add(matmul(x, w), b);
    }
  }

  /** Dense layers with the activation between them, logits out. */
  @Module
  static class Mlp extends Zk_ZkynetPeer_Mlp {
    final List<Dense> layers;
    final Activation activation;

    Mlp(List<Dense> layers, Activation activation) {
      this.layers = List.copyOf(layers);
      this.activation = activation;
    }

    Node call(Node x) {
      Node h = x;
      for (int i = 0; i < layers.size(); i++) {
        h = layers.get(i).apply(h);
        if (i + 1 < layers.size()) {
          h = activation == Activation.TANH ? tanh(h) : relu(h);
        }
      }
      return h;
    }
  }

  static String describe() {
    return "zkynet backend " + Backends.current().getClass().getSimpleName();
  }

  @Override
  public Step w1() {
    F f = new F(Problems.W1_W);
    Input x = f.input("x");
    return new Step() {
      double value;
      double gx;
      double gw;

      @Override
      public double run() {
        ModuleGraph g = f.apply(Problems.W1_X);
        g.back();
        value = g.value().item();
        gx = g.grad(x).item();
        gw = g.grad(f.w).item();
        return value + gx + gw;
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx).with("w", gw);
      }
    };
  }

  @Override
  public Step w2(float[] xs) {
    SumOfF model = new SumOfF(new F(Problems.W2_W));
    Tensor x = tensor(xs, xs.length);
    Input input = model.input("x");
    return new Step() {
      double value;
      Tensor gx;
      double gw;

      @Override
      public double run() {
        ModuleGraph g = model.apply(x);
        g.back();
        value = g.value().item();
        gx = g.grad(input);
        gw = g.grad(model.f.w).item();
        return value + gw;
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx.toDoubleArray()).with("w", gw);
      }
    };
  }

  @Override
  public Step w4(float[] xs, int layers) {
    TanhChain model = new TanhChain(layers);
    Tensor x = tensor(xs, xs.length);
    Input input = model.input("x");
    return new Step() {
      double value;
      Tensor gx;

      @Override
      public double run() {
        ModuleGraph g = model.apply(x);
        g.back();
        value = g.value().item();
        gx = g.grad(input);
        return value;
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx.toDoubleArray());
      }
    };
  }

  @Override
  public Step mlp(MlpProblem p) {
    List<Dense> layers = new ArrayList<>();
    for (int l = 0; l < p.layers(); l++) {
      layers.add(new Dense(tensor(p.w()[l], p.in(l), p.out(l)), tensor(p.b()[l], p.out(l))));
    }
    Mlp mlp = new Mlp(layers, p.activation());
    CrossEntropyLoss loss = new CrossEntropyLoss(mlp);
    Problems.Optim o = p.optim();
    Optimizer optimizer = o.adam()
        ? new Adam(mlp, o.lr(), o.beta1(), o.beta2(), o.eps())
        : new Sgd(mlp, o.lr());
    Tensor x = tensor(p.x(), p.batch(), p.in(0));
    Tensor labels = Labels.tensor(p.labels());
    return new Step() {
      double value;

      @Override
      public double run() {
        ModuleGraph g = loss.apply(x, labels);
        g.back();
        optimizer.step(g);
        value = g.value().item();
        return value;
      }

      @Override
      public Outcome outcome() {
        Outcome out = new Outcome(value);
        for (int l = 0; l < layers.size(); l++) {
          out.with("w" + l, layers.get(l).w.value().toDoubleArray())
              .with("b" + l, layers.get(l).b.value().toDoubleArray());
        }
        return out;
      }
    };
  }

  private static Tensor tensor(float[] data, int... shape) {
    return Tensor.of(Outcome.widen(data), DType.FLOAT32, shape);
  }
}
