package zkynet.examples.xor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The classic XOR network fits all four points from the default seed. */
class TrainXorTest {
  @Test
  void fitsAllFourPoints() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainXor.Result r = TrainXor.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertArrayEquals(new int[] {0, 1, 1, 0}, r.predictions());
    assertTrue(r.fitsAll());
    assertArrayEquals(new double[] {0, 1, 1, 0}, r.outputs(), 0.05);
    assertTrue(r.loss() < 1e-3, "loss " + r.loss());
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("xor(1, 1) = 0"), out);
    assertTrue(!out.contains("WRONG"), out);
  }

  @Test
  void deterministic() {
    TrainXor.Result a = TrainXor.run(TrainXor.DEFAULT_SEED, 50);
    TrainXor.Result b = TrainXor.run(TrainXor.DEFAULT_SEED, 50);
    assertArrayEquals(a.outputs(), b.outputs(), 0);
    assertEquals(a.loss(), b.loss(), 0);
  }

  @Test
  void theNetworkIsTwoTwoOne() {
    XorNet net = TrainXor.init(1);
    assertArrayEquals(new int[] {2, 2}, net.param("w1").value().shape());
    assertArrayEquals(new int[] {2}, net.param("c").value().shape());
    assertArrayEquals(new int[] {2, 1}, net.param("w2").value().shape());
    assertArrayEquals(new int[] {1}, net.param("b").value().shape());
  }
}
