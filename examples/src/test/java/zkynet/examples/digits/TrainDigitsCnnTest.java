package zkynet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.nn.Sequential;
import zkynet.train.Progress;

/**
 * The digits CNN on a short budget (2 epochs of an 8-8 channel network, a few seconds): well above
 * chance on the held-out file. The demo's full run (and its accuracy against the MLP) is measured
 * by the demo itself.
 */
class TrainDigitsCnnTest {
  /** Stated for the short budget; this run reaches 0.92. */
  static final double SHORT_BUDGET_ACCURACY = 0.85;

  @TempDir
  Path dir;

  @Test
  void shortBudgetReachesTheStatedAccuracyAndWritesItsCurves() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainDigitsCnn.Options o = TrainDigitsCnn.Options.defaults().withChannels(8, 8).withEpochs(2)
        .withEvaluateEveryEpoch(false).withOutputDir(dir)
        .withOutput(Progress.quiet(), new PrintStream(log, true, StandardCharsets.UTF_8));
    TrainDigitsCnn.Result r = TrainDigitsCnn.run(o);
    assertTrue(r.testAccuracy() >= SHORT_BUDGET_ACCURACY, "test accuracy " + r.testAccuracy());
    assertEquals(1797, r.testSize());
    assertEquals(120, r.history().batchLosses().size(), "3823 rows in batches of 64");
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("test accuracy: "));
    byte[] png = Files.readAllBytes(r.curves());
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    assertFalse(r.model().isTraining(), "the result's network is in evaluation mode");
  }

  @Test
  void networkShapesAndImages() {
    Sequential cnn = TrainDigitsCnn.network(new Random(1), DType.FLOAT32, 2, 3, 0.5, 1);
    assertEquals(8, cnn.size());
    assertArrayEquals(new int[] {3 * 16, 10}, cnn.param("layers.7.weight").value().shape());
    cnn.eval();
    assertArrayEquals(new int[] {5, 10}, cnn.infer(new double[5][1][8][8]).shape());
    assertArrayEquals(new int[] {1, 8, 8},
        TrainDigitsCnn.images(OptDigits.test(DType.FLOAT32)).rowShape());
  }
}
