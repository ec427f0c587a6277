package zkynet.statics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.sum;
import static zkynet.statics.ShiftsOps.shift;

import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Module;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Tensor;
import zkynet.backend.jvm.ArrayPool;

/**
 * A static constant that a class initialiser makes during a graph's forward pass (inside an
 * operator's code) is not the graph's: closing the graph, and the steps that reuse its memory,
 * leave it as it was made. This is the first use of {@link ShiftTable} in the test JVM.
 */
class StaticConstantTest {
  @Module
  static class Shifted extends Zk_StaticConstantTest_Shifted {
    Node call(Node x) {
      return sum(shift(x));
    }
  }

  @Test
  void aStaticConstantMadeInsideAnOperatorSurvivesClosedGraphs() {
    Shifted m = new Shifted();
    Tensor x = Tensor.randn(new Random(6), DType.FLOAT32, 64, 128);
    long given = ArrayPool.given();
    double first = Double.NaN;
    for (int step = 0; step < 6; step++) {
      try (ModuleGraph g = m.apply(x)) {
        g.back();
        double value = g.value().item();
        if (step == 0) {
          first = value;
        }
        assertTrue(value == first, "step " + step + ": " + value + " against " + first);
      }
    }
    assertTrue(ArrayPool.given() > given, "the closed graphs gave arrays back");
    assertArrayEquals(ShiftTable.COPY, ShiftTable.BIG.toDoubleArray(), 0);
  }
}
