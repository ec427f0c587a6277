package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.Tensor;

/** The training loop, progress reporting and the curves picture, on a small synthetic problem. */
class TrainerTest {
  @TempDir
  Path dir;

  /** Three well-separated Gaussian blobs in 2-D, 60 points each. */
  private static Dataset blobs(long seed) {
    Random rng = new Random(seed);
    double[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
    int n = 180;
    double[] x = new double[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      x[2 * i] = centres[c][0] + 0.7 * rng.nextGaussian();
      x[2 * i + 1] = centres[c][1] + 0.7 * rng.nextGaussian();
      y[i] = c;
    }
    return new Dataset(Tensor.of(x, DType.FLOAT32, n, 2), y);
  }

  private static TrainModels.Dense linear(long seed) {
    Random rng = new Random(seed);
    return new TrainModels.Dense(Init.xavierUniform(rng, DType.FLOAT32, 2, 3), Init.zeros(DType.FLOAT32, 3));
  }

  private History train(Progress progress, long seed) {
    Dataset data = blobs(1);
    TrainModels.Dense model = linear(seed);
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    return new Trainer(new Adam(model, 0.05))
        .epochs(3).batchSize(16).seed(seed).progress(progress)
        .evaluate("train", data, x -> model.apply(x).value())
        .fit(data, b -> loss.apply(b.x(), b.labelTensor()));
  }

  @Test
  void learnsBlobsAndRecordsHistory() {
    History h = train(Progress.quiet(), 7);
    assertEquals(3, h.epochs().size());
    assertEquals(3 * 12, h.batchLosses().size(), "180 rows in batches of 16: 12 per epoch");
    assertTrue(h.last().accuracy().get("train") >= 0.95, h.last().toString());
    assertTrue(h.last().loss() < h.epochs().get(0).loss(), "the loss goes down");
    assertTrue(h.trainSeconds() > 0);
  }

  @Test
  void sameSeedSameRun() {
    History a = train(Progress.quiet(), 3);
    History b = train(Progress.quiet(), 3);
    assertArrayEquals(a.batchLosses().stream().mapToDouble(Double::doubleValue).toArray(),
        b.batchLosses().stream().mapToDouble(Double::doubleValue).toArray(), 0);
  }

  @Test
  void plainLinesWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    train(Progress.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5), 7);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    // Per epoch: batches 5 and 10 of 12, then the summary.
    assertEquals(9, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).matches("epoch 1/3  batch 5/12  loss \\d+\\.\\d{4}"), lines.get(0));
    assertTrue(lines.get(2).matches("epoch 1/3  loss \\d+\\.\\d{4}  train \\d+\\.\\d\\d%  \\d+\\.\\d s"),
        lines.get(2));
    assertTrue(lines.stream().noneMatch(l -> l.contains("\r")));
  }

  @Test
  void progressBarFromTheLibrary() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    train(Progress.bar(new PrintStream(bytes, true, StandardCharsets.UTF_8)), 7);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("\r"), "a bar redraws its line");
    assertTrue(out.contains("epoch 3/3"), out);
    assertTrue(out.contains("12/12"), out);
    assertTrue(out.contains("loss "), out);
  }

  @Test
  void divergenceIsReportedWithEpochAndBatch() {
    Dataset data = blobs(1);
    TrainModels.Log log = new TrainModels.Log();
    TrainModels.Dense model = linear(1);
    Trainer t = new Trainer(new Sgd(model, 0.1)).batchSize(60);
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> t.fit(data, b -> log.apply(Tensor.of(-1.0))));
    assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
  }

  @Test
  void curvesPng() throws Exception {
    History h = train(Progress.quiet(), 7);
    Path png = dir.resolve("out/curves.png");
    Curves.writePng(h, png, "blobs");
    byte[] bytes = Files.readAllBytes(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals('P', bytes[1]);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    assertEquals(440, img.getHeight());
    assertThrows(IllegalArgumentException.class, () -> Curves.writePng(new History(), png, "empty"));
  }
}
