package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.Tensor;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Dataset;
import zkynet.train.Trainer;

/** The Trainer evaluates in evaluation mode and trains in training mode. */
class TrainerModesTest {
  private static Dataset data() {
    Random rng = new Random(1);
    int n = 40;
    double[] x = new double[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      x[2 * i] = (y[i] == 0 ? -2 : 2) + rng.nextGaussian();
      x[2 * i + 1] = rng.nextGaussian();
    }
    return new Dataset(Tensor.of(x, F64, n, 2), y);
  }

  @Test
  void evaluationIsDeterministicInEvalModeAndTrainingModeComesBack() {
    Random rng = new Random(2);
    Dropout dropout = new Dropout(0.5, 3);
    BatchNorm1d bn = new BatchNorm1d(8, F64);
    Sequential net = new Sequential(new Linear(rng, F64, 2, 8), bn, Activation.relu(), dropout,
        new Linear(rng, F64, 8, 2));
    CrossEntropyLoss loss = new CrossEntropyLoss(net);
    List<Boolean> modesSeen = new ArrayList<>();
    List<Boolean> trainingModesInSteps = new ArrayList<>();
    Dataset data = data();
    new Trainer(net, new Adam(net, 0.01)).epochs(2).batchSize(10).seed(4)
        .evaluate("train", data, x -> {
          modesSeen.add(net.isTraining() || dropout.isTraining() || bn.isTraining());
          Tensor stats = bn.runningMean();
          Tensor a = net.apply(x).value();
          Tensor b = net.apply(x).value();
          assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0, "dropout is off");
          assertEquals(stats, bn.runningMean(), "evaluation does not move the running stats");
          return a;
        })
        .fit(data, batch -> {
          trainingModesInSteps.add(dropout.isTraining() && bn.isTraining());
          return loss.apply(batch.x(), batch.labelTensor());
        });
    assertEquals(List.of(false, false), modesSeen);
    assertEquals(8, trainingModesInSteps.size());
    assertTrue(trainingModesInSteps.stream().allMatch(b -> b), trainingModesInSteps.toString());
    assertTrue(net.isTraining() && dropout.isTraining() && bn.isTraining());

    // a failing evaluation still restores training mode
    Trainer failing = new Trainer(net, new Adam(net, 0.01)).evaluate("boom", data, x -> {
      throw new IllegalStateException("boom");
    });
    assertThrows(IllegalStateException.class,
        () -> failing.fit(data, batch -> loss.apply(batch.x(), batch.labelTensor())));
    assertTrue(dropout.isTraining() && bn.isTraining());

    // a model left in eval mode before fit is trained in training mode
    net.eval();
    assertFalse(dropout.isTraining());
    new Trainer(net, new Adam(net, 0.01)).fit(data, batch -> {
      assertTrue(dropout.isTraining());
      return loss.apply(batch.x(), batch.labelTensor());
    });
  }
}
