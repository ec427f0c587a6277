package zkynet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;

/**
 * The two losses against numbers computed by hand on a 2x3 case, values and gradients, through
 * the loss modules (so the labels travel as a module input, as in training).
 */
class LossesTest {
  private static final double TOL = 1e-6;

  // logits z = [[1, 2, 3], [1, 0, -1]], labels [2, 1].
  // logsumexp(1, 2, 3) = 3 + log(1 + e^-1 + e^-2) = 3 + log(1.5032147) = 3.4076060
  // logsumexp(1, 0, -1) = 1 + log(1.5032147) = 1.4076060 (the same row, shifted and reversed)
  // row 0: -log p[2] = 3.4076060 - 3 = 0.4076060;  row 1: -log p[1] = 1.4076060 - 0 = 1.4076060
  // mean = 0.9076060
  private static final double[][] LOGITS = {{1, 2, 3}, {1, 0, -1}};
  private static final int[] LABELS = {2, 1};

  private static Tensor logits() {
    return Tensor.of(LOGITS).to(DType.FLOAT64);
  }

  @Test
  void softmaxCrossEntropyValue() {
    TrainModels.Shift model = new TrainModels.Shift(logits());
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    ModuleGraph g = loss.apply(Tensor.zeros(DType.FLOAT64, 2, 3), Labels.tensor(LABELS, DType.FLOAT64));
    assertEquals(0.9076059644, g.value().item(), TOL);
    assertEquals(0, g.value().rank());
  }

  @Test
  void softmaxCrossEntropyGradient() {
    // d/dz = (softmax(z) - onehot(labels)) / N with
    // softmax row 0 = [e^-2, e^-1, 1] / 1.5032147 = [0.0900306, 0.2447285, 0.6652410]
    // softmax row 1 = [1, e^-1, e^-2] / 1.5032147 = [0.6652410, 0.2447285, 0.0900306]
    TrainModels.Shift model = new TrainModels.Shift(logits());
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    ModuleGraph g = loss.apply(Tensor.zeros(DType.FLOAT64, 2, 3), Labels.tensor(LABELS, DType.FLOAT64));
    g.back();
    double[][] expected = {
        {0.0900306 / 2, 0.2447285 / 2, (0.6652410 - 1) / 2},
        {0.6652410 / 2, (0.2447285 - 1) / 2, 0.0900306 / 2}};
    assertMatrix(expected, g.grad(model.param("z")), 1e-6);
    // The inputs are data (@NoGrad): their gradients are not computed, and asking is an error.
    for (String input : new String[] {"x", "labels"}) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> g.grad(loss.input(input)));
      assertEquals(loss.name() + ": no gradient was computed for input " + loss.name() + "." + input
          + ": it is declared @NoGrad on the module's call method (call " + g.callId() + ")",
          e.getMessage());
    }
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    // logits [1000, 0, -1000]: exp(1000) overflows, the shifted form does not.
    TrainModels.Shift model = new TrainModels.Shift(Tensor.of(new double[][] {{1000, 0, -1000}, {1000, 0, -1000}}));
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    ModuleGraph g = loss.apply(Tensor.zeros(DType.FLOAT32, 2, 3), Labels.tensor(new int[] {0, 1}));
    // row 0: -log p[0] = log(1 + e^-1000 + e^-2000) = 0;  row 1: -log p[1] = 1000. Mean 500.
    assertEquals(500, g.value().item(), 1e-3);
    g.back();
    double[] grad = g.grad(model.param("z")).toDoubleArray();
    for (double d : grad) {
      assertTrue(Double.isFinite(d));
    }
    assertArrayEquals(new double[] {0, 0, 0, 0.5, -0.5, 0}, grad, 1e-6);
  }

  @Test
  void labelSmoothing() {
    // eps = 0.1: 0.9 * CE + 0.1 * (-mean(log softmax(z))).
    // -mean(log softmax) = (0.4076060 + 1.4076060 + 2.4076060 + 0.4076060 + 1.4076060 + 2.4076060) / 6
    //                    = 1.4076060; loss = 0.9 * 0.9076060 + 0.1 * 1.4076060 = 0.9576060.
    // Gradient: (softmax - target) / N with target = 0.9 * onehot + 0.1 / 3.
    TrainModels.Shift model = new TrainModels.Shift(logits());
    CrossEntropyLoss loss = new CrossEntropyLoss(model, 0.1);
    ModuleGraph g = loss.apply(Tensor.zeros(DType.FLOAT64, 2, 3), Labels.tensor(LABELS, DType.FLOAT64));
    assertEquals(0.9576059644, g.value().item(), TOL);
    g.back();
    double t = 0.1 / 3;
    double[][] expected = {
        {(0.0900306 - t) / 2, (0.2447285 - t) / 2, (0.6652410 - 0.9 - t) / 2},
        {(0.6652410 - t) / 2, (0.2447285 - 0.9 - t) / 2, (0.0900306 - t) / 2}};
    assertMatrix(expected, g.grad(model.param("z")), 1e-6);
  }

  @Test
  void meanSquaredError() {
    // prediction [[1, 2, 3], [4, 5, 6]], target [[1, 0, 3], [2, 5, 9]]:
    // differences [0, 2, 0; 2, 0, -3], squares 0 + 4 + 0 + 4 + 0 + 9 = 17, mean 17 / 6 = 2.8333333
    // gradient 2 (p - t) / 6 = [0, 2/3, 0; 2/3, 0, -1]; the target is data (@NoGrad): none.
    TrainModels.Shift model = new TrainModels.Shift(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}));
    MseLoss loss = new MseLoss(model);
    ModuleGraph g = loss.apply(Tensor.zeros(DType.FLOAT32, 2, 3),
        Tensor.of(new double[][] {{1, 0, 3}, {2, 5, 9}}));
    assertEquals(17.0 / 6, g.value().item(), 1e-6);
    g.back();
    assertMatrix(new double[][] {{0, 2.0 / 3, 0}, {2.0 / 3, 0, -1}}, g.grad(model.param("z")), 1e-6);
    assertThrows(IllegalStateException.class, () -> g.grad(loss.input("target")));
  }

  @Test
  void badLabelsAreClearErrors() {
    TrainModels.Shift model = new TrainModels.Shift(logits());
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.apply(x, Tensor.of(new double[] {0, 1.5}).to(DType.FLOAT64)));
    assertTrue(e.getMessage().contains("labels[1] = 1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> loss.apply(x, Labels.tensor(new int[] {0, 3}, DType.FLOAT64)));
    assertTrue(e.getMessage().contains("labels[1] = 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> loss.apply(x, Labels.tensor(new int[] {0}, DType.FLOAT64)));
    assertTrue(e.getMessage().contains("one label per row"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(model, 1.0));
  }

  @Test
  void labelsRoundTrip() {
    int[] labels = {0, 9, 3, 16_000_000};
    assertArrayEquals(labels, Labels.toInts(Labels.tensor(labels)));
    assertThrows(IllegalArgumentException.class, () -> Labels.tensor(new int[] {-1}));
  }

  static void assertMatrix(double[][] expected, Tensor actual, double tol) {
    assertArrayEquals(new int[] {expected.length, expected[0].length}, actual.shape());
    double[][] m = actual.toMatrix();
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], m[i], tol, "row " + i);
    }
  }
}
