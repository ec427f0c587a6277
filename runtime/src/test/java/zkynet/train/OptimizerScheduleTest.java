package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.io.Checkpoints;

/** Trainer schedules per step and per epoch; checkpoints taken while other threads step. */
class OptimizerScheduleTest {
  @TempDir Path dir;

  private static Dataset regression(int rows) {
    double[] x = new double[rows * 2];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      x[2 * i] = i % 3;
      x[2 * i + 1] = 1 - i % 2;
      y[i] = 2 * x[2 * i] - x[2 * i + 1];
    }
    return new Dataset(Tensor.of(x, DType.FLOAT64, rows, 2), Tensor.of(y, DType.FLOAT64, rows, 1));
  }

  private static TrainModels.Net net() {
    return new TrainModels.Net(Tensor.zeros(DType.FLOAT64, 2, 1), Tensor.zeros(DType.FLOAT64, 1));
  }

  @Test
  void perEpochAndPerStepSchedules() {
    TrainModels.Net model = net();
    MseLoss loss = new MseLoss(model);
    Sgd sgd = new Sgd(model, 1);
    LrSchedule halving = LrSchedule.exponential(0.1, 0.5);
    new Trainer(sgd).epochs(3).batchSize(4).schedule(halving, Trainer.Per.EPOCH)
        .fit(regression(8), b -> loss.apply(b.x(), b.y()));
    assertEquals(0.1 * 0.25, sgd.learningRate(), 0); // epoch 3 ran with lr(2)
    assertEquals(6, sgd.steps());

    LrSchedule cosine = LrSchedule.cosine(0.1, 2, 20, 0);
    Trainer t = new Trainer(sgd).epochs(2).batchSize(4).schedule(cosine, Trainer.Per.STEP);
    t.fit(regression(8), b -> loss.apply(b.x(), b.y()));
    // The optimizer counts on from its 6 steps: the last of 10 ran with cosine.lr(9).
    assertEquals(10, sgd.steps());
    assertEquals(cosine.lr(9), sgd.learningRate(), 0);
  }

  @Test
  void aCheckpointSavedWhileThreadsStepHoldsOneConsistentStep() throws Exception {
    // w starts at 0, every gradient is exactly 1 and lr is 1: after k steps w = -k, exactly.
    TrainModels.WeightedSum m = new TrainModels.WeightedSum(Tensor.zeros(DType.FLOAT64, 1));
    Sgd sgd = new Sgd(Map.of("w", m.param("w")), 1, 0);
    int perThread = 300;
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          ModuleGraph g = m.apply(Tensor.ones(DType.FLOAT64, 1));
          g.backParameters();
          sgd.step(g);
        }
      });
      threads.add(th);
      th.start();
    }
    Path file = dir.resolve("live.npz");
    int saves = 0;
    while (threads.stream().anyMatch(Thread::isAlive) || saves < 5) {
      Checkpoints.save(m, sgd, file);
      Map<String, Tensor> a = Checkpoints.read(file);
      double steps = a.get("optimizer/Sgd/steps").item();
      assertEquals(-steps, a.get("w").toDoubleArray()[0], 0, "save " + saves);
      saves++;
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(2 * perThread, sgd.steps());
    assertEquals(-2.0 * perThread, m.param("w").value().toDoubleArray()[0], 0);
  }
}
