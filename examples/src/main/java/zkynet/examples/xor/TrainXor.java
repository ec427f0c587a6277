package zkynet.examples.xor;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.train.Adam;
import zkynet.train.Init;
import zkynet.train.MseLoss;

/**
 * Fits XOR with {@link XorNet}: full-batch Adam on the mean squared error over the four points,
 * from He-initialised weights drawn from a seeded {@link Random}. A prediction is the output
 * thresholded at 0.5.
 *
 * <p>Two ReLU units are the smallest network that can represent XOR, and from most starting points
 * gradient descent gets stuck: a unit that is inactive on every point gets no gradient and never
 * recovers, or both units learn the same thing. With this initialisation only about one seed in
 * four reaches a perfect fit (10 of seeds 0..39 with 600 steps). The default seed, 19, is one of
 * them, with a wide margin: the loss is below 1e-10 after 200 steps and the outputs are 0 and 1 to
 * many digits; the test checks all four predictions. Training is deterministic (float64,
 * full batch, seeded initialisation), so the same seed always gives the same network.
 */
public final class TrainXor {
  public static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  public static final double[][] Y = {{0}, {1}, {1}, {0}};
  public static final long DEFAULT_SEED = 19;
  public static final int DEFAULT_STEPS = 300;
  public static final double LEARNING_RATE = 0.05;

  private TrainXor() {}

  /** The outputs on the four points, the 0/1 predictions, the final loss and the trained network. */
  public record Result(double[] outputs, int[] predictions, double loss, int steps, XorNet net) {
    /** Whether every prediction equals XOR. */
    public boolean fitsAll() {
      for (int i = 0; i < 4; i++) {
        if (predictions[i] != (int) Y[i][0]) {
          return false;
        }
      }
      return true;
    }
  }

  /** A network initialised from {@code seed}: He-normal weights, zero biases, float64. */
  public static XorNet init(long seed) {
    Random rng = new Random(seed);
    DType d = DType.FLOAT64;
    return new XorNet(Init.heNormal(rng, d, 2, 2), Init.zeros(d, 2), Init.heNormal(rng, d, 2, 1),
        Init.zeros(d, 1));
  }

  public static Result run(long seed, int steps) {
    XorNet net = init(seed);
    MseLoss loss = new MseLoss(net);
    Adam adam = new Adam(net, LEARNING_RATE);
    Tensor x = Tensor.of(X).to(DType.FLOAT64);
    Tensor y = Tensor.of(Y).to(DType.FLOAT64);
    double last = Double.NaN;
    for (int i = 0; i < steps; i++) {
      try (ModuleGraph g = loss.apply(x, y)) {
        last = g.value().item();
        g.back();
        adam.step(g);
      }
    }
    double[] out = net.infer(x).toDoubleArray();
    int[] pred = new int[out.length];
    for (int i = 0; i < out.length; i++) {
      pred[i] = out[i] > 0.5 ? 1 : 0;
    }
    return new Result(out, pred, last, steps, net);
  }

  /** Trains with the default seed and prints the four predictions. */
  public static Result run(PrintStream out) {
    Result r = run(DEFAULT_SEED, DEFAULT_STEPS);
    out.printf(Locale.ROOT, "XOR (2 inputs, 2 ReLU hidden units, 1 output; Adam, %d steps, seed %d):"
        + " loss %.2e%n", r.steps(), DEFAULT_SEED, r.loss());
    for (int i = 0; i < 4; i++) {
      out.printf(Locale.ROOT, "  xor(%d, %d) = %d   (output %.3f)%s%n", (int) X[i][0],
          (int) X[i][1], r.predictions()[i], r.outputs()[i],
          r.predictions()[i] == (int) Y[i][0] ? "" : "   WRONG");
    }
    return r;
  }

  public static void main(String[] args) {
    run(System.out);
  }
}
