package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import zkynet.DType;

/**
 * ND4J's 32-axis limit is checked before native code runs (past it ND4J aborts the JVM with
 * "buffer overflow detected"): each way to reach rank 33 is an exception naming the operation, the
 * shapes and the limit.
 */
class Nd4jLimitsTest {
  private static final Nd4jBackend ND4J = Nd4jBackend.INSTANCE;

  private static int[] ones(int rank) {
    int[] s = new int[rank];
    Arrays.fill(s, 1);
    return s;
  }

  private static void assertRefused(String operation, int rank, Runnable kernel) {
    BackendLimitException e = assertThrows(BackendLimitException.class, kernel::run, operation);
    assertEquals(operation, e.operation());
    assertEquals(32, e.limit());
    assertEquals("nd4j", e.backend());
    assertTrue(e.getMessage().startsWith("nd4j backend: " + operation + " on "), e.getMessage());
    assertTrue(e.getMessage().contains("(rank " + rank + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("exceeds the limit of 32"), e.getMessage());
  }

  @Test
  void rank32WorksAndEveryWayToRank33IsRefused() {
    Storage x = ND4J.create(new double[] {3}, ones(32), DType.FLOAT32);
    Storage sum = ND4J.reduce(Backend.Reduce.SUM, x, new int[] {0});
    assertEquals(31, sum.shape().length);
    assertEquals(3.0, ND4J.read(sum)[0]);
    assertRefused("create", 33, () -> ND4J.create(new double[] {1}, ones(33), DType.FLOAT32));
    assertRefused("reshape", 33, () -> ND4J.reshape(x, ones(33)));
    int[] wide = ones(40);
    wide[0] = 2;
    assertRefused("broadcastTo", 40, () -> ND4J.broadcastTo(x, wide));
    assertRefused("copyOf(INDArray)", 33, () -> ND4J.copyOf(Nd4j.create(DataType.FLOAT, 1L, 1L, 1L, 1L,
        1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L,
        1L, 1L, 1L, 1L, 1L)));
  }
}
