package zkynet.bench;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.relu;
import static zkynet.BuiltinsOps.softmaxCrossEntropy;
import static zkynet.BuiltinsOps.square;
import static zkynet.BuiltinsOps.sum;
import static zkynet.BuiltinsOps.tanh;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import zkynet.DType;
import zkynet.Input;
import zkynet.Module; // single-type import: java.lang.Module exists
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Operator;
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
 * {@code Adam}. The only zkynet code of the benchmarks is in this file, including the workloads'
 * zkynet-only variants ({@link Workload.Variant}): W2 and W4's layer as user operators, and W3 and
 * W4 as a model ran before issue 9 (computing gradients nobody reads).
 */
final class ZkynetPeer implements Peer {

  /** W2 as one user operator: {@code sum((x + w) * x^2)}, one node, fused into one loop each way. */
  @Operator
  static Tensor cubicSum(Tensor x, Tensor w) {
    Tensor s = x.add(w);
    return s.mul(x.pow(2.0)).sum();
  }

  /** W4's layer as one user operator: {@code tanh(a * y + b)} with constants a and b. */
  @Operator
  static Tensor tanhLayer(Tensor y, double a, double b) {
    Tensor z = y.mul(a).add(b);
    return z.tanh();
  }

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
      return tanhChain(x, Operand.constant(Problems.W4_A), Operand.constant(Problems.W4_B), layers);
    }
  }

  /** {@code layers} times y = tanh(a * y + b) from x, then sum(y). */
  static Node tanhChain(Node x, Operand a, Operand b, int layers) {
    Node y = x;
    for (int l = 0; l < layers; l++) {
      y = tanh(add(mult(a, y), b));
    }
    return sum(y);
  }

  /** W2 through the user operator {@link #cubicSum}. */
  @Module
  static class CubicSum extends Zk_ZkynetPeer_CubicSum {
    final Parameter w;

    CubicSum(float w0) {
      w = parameter(w0);
    }

    Node call(Node x) {
      return ZkynetPeerOps.cubicSum(x, w);
    }
  }

  /** W4 through the user operator {@link #tanhLayer}: {@code layers} times, then sum(y). */
  @Module
  static class TanhLayers extends Zk_ZkynetPeer_TanhLayers {
    final int layers;

    TanhLayers(int layers) {
      this.layers = layers;
    }

    Node call(Node x) {
      Node y = x;
      for (int l = 0; l < layers; l++) {
        y = ZkynetPeerOps.tanhLayer(y, Problems.W4_A, Problems.W4_B);
      }
      return sum(y);
    }
  }

  /**
   * W4 as a model ran before issue 9, when every operator computed the gradient of every input: a
   * and b are inputs of the module (variables, not constants), so {@code back()} computes their
   * gradients (a sum over the vector for each of them and a product for a, in every layer).
   */
  @Module
  static class TanhChainBefore extends Zk_ZkynetPeer_TanhChainBefore {
    final int layers;

    TanhChainBefore(int layers) {
      this.layers = layers;
    }

    Node call(Node x, Node a, Node b) {
      return tanhChain(x, a, b, layers);
    }
  }

  /**
   * W3's loss as a model ran before issue 9: {@code CrossEntropyLoss} without {@code @NoGrad} on the
   * data batch, so {@code back()} also computes d loss / d x (a matrix product in the first layer).
   */
  @Module
  static class CrossEntropyBefore extends Zk_ZkynetPeer_CrossEntropyBefore {
    final Mlp model;

    CrossEntropyBefore(Mlp model) {
      this.model = model;
    }

    Node call(Node x, Node labels) {
      return softmaxCrossEntropy(model.apply(x), Labels.toInts(labels.value()));
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
    // The GEMM binding too: a runtime jar built by a JDK older than 22 has no FFM path, and Java 22+
    // then runs the JavaCPP binding (with copies), which the Java 25 column must not hide.
    return "zkynet backend " + Backends.current().getClass().getSimpleName() + ", GEMM "
        + zkynet.backend.blas.Blas.describe();
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
        try (ModuleGraph g = f.apply(Problems.W1_X)) {
          g.back();
          value = g.value().item();
          gx = g.grad(x).item();
          gw = g.grad(f.w).item();
          return value + gx + gw;
        }
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
    return w2(model, model.input("x"), model.f.w, model::apply, xs);
  }

  /** W2 through {@link CubicSum}: one operator node. */
  Step w2Operator(float[] xs) {
    CubicSum model = new CubicSum(Problems.W2_W);
    return w2(model, model.input("x"), model.w, model::apply, xs);
  }

  private static Step w2(ModuleBase model, Input input, Parameter w, Function<Object,
      ModuleGraph> apply, float[] xs) {
    Tensor x = tensor(xs, xs.length);
    return new Step() {
      double value;
      Tensor gx;
      double gw;

      @Override
      public double run() {
        try (ModuleGraph g = apply.apply(x)) {
          g.back();
          value = g.value().item();
          gx = g.grad(input);
          gw = g.grad(w).item();
          return value + gw;
        }
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
    return w4(model.input("x"), model::apply, null, xs);
  }

  /** W4 through {@link TanhLayers}: 1000 operator nodes. */
  Step w4Operator(float[] xs, int layers) {
    TanhLayers model = new TanhLayers(layers);
    return w4(model.input("x"), model::apply, null, xs);
  }

  /**
   * W4 through {@link TanhChainBefore}: a and b passed as inputs; each run also reads their
   * gradients (which would be an error had {@code back()} not computed them).
   */
  Step w4Before(float[] xs, int layers) {
    TanhChainBefore model = new TanhChainBefore(layers);
    Tensor a = Tensor.of(Problems.W4_A, DType.FLOAT32);
    Tensor b = Tensor.of(Problems.W4_B, DType.FLOAT32);
    List<Input> constants = List.of(model.input("a"), model.input("b"));
    return w4(model.input("x"), x -> model.apply(x, a, b), constants, xs);
  }

  private static Step w4(Input input, Function<Object, ModuleGraph> apply,
      List<Input> alsoRead, float[] xs) {
    Tensor x = tensor(xs, xs.length);
    return new Step() {
      double value;
      Tensor gx;

      @Override
      public double run() {
        try (ModuleGraph g = apply.apply(x)) {
          g.back();
          value = g.value().item();
          gx = g.grad(input);
          double read = 0;
          if (alsoRead != null) {
            for (Input i : alsoRead) {
              read += g.grad(i).item();
            }
          }
          return value + read;
        }
      }

      @Override
      public Outcome outcome() {
        return new Outcome(value).with("x", gx.toDoubleArray());
      }
    };
  }

  @Override
  public Step mlp(MlpProblem p) {
    return mlp(p, false);
  }

  /**
   * W3 or D through {@link CrossEntropyBefore}: the batch gets a gradient, which each run reads
   * (an error had {@code back()} not computed it).
   */
  Step mlpBefore(MlpProblem p) {
    return mlp(p, true);
  }

  private static Step mlp(MlpProblem p, boolean before) {
    List<Dense> layers = new ArrayList<>();
    for (int l = 0; l < p.layers(); l++) {
      layers.add(new Dense(tensor(p.w()[l], p.in(l), p.out(l)), tensor(p.b()[l], p.out(l))));
    }
    Mlp mlp = new Mlp(layers, p.activation());
    BiFunction<Tensor, Tensor, ModuleGraph> loss;
    Input batch;
    if (before) {
      CrossEntropyBefore ce = new CrossEntropyBefore(mlp);
      loss = ce::apply;
      batch = ce.input("x");
    } else {
      loss = new CrossEntropyLoss(mlp)::apply;
      batch = null;
    }
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
        // Closed after the step: the next step's kernels reuse its memory.
        try (ModuleGraph g = loss.apply(x, labels)) {
          g.back();
          optimizer.step(g);
          value = g.value().item();
          return batch == null ? value : value + g.grad(batch).shape()[0];
        }
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
