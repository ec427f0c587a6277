package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Labels;

/** The layers together: the README's small convolutional net trains, and calls share it safely. */
class NnTrainingTest {
  private static Sequential net(Random rng) {
    return new Sequential(
        new Conv2d(rng, DType.FLOAT32, 1, 4, 3), Activation.relu(), new MaxPool2d(2),
        new Flatten(), new Dropout(0.2, 7), new LayerNorm(4 * 3 * 3, DType.FLOAT32),
        new Linear(rng, DType.FLOAT32, 4 * 3 * 3, 2));
  }

  /** 8x8 images: class 1 has a bright vertical bar, class 0 a horizontal one, plus noise. */
  private static Tensor images(Random rng, int[] labels) {
    double[] px = new double[labels.length * 64];
    for (int n = 0; n < labels.length; n++) {
      int at = 1 + rng.nextInt(6);
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
          boolean bar = labels[n] == 1 ? j == at : i == at;
          px[n * 64 + i * 8 + j] = (bar ? 1 : 0) + 0.1 * rng.nextGaussian();
        }
      }
    }
    return Tensor.of(px, DType.FLOAT32, labels.length, 1, 8, 8);
  }

  @Test
  void convNetLearnsBarsAndEvalModeIsDeterministic() {
    Random rng = new Random(1);
    Sequential net = net(rng);
    CrossEntropyLoss loss = new CrossEntropyLoss(net);
    Adam opt = new Adam(loss, 0.01);
    int[] labels = new int[32];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 2;
    }
    Tensor x = images(rng, labels);
    double first = Double.NaN;
    double last = Double.NaN;
    for (int step = 0; step < 60; step++) {
      ModuleGraph g = loss.apply(x, Labels.tensor(labels));
      g.backParameters();
      opt.step(g);
      last = g.value().item();
      first = step == 0 ? last : first;
    }
    assertTrue(last < first / 3, "loss " + first + " -> " + last);
    net.eval();
    int[] test = {0, 1, 1, 0, 1, 0, 0, 1};
    Tensor y = net.apply(images(new Random(2), test)).value();
    assertArrayEquals(y.toDoubleArray(), net.apply(images(new Random(2), test)).value()
        .toDoubleArray(), "eval mode: no dropout, same output");
    int[] predicted = Labels.toInts(y.argmax(-1));
    assertArrayEquals(test, predicted);
  }

  @Test
  void concurrentCallsOfOneNetAgreeWithSequentialOnes() throws Exception {
    Sequential net = net(new Random(3));
    net.eval();
    List<Tensor> inputs = new ArrayList<>();
    List<double[]> expected = new ArrayList<>();
    Random rng = new Random(4);
    for (int i = 0; i < 8; i++) {
      Tensor x = Tensor.randn(rng, DType.FLOAT32, 1 + i % 3, 1, 8, 8);
      inputs.add(x);
      expected.add(net.apply(x).value().toDoubleArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> results = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (Tensor x : inputs) {
          results.add(pool.submit(() -> net.apply(x).value().toDoubleArray()));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertArrayEquals(expected.get(i % inputs.size()), results.get(i).get(), "call " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
