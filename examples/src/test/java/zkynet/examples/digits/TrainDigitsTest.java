package zkynet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.io.Checkpoints;
import zkynet.train.Dataset;
import zkynet.train.Progress;

/**
 * Training the digits MLP on a short budget (2 epochs of a 64-64-10 network, a few seconds):
 * well above chance (10%) on the held-out test file. The full demo's 97% target is measured by
 * the demo itself, not here.
 */
class TrainDigitsTest {
  /** Stated accuracy for the short budget; runs reach about 0.95. */
  static final double SHORT_BUDGET_ACCURACY = 0.90;

  @TempDir
  Path dir;

  @Test
  void shortBudgetReachesTheStatedAccuracyAndWritesItsFiles() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainDigits.Options o = TrainDigits.Options.defaults()
        .withHidden(64).withEpochs(2).withBatchSize(32).withEvaluateEveryEpoch(false)
        .withProgress(Progress.quiet()).withOut(new PrintStream(log, true, StandardCharsets.UTF_8))
        .withOutputDir(dir).withCheckpoint(dir.resolve("mlp.npz"));
    TrainDigits.Result r = TrainDigits.run(o);

    assertTrue(r.testAccuracy() >= SHORT_BUDGET_ACCURACY, "test accuracy " + r.testAccuracy());
    assertEquals(1797, r.testSize());
    assertEquals(2 * 120, r.history().batchLosses().size(), "3823 rows in batches of 32: 120 a epoch");
    String out = log.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("test accuracy: "), out);
    assertTrue(out.contains("MLP 64-64-10"), out);

    byte[] png = Files.readAllBytes(r.curves());
    assertEquals(dir.resolve("digits-curves.png"), r.curves());
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));

    // The saved parameters, loaded into a fresh network, give the same predictions.
    Mlp fresh = new Mlp(new Random(99), DType.FLOAT32, 64, 64, 10);
    Checkpoints.load(fresh, r.checkpoint());
    Dataset test = OptDigits.test(DType.FLOAT32);
    int[] expected = r.predict(test.features());
    TrainDigits.Result loaded = new TrainDigits.Result(0, 0, 0, 0, 0, 0, null, null, null, fresh,
        r.standardizer());
    assertArrayEquals(expected, loaded.predict(test.features()));
  }

  @Test
  void mlpLayersAndParameterPaths() {
    Mlp mlp = new Mlp(new Random(1), DType.FLOAT32, 64, 32, 16, 10);
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias"),
        List.copyOf(mlp.namedParameters().keySet()));
    assertArrayEquals(new int[] {32, 16}, mlp.param("layers.1.weight").value().shape());
    assertArrayEquals(new int[] {5, 10}, mlp.apply(new double[5][64]).value().shape());
  }
}
