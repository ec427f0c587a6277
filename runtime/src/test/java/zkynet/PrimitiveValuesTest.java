package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zkynet.backend.OnBackends;

/**
 * The forward values of the primitives and composite operators added for issue 13, on every backend,
 * against independent computations: {@link StrictMath}, tabulated values, and plain loops over the
 * row-major data. Gradients are checked in {@code PrimitiveGradCheckTest} and
 * {@code BuiltinsGradCheckTest}.
 */
class PrimitiveValuesTest {
  private static final DType F64 = DType.FLOAT64;
  private static final DType F32 = DType.FLOAT32;
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  static Stream<String> backends() {
    return OnBackends.names();
  }

  private static Tensor vec(DType dtype, double... v) {
    return Tensor.of(v, dtype, v.length);
  }

  /** Each element of {@code f(x)} against {@code exact} within {@code ulps} ulp of the dtype (NaN equals NaN). */
  private static void elementwise(String backend, DType dtype, Function<Tensor, Tensor> f, DoubleUnaryOperator exact,
      double ulps, double... x) {
    double[] got = f.apply(vec(dtype, x)).toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      double want = exact.applyAsDouble(x[i]);
      if (dtype == F32) {
        want = (float) want;
      }
      String where = backend + " " + dtype + " at x = " + x[i] + ": got " + got[i] + ", want " + want;
      if (Double.isNaN(want) || Double.isInfinite(want)) {
        assertEquals(want, got[i], 0, where);
      } else {
        double ulp = dtype == F32 ? Math.ulp((float) want) : Math.ulp(want);
        assertTrue(Math.abs(got[i] - want) <= ulps * ulp + (dtype == F32 ? 1e-45 : 0), where);
      }
    }
  }

  private static final double[] GENERAL = {0, -0.0, 1e-9, -1e-9, 0.5, -0.75, 1, -2.5, 3.25, 10, -17.5};

  @ParameterizedTest
  @MethodSource("backends")
  void transcendentalsFollowStrictMath(String backend) {
    OnBackends.on(backend, () -> {
      for (DType d : new DType[] {F64, F32}) {
        double u = d == F64 ? 2 : 1;
        elementwise(backend, d, Tensor::sin, StrictMath::sin, u, GENERAL);
        elementwise(backend, d, Tensor::sin, StrictMath::sin, 0, INF, -INF, NAN);
        elementwise(backend, d, Tensor::cos, StrictMath::cos, u, GENERAL);
        elementwise(backend, d, Tensor::cos, StrictMath::cos, 0, INF, NAN);
        elementwise(backend, d, Tensor::log1p, StrictMath::log1p, u, 0, 1e-9, -1e-9, 0.5, -0.75, 1, 3.25, 1e6);
        elementwise(backend, d, Tensor::log1p, StrictMath::log1p, 0, -1, -2, INF, NAN);
        elementwise(backend, d, Tensor::expm1, StrictMath::expm1, u, GENERAL);
        elementwise(backend, d, Tensor::expm1, StrictMath::expm1, 0, INF, -INF, NAN, -800);
      }
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void erfMatchesTabulatedValues(String backend) {
    OnBackends.on(backend, () -> {
      double[] x = {0.1, 0.5, 1, 2, 3, 4, -1, -3};
      double[] table = {0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527,
          0.9999779095030014, 0.9999999845827421, -0.8427007929497149, -0.9999779095030014};
      double[] got = vec(F64, x).erf().toDoubleArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals(table[i], got[i], 4 * Math.ulp(table[i]), "erf(" + x[i] + ")");
      }
      assertArrayEquals(new double[] {0, 1, -1, 1, NAN}, vec(F64, 0, INF, -INF, 7, NAN).erf().toDoubleArray(), 0);
      assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(vec(F64, -0.0).erf().item()), "erf(-0) = -0");
      double[] f32 = vec(F32, x).erf().toDoubleArray();
      for (int i = 0; i < x.length; i++) {
        assertEquals((float) table[i], f32[i], Math.ulp((float) table[i]), "float32 erf(" + x[i] + ")");
      }
      double tiny = 1e-12; // erf(x) = 2x/sqrt(pi) to first order
      assertEquals(2 * tiny / Math.sqrt(Math.PI), vec(F64, tiny).erf().item(), 1e-28);
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void powWithATensorExponentBroadcasts(String backend) {
    OnBackends.on(backend, () -> {
      Tensor a = Tensor.of(new double[] {2, 0.5}, F64, 2, 1);
      Tensor b = vec(F64, -1, 0, 2.5);
      double[] got = a.pow(b).toDoubleArray();
      double[] base = {2, 0.5};
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(StrictMath.pow(base[i], b.toDoubleArray()[j]), got[i * 3 + j], 1e-15, "pow " + i + "," + j);
        }
      }
      assertArrayEquals(new double[] {1, NAN, INF, 0}, vec(F64, 0, -8, 0, 0).pow(vec(F64, 0, 1.0 / 3, -1, 3)).toDoubleArray(), 0);
      assertArrayEquals(new double[] {9, 1}, vec(F32, 3, 1).pow(Tensor.of(2f)).toDoubleArray(), 0); // scalar exponent tensor
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void scalarMaximumMinimumAndComparisons(String backend) {
    OnBackends.on(backend, () -> {
      for (DType d : new DType[] {F64, F32}) {
        Tensor x = vec(d, 1, 2, NAN, -INF);
        assertArrayEquals(new double[] {2, 2, NAN, 2}, x.maximum(2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 2, NAN, -INF}, x.minimum(2).toDoubleArray(), 0);
        Tensor y = vec(d, 2, 2, NAN, 0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, x.lt(y).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 0, 1}, x.le(y).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 1, 1}, x.ne(y).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, x.lt(2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 0, 1}, x.le(2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 1, 1}, x.ne(2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, x.ne(NAN).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 0, 0, 0}, x.lt(NAN).toDoubleArray(), 0);
        // a one-element left operand (the scalar-kernel path, reversed) and broadcasting
        assertArrayEquals(new double[] {0, 0, 0, 1}, Tensor.of(1, d).lt(vec(d, 1, 0, NAN, 5)).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.of(1, d).le(vec(d, 1, 0, NAN, 5)).toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 4}, Tensor.zeros(d, 2, 1).lt(x).shape());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vec(F64, 1).lt(vec(F32, 1)));
      assertTrue(e.getMessage().startsWith("lt: dtype mismatch"), e.getMessage());
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void minReductionsAndArgminAgainstLoops(String backend) {
    OnBackends.on(backend, () -> {
      Random rng = new Random(5);
      Tensor x = Tensor.randn(rng, F64, 3, 4, 5);
      double[] v = x.toDoubleArray();
      double[] byAxis1 = x.min(1).toDoubleArray();
      double[] arg = x.argmin(1).toDoubleArray();
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 5; k++) {
          double m = INF;
          int at = -1;
          for (int j = 0; j < 4; j++) {
            if (v[i * 20 + j * 5 + k] < m) {
              m = v[i * 20 + j * 5 + k];
              at = j;
            }
          }
          assertEquals(m, byAxis1[i * 5 + k], 0);
          assertEquals(at, arg[i * 5 + k], 0);
        }
      }
      double all = INF;
      for (double e : v) {
        all = Math.min(all, e);
      }
      assertEquals(all, x.min().item(), 0);
      assertArrayEquals(x.min(new int[] {0, 2}, true).toDoubleArray(), x.min(2).min(0).toDoubleArray(), 0);
      assertArrayEquals(new int[] {1, 4, 1}, x.min(new int[] {0, 2}, true).shape());
      assertEquals(NAN, vec(F64, 1, NAN, -1).min().item(), 0);
      assertArrayEquals(new double[] {1, 0}, Tensor.of(new double[] {3, 1, 1, -2, 5, 7}, F64, 2, 3).argmin(-1).toDoubleArray(), 0);
      assertArrayEquals(new double[] {1}, vec(F32, 2, NAN, -5).argmin(0).toDoubleArray(), 0); // first NaN wins
      assertArrayEquals(x.sum(new int[] {1}, false).toDoubleArray(), x.sum(-2).toDoubleArray(), 0);
      assertArrayEquals(x.mean(new int[] {2}, false).toDoubleArray(), x.mean(-1).toDoubleArray(), 0);
      assertArrayEquals(x.max(new int[] {0}, false).toDoubleArray(), x.max(0).toDoubleArray(), 0);
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void takeIndexAddFlipAndPadAgainstLoops(String backend) {
    OnBackends.on(backend, () -> {
      for (DType d : new DType[] {F64, F32}) {
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, d, 2, 3, 2);
        assertArrayEquals(new double[] {4, 5, 0, 1, 4, 5, 10, 11, 6, 7, 10, 11}, x.take(new int[] {2, 0, -1}, 1).toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 3, 2}, x.take(new int[] {2, 0, -1}, 1).shape());
        assertArrayEquals(new double[] {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10}, x.flip(-1).toDoubleArray(), 0);
        assertArrayEquals(new double[] {6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5}, x.flip(0).toDoubleArray(), 0);
        Tensor s = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, d, 3, 2);
        assertArrayEquals(new double[] {6, 8, 0, 0, 3, 4, 0, 0}, s.indexAdd(new int[] {0, 2, 0}, 0, 4).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5, 6, 0, 0},
            s.pad(1, 1, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 0, 1, 2, 3, 4, 5, 6}, s.pad(0, 1, 0).toDoubleArray(), 0);
        // a view (transpose) as the operand
        assertArrayEquals(new double[] {5, 3, 1, 6, 4, 2}, s.transpose().flip(1).toDoubleArray(), 0);
        // take's adjoint: <take(x), g> = <x, indexAdd(g)>
        Random rng = new Random(3);
        Tensor a = Tensor.randn(rng, F64, 4, 3);
        int[] idx = {3, 3, 0, 1, 3};
        Tensor g = Tensor.randn(rng, F64, 5, 3);
        assertEquals(a.take(idx, 0).mul(g).sum().item(), a.mul(g.indexAdd(idx, 0, 4)).sum().item(), 1e-12);
      }
      Tensor x = Tensor.ones(F64, 2, 3);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.take(new int[] {0, 3}, 1));
      assertTrue(e.getMessage().contains("indices[1] = 3 is out of range for axis 1 of size 3"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> x.take(new int[] {-4}, 1));
      e = assertThrows(IllegalArgumentException.class, () -> x.indexAdd(new int[] {0}, 0, 2));
      assertTrue(e.getMessage().startsWith("indexAdd: need 2 indices"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> x.pad(0, -1, 0));
      assertTrue(e.getMessage().startsWith("pad: need before >= 0"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> x.flip(2));
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void naryConcatStackAndOneHot(String backend) {
    OnBackends.on(backend, () -> {
      Tensor a = Tensor.of(new double[] {1, 2}, F64, 1, 2);
      Tensor b = Tensor.of(new double[] {3, 4, 5, 6}, F64, 2, 2);
      Tensor c = Tensor.of(new double[] {7, 8}, F64, 1, 2);
      assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, Tensor.concat(0, a, b, c).toDoubleArray(), 0);
      assertArrayEquals(new int[] {4, 2}, Tensor.concat(-2, a, b, c).shape());
      Tensor s = Tensor.stack(1, vec(F64, 1, 2), vec(F64, 3, 4), vec(F64, 5, 6));
      assertArrayEquals(new int[] {2, 3}, s.shape());
      assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, s.toDoubleArray(), 0);
      assertArrayEquals(new int[] {3, 2}, Tensor.stack(-2, vec(F64, 1, 2), vec(F64, 3, 4), vec(F64, 5, 6)).shape());
      assertArrayEquals(new int[] {1}, Tensor.stack(0, Tensor.of(3, F64)).shape());
      assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, vec(F64, 1), vec(F64, 1, 2)));
      assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0));
      Tensor oneHot = Tensor.of(new double[] {2, 0, 1, 2}, F32, 2, 2).oneHot(3);
      assertArrayEquals(new int[] {2, 2, 3}, oneHot.shape());
      assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, oneHot.toDoubleArray(), 0);
      assertThrows(IllegalArgumentException.class, () -> vec(F32, 0.5).oneHot(2));
      assertThrows(IllegalArgumentException.class, () -> vec(F32, 3).oneHot(2));
    });
  }

  @ParameterizedTest
  @MethodSource("backends")
  void compositeOperatorsAgainstDirectFormulas(String backend) {
    OnBackends.on(backend, () -> {
      Tensor x = vec(F64, -1000, -3, -0.5, 0, 1, 2.5, 1000);
      double[] in = x.toDoubleArray();
      double[] softplus = Builtins.softplus(x).toDoubleArray();
      double[] gelu = Builtins.gelu(x).toDoubleArray();
      double[] geluTanh = Builtins.geluTanh(x).toDoubleArray();
      double[] silu = Builtins.silu(x).toDoubleArray();
      for (int i = 0; i < in.length; i++) {
        double v = in[i];
        double sp = Math.abs(v) > 30 ? Math.max(v, 0) + StrictMath.exp(-Math.abs(v)) : StrictMath.log(1 + StrictMath.exp(v));
        assertEquals(sp, softplus[i], 1e-15 * Math.max(1, Math.abs(sp)), "softplus(" + v + ")");
        double cdf = Math.abs(v) > 30 ? (v > 0 ? 1 : 0) : 0.5 * (1 + erfBySeries(v / Math.sqrt(2)));
        assertEquals(v * cdf, gelu[i], 1e-14 * Math.max(1, Math.abs(v)), "gelu(" + v + ")");
        double t = StrictMath.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
        assertEquals(0.5 * v * (1 + t), geluTanh[i], 1e-14 * Math.max(1, Math.abs(v)), "geluTanh(" + v + ")");
        assertEquals(v / (1 + StrictMath.exp(-v)), silu[i], 1e-14 * Math.max(1, Math.abs(v)), "silu(" + v + ")");
      }
      assertEquals(0.8413447460685429, Builtins.gelu(Tensor.of(1, F64)).item(), 1e-15);
      assertEquals(Math.log(2), Builtins.softplus(Tensor.of(0, F64)).item(), 1e-16);
      Tensor rows = Tensor.of(new double[] {1000, 1000, -1000, 0, 1, 2}, F64, 3, 2);
      assertArrayEquals(new double[] {1000 + Math.log(2), StrictMath.exp(-1000), Math.log(Math.exp(1) + Math.exp(2))},
          Builtins.logSumExp(rows, -1).toDoubleArray(), 1e-12);
      assertArrayEquals(new double[] {1000, 1000}, Builtins.logSumExp(rows.slice(0, 0, 2), 0).toDoubleArray(), 0);
      assertArrayEquals(new double[] {-INF}, Builtins.logSumExp(vec(F64, -INF, -INF), 0).toDoubleArray(), 0);
      assertArrayEquals(new double[] {0.5, 2, 0.5, NAN}, Builtins.clamp(vec(F64, -1, 3, 0.5, NAN), 0.5, 2).toDoubleArray(), 0);
      assertArrayEquals(new double[] {0.5, INF}, Builtins.rsqrt(vec(F64, 4, 0)).toDoubleArray(), 0);
      Random rng = new Random(11);
      Tensor data = Tensor.randn(rng, F64, 3, 5);
      double[] d = data.toDoubleArray();
      for (int correction = 0; correction <= 1; correction++) {
        double[] var = Builtins.variance(data, 1, correction).toDoubleArray();
        double[] std = Builtins.std(data, -1, correction).toDoubleArray();
        for (int r = 0; r < 3; r++) {
          double mean = 0;
          for (int k = 0; k < 5; k++) {
            mean += d[r * 5 + k] / 5;
          }
          double ss = 0;
          for (int k = 0; k < 5; k++) {
            ss += (d[r * 5 + k] - mean) * (d[r * 5 + k] - mean);
          }
          assertEquals(ss / (5 - correction), var[r], 1e-14, "variance row " + r + " correction " + correction);
          assertEquals(Math.sqrt(ss / (5 - correction)), std[r], 1e-14, "std row " + r);
        }
      }
      assertArrayEquals(new double[] {0.5, 0.5}, Builtins.variance(Tensor.of(new double[] {0, 2, 1, 3}, F64, 2, 2), 0, 1).toDoubleArray(), 0);
    });
  }

  /** erf by its Maclaurin series in plain double (independent of the implementation under test), |x| &lt;= 3. */
  private static double erfBySeries(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
}
