package zkynet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.nn.NnTesting.F64;
import static zkynet.nn.NnTesting.assertClose;
import static zkynet.nn.NnTesting.randn;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Tensor;
import zkynet.autodiff.GradCheck;

class EmbeddingTest {
  /** An embedding inside another module, to see the path in errors. */
  @Module
  static class Bag extends Zk_EmbeddingTest_Bag {
    final Embedding embed;

    Bag(Embedding embed) {
      this.embed = embed;
    }

    Node call(Node ids) {
      return embed.apply(ids);
    }
  }

  private static int[] randomIndices(Random rng, int n, int num) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = rng.nextInt(num);
    }
    return idx;
  }

  private static Tensor asTensor(int[] idx, int... shape) {
    double[] d = new double[idx.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = idx[i];
    }
    return Tensor.of(d, F64, shape);
  }

  @Test
  void forwardCopiesTheIndexedRows() {
    Random rng = new Random(1);
    for (int[] shape : new int[][] {{5}, {2, 3}, {2, 1, 4}, {0}}) {
      int num = 1 + rng.nextInt(6);
      int dim = 1 + rng.nextInt(4);
      Embedding e = new Embedding(rng, F64, num, dim);
      int n = 1;
      for (int s : shape) {
        n *= s;
      }
      int[] idx = randomIndices(rng, n, num);
      double[] w = e.param("weight").value().toDoubleArray();
      double[] want = new double[n * dim];
      for (int i = 0; i < n; i++) {
        System.arraycopy(w, idx[i] * dim, want, i * dim, dim);
      }
      int[] outShape = java.util.Arrays.copyOf(shape, shape.length + 1);
      outShape[shape.length] = dim;
      assertClose(e.apply(asTensor(idx, shape)).value(), want, outShape, 0);
      assertClose(e.infer(asTensor(idx, shape)), want, outShape, 0);
    }
  }

  @Test
  void gradientScatterAddsIntoRepeatedRows() {
    Embedding e = new Embedding(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, F64, 3, 2));
    ModuleGraph g = e.apply(new int[] {2, 0, 2});
    Tensor c = Tensor.of(new double[] {1, 10, 100, 1000, 7, 70}, F64, 3, 2);
    g.back(c);
    assertArrayEquals(new double[] {100, 1000, 0, 0, 8, 80},
        g.grad(e.param("weight")).toDoubleArray(), 0);
  }

  @Test
  void operatorPassesGradCheckWithBatchedCotangents() {
    Random rng = new Random(2);
    for (int t = 0; t < 5; t++) {
      int num = 1 + rng.nextInt(4);
      int dim = 1 + rng.nextInt(3);
      int[] shape = {1 + rng.nextInt(3), 1 + rng.nextInt(3)};
      int[] idx = randomIndices(rng, shape[0] * shape[1], num);
      int[] out = {shape[0], shape[1], dim};
      GradCheck.assertGradients(in -> new FunctionalOps.Embedding(in[0], idx, out),
          randn(rng, num, dim));
    }
  }

  @Test
  void badIndicesNameTheLayerPathPositionAndValue() {
    Embedding e = new Embedding(new Random(3), F64, 4, 2);
    Bag bag = new Bag(e);
    for (double bad : new double[] {4, -1, 1.5, Double.NaN}) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> bag.apply(Tensor.of(new double[] {0, 1, 2, bad}, F64, 2, 2)));
      String m = x.getMessage();
      assertTrue(m.contains(e.name()) && m.contains("at embed") && m.contains("[0, 4)")
          && m.contains("got " + bad + " at [1, 1]") && m.contains("shape [2, 2]"), m);
    }
    // inference names the classes on the way
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> bag.infer(Tensor.of(new double[] {9}, F64, 1)));
    assertTrue(x.getMessage().contains("Bag/Embedding"), x.getMessage());
    // the layer still works after a failure
    assertEquals(2, bag.apply(new int[] {3}).value().shape(1));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(new Random(1), F64, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> new Embedding(Tensor.zeros(F64, 3)));
  }
}
