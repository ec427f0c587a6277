package zkynet.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import zkynet.bench.Problems.MlpProblem;

/**
 * Peer (d): DJL with its PyTorch engine, as a DJL user writes it: NDArrays and a
 * GradientCollector for W1, W2 and W4; a SequentialBlock of Linear layers and the Trainer API
 * (forward, loss, backward in a GradientCollector, {@code trainer.step()}) for W3 and D. Every run
 * works in its own sub-manager, closed at its end, which frees the run's intermediates (what a
 * {@code Batch} does in DJL's training loop).
 */
final class DjlPeer implements Peer {
  private final NDManager manager = NDManager.newBaseManager();

  static String describe() {
    Engine engine = Engine.getInstance();
    return "DJL " + Engine.getDjlVersion() + ", engine " + engine.getEngineName() + " " + engine.getVersion();
  }

  @Override
  public Reference.AdamForm adamForm() {
    return Reference.AdamForm.MXNET;
  }

  @Override
  public Step w1() {
    return new Step() {
      float value;
      float gx;
      float gw;

      @Override
      public double run() {
        try (NDManager run = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray x = run.create(Problems.W1_X);
          NDArray w = run.create(Problems.W1_W);
          x.setRequiresGradient(true);
          w.setRequiresGradient(true);
          NDArray f = x.add(w).mul(x.square());
          collector.backward(f);
          value = f.getFloat();
          gx = x.getGradient().getFloat();
          gw = w.getGradient().getFloat();
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
    NDArray data = manager.create(xs);
    return new Step() {
      float value;
      float gw;
      float[] gx;
      boolean checking; // copy the gradient out only for the check

      @Override
      public double run() {
        try (NDManager run = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray x = leaf(data, run);
          NDArray w = run.create(Problems.W2_W);
          w.setRequiresGradient(true);
          NDArray loss = x.add(w).mul(x.square()).sum();
          collector.backward(loss);
          NDArray gradX = x.getGradient();
          value = loss.getFloat();
          gw = w.getGradient().getFloat();
          gx = checking ? gradX.toFloatArray() : null;
          return value + gw;
        }
      }

      @Override
      public Outcome outcome() { // the gradients die with their run: run once more, copying them
        checking = true;
        run();
        checking = false;
        return new Outcome(value).with("x", gx).with("w", gw);
      }
    };
  }

  @Override
  public Step w4(float[] xs, int layers) {
    NDArray data = manager.create(xs);
    return new Step() {
      float value;
      float[] gx;
      boolean checking; // copy the gradient out only for the check

      @Override
      public double run() {
        try (NDManager run = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray x = leaf(data, run);
          NDArray y = x;
          for (int l = 0; l < layers; l++) {
            y = y.mul(Problems.W4_A).add(Problems.W4_B).tanh();
          }
          NDArray loss = y.sum();
          collector.backward(loss);
          NDArray gradX = x.getGradient();
          value = loss.getFloat();
          gx = checking ? gradX.toFloatArray() : null;
          return value;
        }
      }

      @Override
      public Outcome outcome() { // the gradient dies with its run: run once more, copying it
        checking = true;
        run();
        checking = false;
        return new Outcome(value).with("x", gx);
      }
    };
  }

  /** A fresh leaf sharing {@code data}'s storage (PyTorch's x.detach().requires_grad_()), owned by {@code run}. */
  private static NDArray leaf(NDArray data, NDManager run) {
    NDArray x = data.stopGradient();
    x.attach(run);
    x.setRequiresGradient(true);
    return x;
  }

  @Override
  public Step mlp(MlpProblem p) {
    SequentialBlock net = new SequentialBlock();
    List<Linear> linears = new ArrayList<>();
    for (int l = 0; l < p.layers(); l++) {
      Linear linear = Linear.builder().setUnits(p.out(l)).build();
      linears.add(linear);
      net.add(linear);
      if (l + 1 < p.layers()) {
        net.add(p.activation() == Problems.Activation.TANH ? Activation.tanhBlock() : Activation.reluBlock());
      }
    }
    Model model = Model.newInstance("mlp");
    model.setBlock(net);
    Problems.Optim o = p.optim();
    Optimizer optimizer = o.adam()
        ? Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) o.lr()))
            .optBeta1((float) o.beta1()).optBeta2((float) o.beta2()).optEpsilon((float) o.eps()).build()
        : Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) o.lr())).build();
    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(optimizer)
        .optDevices(new Device[] {Device.cpu()}));
    trainer.initialize(new Shape(p.batch(), p.in(0)));
    for (int l = 0; l < p.layers(); l++) { // DJL's Linear keeps its weight as [out, in]
      param(linears.get(l), "weight").getArray().set(transpose(p.w()[l], p.in(l), p.out(l)));
      param(linears.get(l), "bias").getArray().set(p.b()[l]);
    }
    NDManager data = trainer.getManager();
    NDArray x = data.create(p.x(), new Shape(p.batch(), p.in(0)));
    float[] labelValues = new float[p.batch()];
    for (int i = 0; i < labelValues.length; i++) {
      labelValues[i] = p.labels()[i];
    }
    NDArray labels = data.create(labelValues);
    return new Step() {
      float value;

      @Override
      public double run() {
        try (NDManager run = data.newSubManager()) {
          run.tempAttachAll(x, labels);
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
            collector.backward(loss);
            value = loss.getFloat();
          }
          trainer.step();
          return value;
        }
      }

      @Override
      public Outcome outcome() {
        Outcome out = new Outcome(value);
        for (int l = 0; l < p.layers(); l++) {
          float[] w = param(linears.get(l), "weight").getArray().toFloatArray();
          out.with("w" + l, transpose(w, p.out(l), p.in(l)))
              .with("b" + l, param(linears.get(l), "bias").getArray().toFloatArray());
        }
        return out;
      }
    };
  }

  private static Parameter param(Block block, String name) {
    return block.getParameters().get(name);
  }

  /** Row-major [rows, cols] to [cols, rows]. */
  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }
}
