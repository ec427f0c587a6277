package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.io.Csv;

/** Regression end to end: CSV text, a seeded split, the trainer with MseLoss on batch.y(). */
class RegressionTrainingTest {
  @Test
  void fitsALinearFunctionReadFromCsv() throws IOException {
    // y1 = 2 a - b + 1 and y2 = a + 3 b, with a little noise; columns a, y1, b, y2.
    Random rng = new Random(3);
    StringBuilder csv = new StringBuilder("a,y1,b,y2\n");
    for (int i = 0; i < 200; i++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f%n", a,
          2 * a - b + 1 + 0.01 * rng.nextGaussian(), b, a + 3 * b + 0.01 * rng.nextGaussian()));
    }
    Dataset all = new Csv().header(true).targetColumns("y1", "y2")
        .read(new StringReader(csv.toString()), "linear.csv", DType.FLOAT32);
    Dataset.Split split = all.split(0.25, 11);
    assertEquals(50, split.validation().size());

    TrainModels.Dense model = new TrainModels.Dense(Tensor.zeros(DType.FLOAT32, 2, 2),
        Tensor.zeros(DType.FLOAT32, 2));
    MseLoss loss = new MseLoss(model);
    new Trainer(new Adam(model, 0.05)).epochs(40).batchSize(25).seed(5)
        .fit(split.train(), b -> loss.apply(b.x(), b.y()));

    double[] w = model.w.value().toDoubleArray(); // [2, 2]: rows a, b; columns y1, y2
    double[] bias = model.b.value().toDoubleArray();
    assertEquals(2, w[0], 0.05);
    assertEquals(1, w[1], 0.05);
    assertEquals(-1, w[2], 0.05);
    assertEquals(3, w[3], 0.05);
    assertEquals(1, bias[0], 0.05);
    assertEquals(0, bias[1], 0.05);
    Dataset v = split.validation();
    double mse = loss.apply(v.features(), v.targets()).value().item();
    assertTrue(mse < 0.01, "held-out mse " + mse);
  }
}
