package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.mult;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zkynet.backend.BackendLimitException;
import zkynet.backend.Backends;
import zkynet.backend.Nd4jBackend;
import zkynet.backend.OnBackends;

/**
 * Ranks up to 64 through the Jacobian layout {@code root.shape ++ leaf.shape}: a rank-r input times
 * a rank-r parameter has rank-2r gradients. A backend either computes them or, past a limit of its
 * own (ND4J: 32 axes), throws a {@link BackendLimitException} naming it; the JVM never aborts.
 */
class JacobianRankTest {
  /** x * w, elementwise. */
  @Module
  static class Scale extends Zk_JacobianRankTest_Scale {
    final Parameter w;

    Scale(Tensor w0) {
      w = parameter(w0);
    }

    Node call(Node x) {
      return mult(x, w);
    }
  }

  static Stream<String> backends() {
    return OnBackends.names();
  }

  /** The most axes a backend takes: ND4J's native limit, none for the others. */
  private static int rankLimit() {
    return Backends.current() instanceof Nd4jBackend ? Nd4jBackend.MAX_RANK : Integer.MAX_VALUE;
  }

  /** Shape [2, 1, 1, ...] of rank r. */
  private static int[] shape(int rank) {
    int[] s = new int[rank];
    Arrays.fill(s, 1);
    s[0] = 2;
    return s;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void ranksUpTo64ThroughTheJacobianLayout(String backend) {
    OnBackends.on(backend, () -> {
      int limit = rankLimit();
      int computed = 0;
      int refused = 0;
      for (int r = 1; r <= 32; r++) {
        int[] s = shape(r);
        Scale m = new Scale(Tensor.of(new double[] {5, 7}, DType.FLOAT32, s));
        ModuleGraph g = m.apply(Tensor.of(new double[] {2, 3}, DType.FLOAT32, s));
        assertArrayEquals(new double[] {10, 21}, g.value().toDoubleArray(), 0);
        if (2 * r > limit) {
          BackendLimitException e = assertThrows(BackendLimitException.class, g::back, "rank " + r);
          assertTrue(e.getMessage().contains("(rank " + 2 * r + ")"), e.getMessage());
          assertTrue(e.getMessage().contains("limit of " + limit), e.getMessage());
          assertEquals(limit, e.limit());
          refused++;
          continue;
        }
        g.back();
        Tensor gw = g.grad(m.param("w"));
        int[] jacobian = new int[2 * r];
        System.arraycopy(s, 0, jacobian, 0, r);
        System.arraycopy(s, 0, jacobian, r, r);
        assertArrayEquals(jacobian, gw.shape(), "rank " + r);
        assertArrayEquals(new double[] {2, 0, 0, 3}, gw.toDoubleArray(), 0, "rank " + r);
        assertArrayEquals(new double[] {5, 0, 0, 7}, g.grad(m.input("x")).toDoubleArray(), 0);
        computed++;
      }
      assertEquals(32, computed + refused);
      assertEquals(Math.min(32, limit / 2), computed);
    });
  }
}
