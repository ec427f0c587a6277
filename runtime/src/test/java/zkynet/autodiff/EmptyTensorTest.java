package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.backend.Backend;
import zkynet.backend.Backends;
import zkynet.backend.OnBackends;

/**
 * Tensors with a 0 axis through every primitive, on every registered backend, against numpy's
 * results: elementwise functions of empty arrays are empty, the sum of nothing is 0, its mean NaN,
 * the maximum of nothing is an error, a product over an empty inner axis is zeros.
 */
class EmptyTensorTest {
  private static final DType F = DType.FLOAT32;

  static Stream<String> backends() {
    return OnBackends.names();
  }

  private static void expect(Tensor t, int[] shape, double... values) {
    assertArrayEquals(shape, t.shape(), "shape");
    assertEquals(F, t.dtype());
    assertArrayEquals(values, t.toDoubleArray(), 0);
  }

  private static final int[] EMPTY = {0};

  /** One check per @Primitive of Tensor, by signature: numpy's result for empty operands. */
  private static Map<String, Runnable> cases() {
    Supplier<Tensor> e = () -> Tensor.zeros(F, 0);        // shape (0,)
    Supplier<Tensor> m = () -> Tensor.zeros(F, 2, 0);     // shape (2, 0)
    Map<String, Runnable> c = new LinkedHashMap<>();
    c.put("neg()", () -> expect(e.get().neg(), EMPTY));
    c.put("add(Tensor)", () -> {
      expect(e.get().add(e.get()), EMPTY);
      expect(m.get().add(Tensor.ones(F, 1)), new int[] {2, 0}); // (2,0) + (1,) -> (2,0)
      expect(e.get().add(Tensor.of(5f)), EMPTY);               // with a scalar operand
    });
    c.put("add(double)", () -> expect(e.get().add(1), EMPTY));
    c.put("sub(Tensor)", () -> expect(Tensor.of(5f).sub(e.get()), EMPTY));
    c.put("sub(double)", () -> expect(e.get().sub(1), EMPTY));
    c.put("rsub(double)", () -> expect(e.get().rsub(1), EMPTY));
    c.put("mul(Tensor)", () -> expect(m.get().mul(m.get()), new int[] {2, 0}));
    c.put("mul(double)", () -> expect(e.get().mul(Double.NaN), EMPTY));
    c.put("div(Tensor)", () -> expect(e.get().div(e.get()), EMPTY));
    c.put("div(double)", () -> expect(e.get().div(0), EMPTY));
    c.put("rdiv(double)", () -> expect(e.get().rdiv(1), EMPTY));
    c.put("pow(double)", () -> expect(e.get().pow(2), EMPTY));
    c.put("exp()", () -> expect(e.get().exp(), EMPTY));
    c.put("log()", () -> expect(e.get().log(), EMPTY));
    c.put("sqrt()", () -> expect(e.get().sqrt(), EMPTY));
    c.put("tanh()", () -> expect(e.get().tanh(), EMPTY));
    c.put("sigmoid()", () -> expect(e.get().sigmoid(), EMPTY));
    c.put("relu()", () -> expect(e.get().relu(), EMPTY));
    c.put("abs()", () -> expect(e.get().abs(), EMPTY));
    c.put("maximum(Tensor)", () -> expect(e.get().maximum(e.get()), EMPTY));
    c.put("minimum(Tensor)", () -> expect(m.get().minimum(Tensor.zeros(F, 0)), new int[] {2, 0}));
    c.put("where(Tensor, Tensor)", () -> expect(e.get().where(e.get(), e.get()), EMPTY));
    c.put("stopGradient()", () -> expect(e.get().stopGradient(), EMPTY));
    c.put("sum()", () -> expect(m.get().sum(), new int[0], 0));
    c.put("sum(int[], boolean)", () -> {
      expect(m.get().sum(new int[] {1}, false), new int[] {2}, 0, 0);
      expect(m.get().sum(new int[] {0}, false), EMPTY);
      expect(m.get().sum(new int[] {1}, true), new int[] {2, 1}, 0, 0);
    });
    c.put("mean()", () -> expect(e.get().mean(), new int[0], Double.NaN));
    c.put("mean(int[], boolean)", () -> {
      expect(m.get().mean(new int[] {1}, false), new int[] {2}, Double.NaN, Double.NaN);
      expect(m.get().mean(new int[] {0}, true), new int[] {1, 0});
    });
    c.put("max()", () -> assertThrows(IllegalArgumentException.class, () -> e.get().max()));
    c.put("max(int[], boolean)", () -> {
      expect(m.get().max(new int[] {0}, false), EMPTY); // numpy: max over a non-empty axis of (2,0)
      assertThrows(IllegalArgumentException.class, () -> m.get().max(new int[] {1}, false));
    });
    c.put("reshape(int[])", () -> {
      expect(m.get().reshape(0, 5), new int[] {0, 5});
      expect(m.get().reshape(-1), EMPTY);
    });
    c.put("transpose()", () -> expect(m.get().transpose(), new int[] {0, 2}));
    c.put("permute(int[])", () -> expect(Tensor.zeros(F, 2, 0, 3).permute(2, 0, 1), new int[] {3, 2, 0}));
    c.put("broadcastTo(int[])", () -> {
      expect(e.get().broadcastTo(3, 0), new int[] {3, 0});
      expect(Tensor.ones(F, 1).broadcastTo(0), EMPTY);
    });
    c.put("slice(int, int, int)", () -> {
      expect(Tensor.ones(F, 3).slice(0, 1, 1), EMPTY);
      expect(m.get().slice(0, 0, 1), new int[] {1, 0});
    });
    c.put("concat(Tensor, int)", () -> {
      expect(e.get().concat(Tensor.of(1f, 2f), 0), new int[] {2}, 1, 2);
      expect(m.get().concat(m.get(), 0), new int[] {4, 0});
    });
    c.put("pow(Tensor)", () -> expect(m.get().pow(Tensor.of(2f)), new int[] {2, 0}));
    c.put("sin()", () -> expect(e.get().sin(), EMPTY));
    c.put("cos()", () -> expect(e.get().cos(), EMPTY));
    c.put("log1p()", () -> expect(e.get().log1p(), EMPTY));
    c.put("expm1()", () -> expect(e.get().expm1(), EMPTY));
    c.put("erf()", () -> expect(m.get().erf(), new int[] {2, 0}));
    c.put("maximum(double)", () -> expect(e.get().maximum(Double.NaN), EMPTY));
    c.put("minimum(double)", () -> expect(e.get().minimum(1), EMPTY));
    c.put("sum(int)", () -> {
      expect(m.get().sum(1), new int[] {2}, 0, 0);
      expect(e.get().sum(-1), new int[0], 0);
    });
    c.put("mean(int)", () -> expect(m.get().mean(-1), new int[] {2}, Double.NaN, Double.NaN));
    c.put("max(int)", () -> {
      expect(m.get().max(0), EMPTY);
      assertThrows(IllegalArgumentException.class, () -> m.get().max(1));
    });
    c.put("min()", () -> assertThrows(IllegalArgumentException.class, () -> e.get().min()));
    c.put("min(int[], boolean)", () -> {
      expect(m.get().min(new int[] {0}, true), new int[] {1, 0});
      assertThrows(IllegalArgumentException.class, () -> m.get().min(new int[] {1}, false));
    });
    c.put("min(int)", () -> {
      expect(m.get().min(0), EMPTY);
      assertThrows(IllegalArgumentException.class, () -> m.get().min(-1));
    });
    c.put("take(int[], int)", () -> {
      expect(e.get().take(new int[0], 0), EMPTY);
      expect(m.get().take(new int[] {1, 1, 0}, 0), new int[] {3, 0});
      expect(Tensor.ones(F, 3).take(new int[0], 0), EMPTY);
      assertThrows(IllegalArgumentException.class, () -> e.get().take(new int[] {0}, 0));
    });
    c.put("indexAdd(int[], int, int)", () -> {
      expect(e.get().indexAdd(new int[0], 0, 3), new int[] {3}, 0, 0, 0);
      expect(m.get().indexAdd(new int[] {0, 0}, 0, 1), new int[] {1, 0});
    });
    c.put("flip(int)", () -> {
      expect(e.get().flip(0), EMPTY);
      expect(m.get().flip(1), new int[] {2, 0});
    });
    c.put("pad(int, int, int)", () -> {
      expect(e.get().pad(0, 1, 2), new int[] {3}, 0, 0, 0);
      expect(m.get().pad(-1, 1, 0), new int[] {2, 1}, 0, 0);
    });
    c.put("matmul(Tensor)", () -> {
      expect(m.get().matmul(Tensor.zeros(F, 0, 3)), new int[] {2, 3}, 0, 0, 0, 0, 0, 0);
      expect(Tensor.zeros(F, 0, 2).matmul(Tensor.ones(F, 2, 3)), new int[] {0, 3});
      expect(Tensor.zeros(F, 4, 0, 2).matmul(Tensor.ones(F, 4, 2, 3)), new int[] {4, 0, 3});
    });
    return c;
  }

  @Test
  void everyPrimitiveHasAnEmptyTensorCase() {
    Set<String> primitives = PrimitiveTable.primitives().stream().map(PrimitiveTable.Prim::signature)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(primitives, new TreeSet<>(cases().keySet()));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void everyPrimitiveFollowsNumpyOnEmptyTensors(String backend) {
    OnBackends.on(backend, () -> cases().forEach((signature, check) -> {
      try {
        check.run();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(backend + ": " + signature + ": " + e.getMessage(), e);
      }
    }));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void comparisonsAndArgmaxOfEmptyTensors(String backend) {
    OnBackends.on(backend, () -> {
      Tensor e = Tensor.zeros(F, 0);
      expect(e.gt(e), EMPTY);
      expect(e.ge(0.5), EMPTY);
      expect(e.eq(e), EMPTY);
      expect(e.sign(), EMPTY);
      expect(e.lt(e), EMPTY);
      expect(e.le(1), EMPTY);
      expect(Tensor.zeros(F, 2, 0).ne(Tensor.zeros(F, 0)), new int[] {2, 0});
      expect(Tensor.zeros(F, 0, 3).argmin(1), EMPTY);
      assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(F, 3, 0).argmin(-1));
      expect(Tensor.zeros(F, 0, 3).argmax(1), EMPTY);
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> Tensor.zeros(F, 3, 0).argmax(1));
      assertTrue(x.getMessage().contains("empty"), x.getMessage());
    });
  }

  @Test
  void theBackendListIncludesTheDefault() {
    Backend current = Backends.current();
    assertTrue(backends().anyMatch(current.name()::equals));
  }
}
