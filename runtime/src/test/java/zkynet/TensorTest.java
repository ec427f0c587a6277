package zkynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import zkynet.backend.Nd4jInterop;

class TensorTest {
  private static final DType F32 = DType.FLOAT32;
  private static final DType F64 = DType.FLOAT64;

  /** Asserts shape and values (to 1e-6 relative, NaN only equal to NaN). */
  static void check(Tensor t, int[] shape, double... values) {
    assertArrayEquals(shape, t.shape(), () -> "shape of " + t);
    double[] actual = t.toDoubleArray();
    assertEquals(values.length, actual.length, () -> "size of " + t);
    for (int i = 0; i < values.length; i++) {
      double e = values[i];
      double a = actual[i];
      if (Double.isNaN(e) || Double.isInfinite(e)) {
        assertEquals(e, a, "element " + i + " of " + t);
      } else {
        assertEquals(e, a, 1e-6 * Math.max(1, Math.abs(e)), "element " + i + " of " + t);
      }
    }
  }

  static int[] s(int... shape) {
    return shape;
  }

  /** 0, 1, 2, ... as a float64 tensor of the given shape (float64 so that hand loops agree exactly). */
  static Tensor iota(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] data = new double[n];
    for (int i = 0; i < n; i++) {
      data[i] = i;
    }
    return Tensor.of(data, F64, shape);
  }

  static String message(Runnable r) {
    return assertThrows(RuntimeException.class, r::run).getMessage();
  }

  @Nested
  class Creation {
    @Test
    void scalarDefaultsToFloat32() {
      Tensor t = Tensor.of(3);
      assertEquals(F32, t.dtype());
      assertEquals(0, t.rank());
      assertArrayEquals(new int[0], t.shape());
      assertEquals(1, t.size());
      assertEquals(3.0, t.item());
      assertEquals(F64, Tensor.of(3, F64).dtype());
    }

    @Test
    void vectorsMatricesAndCubes() {
      check(Tensor.of(1.5, 2.5, 3.5), s(3), 1.5, 2.5, 3.5);
      check(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}), s(2, 3), 1, 2, 3, 4, 5, 6);
      check(Tensor.of(new double[][][] {{{1, 2}}, {{3, 4}}}), s(2, 1, 2), 1, 2, 3, 4);
      check(Tensor.of(1f, 2f), s(2), 1, 2);
      check(Tensor.of(new float[][] {{1f}, {2f}}), s(2, 1), 1, 2);
      assertEquals(F32, Tensor.of(new double[][] {{1}}).dtype());
    }

    @Test
    void fromFlatDataWithShape() {
      Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, F64, 3, 2);
      assertEquals(F64, t.dtype());
      check(t, s(3, 2), 1, 2, 3, 4, 5, 6);
      assertArrayEquals(new double[][] {{1, 2}, {3, 4}, {5, 6}}, t.toMatrix());
      assertTrue(message(() -> Tensor.of(new double[5], F32, 2, 3)).contains("[2, 3]"));
    }

    @Test
    void creationCopiesItsInput() {
      double[] data = {1, 2, 3};
      Tensor t = Tensor.of(data);
      data[0] = 99;
      check(t, s(3), 1, 2, 3);
      t.toDoubleArray()[1] = 99;
      check(t, s(3), 1, 2, 3);
      t.shape()[0] = 7;
      assertEquals(3, t.shape(0));
    }

    @Test
    void float32RoundsAndFloat64Keeps() {
      assertEquals((double) 0.1f, Tensor.of(0.1).item());
      assertEquals(0.1, Tensor.of(0.1, F64).item());
      assertEquals((double) 0.1f, Tensor.of(0.1, F64).to(F32).item());
      Tensor t = Tensor.of(1, 2);
      assertSame(t, t.to(F32));
      assertEquals(F64, t.to(F64).dtype());
      check(t.to(F64), s(2), 1, 2);
    }

    @Test
    void raggedRowsAreNamed() {
      String m = message(() -> Tensor.of(new double[][] {{1, 2, 3}, {4, 5}}));
      assertTrue(m.contains("ragged") && m.contains("row [1]") && m.contains("length 2"), m);
      String m3 = message(() -> Tensor.of(new double[][][] {{{1}, {2}}, {{3}, {4, 5}}}));
      assertTrue(m3.contains("row [1][1]"), m3);
    }

    @Test
    void constantsAndRandom() {
      check(Tensor.zeros(F32, 2, 2), s(2, 2), 0, 0, 0, 0);
      check(Tensor.ones(F64, 3), s(3), 1, 1, 1);
      check(Tensor.full(7, F32), s(), 7);
      Tensor a = Tensor.randn(new Random(42), F64, 100);
      Tensor b = Tensor.randn(new Random(42), F64, 100);
      assertTrue(a.allClose(b, 0, 0, false));
      Random ref = new Random(42);
      assertEquals(ref.nextGaussian(), a.toDoubleArray()[0]);
      Tensor u = Tensor.uniform(new Random(1), -2, 3, F32, 50, 4);
      for (double v : u.toDoubleArray()) {
        assertTrue(v >= -2 && v < 3, "uniform value " + v);
      }
      assertTrue(message(() -> Tensor.zeros(F32, 2, -1)).contains("negative"));
    }

    @Test
    void oneHot() {
      check(Tensor.oneHot(new int[] {2, 0}, 3, F32), s(2, 3), 0, 0, 1, 1, 0, 0);
      String m = message(() -> Tensor.oneHot(new int[] {0, 1, 5}, 3, F32));
      assertTrue(m.contains("labels[2] = 5"), m);
    }

    @Test
    void indarrayRoundTrip() {
      INDArray arr = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DataType.DOUBLE);
      Tensor t = Nd4jInterop.of(arr);
      assertEquals(F64, t.dtype());
      check(t, s(2, 3), 1, 2, 3, 4, 5, 6);
      arr.putScalar(0, 100.0); // a copy: the tensor does not change
      check(t, s(2, 3), 1, 2, 3, 4, 5, 6);
      INDArray back = Nd4jInterop.toINDArray(t);
      assertArrayEquals(new long[] {2, 3}, back.shape());
      assertEquals(DataType.DOUBLE, back.dataType());
      back.putScalar(1, 50.0);
      check(t, s(2, 3), 1, 2, 3, 4, 5, 6);
      assertEquals(F32, Nd4jInterop.of(Nd4j.create(new int[] {1, 2}, new long[] {2}, DataType.INT)).dtype());
      INDArray scalar = Nd4jInterop.toINDArray(Tensor.of(5));
      assertEquals(0, scalar.rank());
      assertEquals(5.0, scalar.getDouble(0L));
      Tensor view = Nd4jInterop.of(arr.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)));
      check(view, s(2, 2), 2, 3, 5, 6);
    }
  }

  @Nested
  class FromObject {
    @Test
    void tensorsNumbersAndIndarrays() {
      Tensor t = Tensor.of(1, 2);
      assertSame(t, Tensor.from(t));
      Tensor i = Tensor.from(3);
      assertEquals(F32, i.dtype());
      check(i, s(), 3);
      check(Tensor.from(2.5), s(), 2.5);
      check(Tensor.from(7L), s(), 7);
      check(Tensor.from(1.5f), s(), 1.5);
      check(Tensor.from(Nd4j.create(new float[] {1, 2}, new long[] {2}, DataType.FLOAT)), s(2), 1, 2);
    }

    @Test
    void primitiveArraysOfEveryKind() {
      check(Tensor.from(new double[] {1, 2}), s(2), 1, 2);
      check(Tensor.from(new float[] {1, 2}), s(2), 1, 2);
      check(Tensor.from(new int[] {1, 2}), s(2), 1, 2);
      check(Tensor.from(new long[] {1, 2}), s(2), 1, 2);
      check(Tensor.from(new int[][] {{1, 2}, {3, 4}}), s(2, 2), 1, 2, 3, 4);
      check(Tensor.from(new long[][] {{1}, {2}}), s(2, 1), 1, 2);
      check(Tensor.from(new float[][][] {{{1, 2}, {3, 4}}}), s(1, 2, 2), 1, 2, 3, 4);
      check(Tensor.from(new int[][][] {{{1}, {2}}, {{3}, {4}}}), s(2, 2, 1), 1, 2, 3, 4);
      check(Tensor.from(new double[][][] {{{1, 2}}}), s(1, 1, 2), 1, 2);
      assertEquals(F32, Tensor.from(new double[] {1}).dtype());
      assertEquals(F32, Tensor.from(new int[][] {{1}}).dtype());
    }

    @Test
    void unsupportedTypesAreNamed() {
      String m = message(() -> Tensor.from("3"));
      assertTrue(m.contains("java.lang.String"), m);
      String m2 = message(() -> Tensor.from(new Integer[] {1, 2}));
      assertTrue(m2.contains("Integer[]"), m2);
      String m3 = message(() -> Tensor.from(new boolean[] {true}));
      assertTrue(m3.contains("boolean[]"), m3);
      assertThrows(IllegalArgumentException.class, () -> Tensor.from(null));
      assertThrows(IllegalArgumentException.class, () -> Tensor.from(new Object()));
      String ragged = message(() -> Tensor.from(new int[][] {{1}, {2, 3}}));
      assertTrue(ragged.contains("row [1]"), ragged);
    }
  }

  @Nested
  class Reading {
    @Test
    void itemNeedsOneElement() {
      assertEquals(4.0, Tensor.of(new double[][] {{4}}).item());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.of(1, 2, 3).item());
      assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void vectorAndMatrixNeedTheirRank() {
      assertArrayEquals(new double[] {1, 2}, Tensor.of(1, 2).toVector());
      assertTrue(message(() -> Tensor.of(1).toVector()).contains("rank 1"));
      assertTrue(message(() -> Tensor.of(1, 2).toMatrix()).contains("[2]"));
    }

    @Test
    void metadata() {
      Tensor t = iota(2, 3, 4);
      assertEquals(3, t.rank());
      assertEquals(24, t.size());
      assertEquals(4, t.shape(-1));
      assertEquals(2, t.shape(0));
      assertThrows(IllegalArgumentException.class, () -> t.shape(3));
    }

    @Test
    void allCloseTolerancesAndNan() {
      Tensor a = Tensor.of(1.0, Double.NaN, 3.0);
      Tensor b = Tensor.of(1.0, Double.NaN, 3.0);
      assertFalse(a.allClose(b));
      assertTrue(a.allClose(b, 1e-5, 1e-8, true));
      assertTrue(Tensor.of(1, 2).allClose(Tensor.of(1 + 1e-6, 2), 1e-5, 0, false));
      assertFalse(Tensor.of(1, 2).allClose(Tensor.of(1.1, 2)));
      assertFalse(Tensor.of(1, 2).allClose(Tensor.of(new double[][] {{1, 2}})));
      assertTrue(Tensor.of(1, 2).allClose(Tensor.of(new double[] {1, 2}, F64, 2))); // dtypes may differ
      Tensor inf = Tensor.of(Double.POSITIVE_INFINITY);
      assertTrue(inf.allClose(Tensor.of(Double.POSITIVE_INFINITY)));
      assertFalse(inf.allClose(Tensor.of(Double.NEGATIVE_INFINITY)));
    }
  }

  @Nested
  class Text {
    @Test
    void numpyLikeToString() {
      assertEquals("tensor([[1., 2.], [3., 4.]], float32)", Tensor.of(new double[][] {{1, 2}, {3, 4}}).toString());
      assertEquals("tensor(36., float32)", Tensor.of(36).toString());
      assertEquals("tensor([0.1, -0.25, 3.], float32)", Tensor.of(0.1, -0.25, 3).toString());
      assertEquals("tensor([1.5, nan, -inf], float64)",
          Tensor.of(new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY}, F64, 3).toString());
      assertEquals("tensor([0.33333333], float64)", Tensor.of(new double[] {1.0 / 3}, F64, 1).toString());
      assertEquals("tensor([1.0e-01, 1.5e+02], float64)", Tensor.of(new double[] {0.1, 150}, F64, 2).toString());
      assertEquals("tensor([1.e-05, 1.e+00], float32)", Tensor.of(1e-5, 1).toString());
      assertEquals("tensor([], float32)", Tensor.zeros(F32, 0).toString());
      assertEquals("tensor([1.e-100, 1.e+000], float64)", Tensor.of(new double[] {1e-100, 1}, F64, 2).toString());
      assertEquals("tensor([0.e+00, 1.e-05], float64)", Tensor.of(new double[] {0, 1e-5}, F64, 2).toString());
      assertEquals("tensor([-0., 1.5], float32)", Tensor.of(-0.0, 1.5).toString());
      assertEquals("tensor([1.23456789e+08, 1.50000000e+00], float64)",
          Tensor.of(new double[] {123456789, 1.5}, F64, 2).toString());
    }

    @Test
    void largeTensorsAreAbbreviated() {
      String text = Tensor.zeros(F32, 2000).toString();
      assertEquals("tensor([0., 0., 0., ..., 0., 0., 0.], float32)", text);
      // numpy switches the whole array to scientific notation here (largest / smallest > 1000)
      assertEquals("tensor([[0.000e+00, 1.000e+00, 2.000e+00, ..., 3.700e+01, 3.800e+01, 3.900e+01], "
          + "[4.000e+01, 4.100e+01, 4.200e+01, ..., 7.700e+01, 7.800e+01, 7.900e+01], "
          + "[8.000e+01, 8.100e+01, 8.200e+01, ..., 1.170e+02, 1.180e+02, 1.190e+02], ..., "
          + "[1.480e+03, 1.481e+03, 1.482e+03, ..., 1.517e+03, 1.518e+03, 1.519e+03], "
          + "[1.520e+03, 1.521e+03, 1.522e+03, ..., 1.557e+03, 1.558e+03, 1.559e+03], "
          + "[1.560e+03, 1.561e+03, 1.562e+03, ..., 1.597e+03, 1.598e+03, 1.599e+03]], float64)",
          iota(40, 40).toString());
      assertEquals("tensor([[100., 101., 102., ..., 127., 128., 129.], [130., 131., 132., ..., 157., 158., 159.], "
          + "[160., 161., 162., ..., 187., 188., 189.], ..., [1210., 1211., 1212., ..., 1237., 1238., 1239.], "
          + "[1240., 1241., 1242., ..., 1267., 1268., 1269.], [1270., 1271., 1272., ..., 1297., 1298., 1299.]], float64)",
          iota(40, 30).add(100).toString());
    }

    @Test
    void preview() {
      assertEquals("[3] float32 [36, 80, 150]", Tensor.of(36, 80, 150).preview(6));
      assertEquals("[2,2] float32 [0.1, -0.2, ... ]", Tensor.of(new double[][] {{0.1, -0.2}, {3, 4}}).preview(2));
      assertEquals("[] float32 36", Tensor.of(36).preview(6));
    }
  }

  @Nested
  class Elementwise {
    @Test
    void arithmeticOnEqualShapes() {
      Tensor a = Tensor.of(1, 2, 3);
      Tensor b = Tensor.of(4, 5, 6);
      check(a.add(b), s(3), 5, 7, 9);
      check(a.sub(b), s(3), -3, -3, -3);
      check(a.mul(b), s(3), 4, 10, 18);
      check(b.div(a), s(3), 4, 2.5, 2);
      check(a.neg(), s(3), -1, -2, -3);
      check(a.maximum(Tensor.of(2, 2, 2)), s(3), 2, 2, 3);
      check(a.minimum(Tensor.of(2, 2, 2)), s(3), 1, 2, 2);
    }

    @Test
    void scalarArgumentsAdoptTheDtype() {
      Tensor a = Tensor.of(new double[] {1, 2, 4}, F64, 3);
      check(a.add(1), s(3), 2, 3, 5);
      check(a.sub(1), s(3), 0, 1, 3);
      check(a.rsub(1), s(3), 0, -1, -3);
      check(a.mul(2), s(3), 2, 4, 8);
      check(a.div(2), s(3), 0.5, 1, 2);
      check(a.rdiv(4), s(3), 4, 2, 1);
      check(a.pow(2), s(3), 1, 4, 16);
      check(a.pow(0.5), s(3), 1, Math.sqrt(2), 2);
      assertEquals(F64, a.add(0.1).dtype());
      assertEquals(1.1, a.add(0.1).toDoubleArray()[0]); // computed in float64
      assertEquals(F32, Tensor.of(1).add(0.1).dtype());
      assertEquals((double) (1f + 0.1f), Tensor.of(1).add(0.1).item());
    }

    @Test
    void functions() {
      Tensor x = Tensor.of(new double[] {-1, 0, 2}, F64, 3);
      check(x.exp(), s(3), Math.exp(-1), 1, Math.exp(2));
      check(x.tanh(), s(3), Math.tanh(-1), 0, Math.tanh(2));
      check(x.sigmoid(), s(3), 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2)));
      check(x.relu(), s(3), 0, 0, 2);
      check(x.abs(), s(3), 1, 0, 2);
      check(x.sign(), s(3), -1, 0, 1);
      check(x.log(), s(3), Double.NaN, Double.NEGATIVE_INFINITY, Math.log(2));
      check(x.sqrt(), s(3), Double.NaN, 0, Math.sqrt(2));
      check(Tensor.of(3).exp(), s(), Math.exp(3));
    }

    @Test
    void nanPropagatesLikeNumpy() {
      Tensor a = Tensor.of(Double.NaN, 1, 5);
      Tensor b = Tensor.of(1, Double.NaN, 2);
      check(a.maximum(b), s(3), Double.NaN, Double.NaN, 5);
      check(a.minimum(b), s(3), Double.NaN, Double.NaN, 2);
      check(a.sign(), s(3), Double.NaN, 1, 1);
      check(a.max(), s(), Double.NaN);
      check(Tensor.of(new double[][] {{1, Double.NaN}, {3, 4}}).max(new int[] {1}, false), s(2), Double.NaN, 4);
    }

    @Test
    void comparisons() {
      Tensor a = Tensor.of(1, 2, 3);
      Tensor b = Tensor.of(3, 2, 1);
      check(a.gt(b), s(3), 0, 0, 1);
      check(a.ge(b), s(3), 0, 1, 1);
      check(a.eq(b), s(3), 0, 1, 0);
      check(a.gt(2), s(3), 0, 0, 1);
      check(a.ge(2), s(3), 0, 1, 1);
      assertEquals(F32, a.gt(b).dtype());
      check(Tensor.of(new double[] {1, 2}, F64, 2).eq(Tensor.of(2, F64)), s(2), 0, 1);
      check(Tensor.of(2).gt(Tensor.of(1, 2, 3)), s(3), 1, 0, 0);
      check(Tensor.of(Double.NaN).ge(Tensor.of(Double.NaN)), s(), 0);
    }

    @Test
    void dtypeMismatchIsAnErrorNamingOpDtypesAndShapes() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Tensor.of(1, 2, 3).mul(Tensor.of(new double[] {1, 2, 3}, F64, 3)));
      assertEquals("mul: dtype mismatch float32 [3] vs float64 [3]; convert one with .to(DType)", e.getMessage());
      assertTrue(message(() -> Tensor.of(1).add(Tensor.of(1, F64))).startsWith("add: dtype mismatch"));
      assertTrue(message(() -> iota(2, 2).matmul(Tensor.ones(F32, 2, 2))).startsWith("matmul: dtype mismatch"));
      assertTrue(message(() -> Tensor.of(1, 2).concat(Tensor.ones(F64, 2), 0)).startsWith("concat: dtype"));
      assertTrue(message(() -> Tensor.of(1, 2).where(Tensor.of(1, 0), Tensor.ones(F64, 2))).startsWith("where: dtype"));
    }
  }

  @Nested
  class Broadcasting {
    @Test
    void columnPlusRowGivesMatrix() { // a case ND4J itself refuses
      Tensor col = Tensor.of(new double[][] {{10}, {20}, {30}});
      Tensor row = Tensor.of(1, 2, 3, 4);
      check(col.add(row), s(3, 4), 11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34);
      check(row.add(col), s(3, 4), 11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34);
      check(col.sub(row), s(3, 4), 9, 8, 7, 6, 19, 18, 17, 16, 29, 28, 27, 26);
      check(row.mul(col), s(3, 4), 10, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120);
    }

    @Test
    void scalarsAndOneElementTensors() {
      Tensor x = Tensor.of(1, 2, 3);
      check(x.mul(Tensor.of(2)), s(3), 2, 4, 6);
      check(Tensor.of(2).mul(x), s(3), 2, 4, 6);
      check(Tensor.of(6).div(x), s(3), 6, 3, 2);
      check(Tensor.of(6).sub(x), s(3), 5, 4, 3);
      check(x.sub(Tensor.of(new double[][] {{1}})), s(1, 3), 0, 1, 2);
      check(x.add(Tensor.of(new double[][][] {{{1}}})), s(1, 1, 3), 2, 3, 4);
      check(x.maximum(Tensor.of(2)), s(3), 2, 2, 3);
      check(x.eq(Tensor.of(2)), s(3), 0, 1, 0);
    }

    @Test
    void higherRankAgainstHandLoop() {
      Tensor a = iota(2, 1, 3);
      Tensor b = iota(4, 1).mul(Tensor.of(10, F64));
      Tensor r = a.add(b);
      assertArrayEquals(new int[] {2, 4, 3}, r.shape());
      double[] v = r.toDoubleArray();
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 4; j++) {
          for (int k = 0; k < 3; k++) {
            assertEquals((i * 3 + k) + 10 * j, v[(i * 4 + j) * 3 + k]);
          }
        }
      }
    }

    @Test
    void incompatibleShapesNameOpAndShapes() {
      String m = message(() -> Tensor.ones(F32, 3, 2).add(Tensor.ones(F32, 4)));
      assertTrue(m.startsWith("add: shapes [3, 2] and [4] do not broadcast"), m);
      assertThrows(IllegalArgumentException.class, () -> Tensor.ones(F32, 2).gt(Tensor.ones(F32, 3)));
    }

    @Test
    void broadcastTo() {
      check(Tensor.of(1, 2).broadcastTo(3, 2), s(3, 2), 1, 2, 1, 2, 1, 2);
      check(Tensor.of(new double[][] {{1}, {2}}).broadcastTo(2, 2, 3), s(2, 2, 3), 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2);
      check(Tensor.of(5).broadcastTo(2), s(2), 5, 5);
      check(iota(3, 1, 1).broadcastTo(3, 2, 2), s(3, 2, 2), 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
      check(iota(1, 2, 1).broadcastTo(2, 2, 2), s(2, 2, 2), 0, 0, 1, 1, 0, 0, 1, 1);
      Tensor t = Tensor.of(1, 2);
      assertSame(t, t.broadcastTo(2));
      String m = message(() -> Tensor.of(1, 2, 3).broadcastTo(2, 2));
      assertTrue(m.contains("[3]") && m.contains("[2, 2]"), m);
      assertThrows(IllegalArgumentException.class, () -> Tensor.ones(F32, 2, 2).broadcastTo(2));
    }

    @Test
    void whereBroadcastsAllThree() {
      Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}});
      check(x.where(Tensor.of(1, 0), Tensor.of(-1)), s(2, 2), 1, -1, 3, -1);
      check(x.where(Tensor.of(new double[][] {{0}, {1}}), Tensor.of(9, 8)), s(2, 2), 9, 8, 3, 4);
      Tensor mask64 = Tensor.of(new double[] {0, 2}, F64, 2); // the mask's dtype is free
      check(Tensor.of(1, 2).where(mask64, Tensor.of(0, 0)), s(2), 0, 2);
      check(Tensor.of(5).where(Tensor.of(1), Tensor.of(6)), s(), 5);
      check(Tensor.of(5, 5).where(Tensor.of(Double.NaN, 0), Tensor.of(6, 6)), s(2), 5, 6);
    }
  }

  @Nested
  class Reductions {
    final Tensor x = iota(2, 3, 4);

    @Test
    void sumAll() {
      check(x.sum(), s(), 276);
      check(Tensor.of(3).sum(), s(), 3);
      check(Tensor.of(1, 2).sum(), s(), 3);
      check(x.mean(), s(), 11.5);
      check(x.max(), s(), 23);
    }

    @Test
    void sumOverAxesAgainstHandLoop() {
      Tensor r = x.sum(new int[] {1}, false);
      assertArrayEquals(new int[] {2, 4}, r.shape());
      double[] v = r.toDoubleArray();
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 4; k++) {
          double sum = 0;
          for (int j = 0; j < 3; j++) {
            sum += i * 12 + j * 4 + k;
          }
          assertEquals(sum, v[i * 4 + k]);
        }
      }
      check(x.sum(new int[] {0, 2}, false), s(3), 60, 92, 124);
      check(x.sum(new int[] {0, 1, 2}, false), s(), 276);
      check(x.sum(new int[] {0, 1, 2}, true), s(1, 1, 1), 276);
    }

    @Test
    void keepDimsAndNegativeAxes() {
      check(x.sum(new int[] {-1}, true), s(2, 3, 1), 6, 22, 38, 54, 70, 86);
      check(x.mean(new int[] {-1, 0}, false), s(3), 7.5, 11.5, 15.5);
      check(x.max(new int[] {1}, true), s(2, 1, 4), 8, 9, 10, 11, 20, 21, 22, 23);
      check(x.max(new int[] {-3}, false), s(3, 4), 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
      check(Tensor.of(1, 5, 3).max(new int[] {0}, false), s(), 5);
      assertSame(x, x.sum(new int[0], false));
    }

    @Test
    void badAxes() {
      assertTrue(message(() -> x.sum(new int[] {3}, false)).contains("axis 3"));
      assertTrue(message(() -> x.sum(new int[] {-4}, false)).contains("axis -4"));
      assertTrue(message(() -> x.mean(new int[] {1, -2}, false)).contains("repeated"));
    }

    @Test
    void argmax() {
      Tensor m = Tensor.of(new double[][] {{1, 9, 3}, {7, 2, 7}});
      check(m.argmax(1), s(2), 1, 0); // first of ties
      check(m.argmax(0), s(3), 1, 0, 1);
      check(m.argmax(-1), s(2), 1, 0);
      check(Tensor.of(3, 1, 4).argmax(0), s(), 2);
      assertEquals(F32, m.argmax(0).dtype());
      assertEquals(F64, iota(2, 2).argmax(0).dtype());
      assertThrows(IllegalArgumentException.class, () -> Tensor.of(1).argmax(0));
    }
  }

  @Nested
  class Shapes {
    @Test
    void reshape() {
      Tensor x = iota(2, 3);
      check(x.reshape(3, 2), s(3, 2), 0, 1, 2, 3, 4, 5);
      check(x.reshape(-1), s(6), 0, 1, 2, 3, 4, 5);
      check(x.reshape(1, -1, 2), s(1, 3, 2), 0, 1, 2, 3, 4, 5);
      check(Tensor.of(7).reshape(1, 1), s(1, 1), 7);
      check(Tensor.of(new double[][] {{7}}).reshape(), s(), 7);
      assertSame(x, x.reshape(2, 3));
      assertTrue(message(() -> x.reshape(4, -1)).contains("[2, 3]"));
      assertTrue(message(() -> x.reshape(-1, -1)).contains("only one"));
      assertTrue(message(() -> x.reshape(7)).contains("6 elements"));
    }

    @Test
    void permuteAndTranspose() {
      Tensor x = iota(2, 3, 4);
      Tensor p = x.permute(2, 0, 1);
      assertArrayEquals(new int[] {4, 2, 3}, p.shape());
      double[] v = p.toDoubleArray();
      for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            assertEquals(i * 12 + j * 4 + k, v[(k * 2 + i) * 3 + j]);
          }
        }
      }
      check(x.permute(-1, 0, 1), s(4, 2, 3), v);
      check(iota(2, 3).transpose(), s(3, 2), 0, 3, 1, 4, 2, 5);
      Tensor t = x.transpose();
      assertArrayEquals(new int[] {2, 4, 3}, t.shape());
      assertEquals(1 * 12 + 2 * 4 + 3, t.toDoubleArray()[(1 * 4 + 3) * 3 + 2]);
      Tensor vec = Tensor.of(1, 2);
      assertSame(vec, vec.transpose());
      assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1));
      assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1, 1));
    }

    @Test
    void slice() {
      Tensor x = iota(3, 4);
      check(x.slice(1, 1, 3), s(3, 2), 1, 2, 5, 6, 9, 10);
      check(x.slice(0, 2, 3), s(1, 4), 8, 9, 10, 11);
      check(x.slice(-1, 0, 1), s(3, 1), 0, 4, 8);
      check(x.slice(0, 1, 1), s(0, 4));
      assertSame(x, x.slice(0, 0, 3));
      assertTrue(message(() -> x.slice(1, 2, 5)).contains("end=5"));
      assertThrows(IllegalArgumentException.class, () -> x.slice(2, 0, 1));
    }

    @Test
    void concat() {
      Tensor a = iota(2, 2);
      Tensor b = iota(1, 2).add(Tensor.of(10, F64));
      check(a.concat(b, 0), s(3, 2), 0, 1, 2, 3, 10, 11);
      check(a.concat(iota(2, 1), -1), s(2, 3), 0, 1, 0, 2, 3, 1);
      check(Tensor.of(1, 2).concat(Tensor.of(new double[] {3}), 0), s(3), 1, 2, 3);
      String m = message(() -> a.concat(b, 1));
      assertTrue(m.contains("[2, 2]") && m.contains("[1, 2]"), m);
      assertThrows(IllegalArgumentException.class, () -> Tensor.of(1).concat(Tensor.of(2), 0));
    }
  }

  @Nested
  class Matmul {
    /** numpy matmul by hand loops for [B..., m, k] x [B..., k, n] with equal batch axes. */
    double[] handMatmul(double[] a, double[] b, int batch, int m, int k, int n, boolean bShared) {
      double[] out = new double[batch * m * n];
      for (int p = 0; p < batch; p++) {
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int q = 0; q < k; q++) {
              sum += a[(p * m + i) * k + q] * b[((bShared ? 0 : p) * k + q) * n + j];
            }
            out[(p * m + i) * n + j] = sum;
          }
        }
      }
      return out;
    }

    @Test
    void matrixTimesMatrix() {
      Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
      Tensor b = Tensor.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});
      check(a.matmul(b), s(2, 2), 4, 5, 10, 11);
      assertEquals(F32, a.matmul(b).dtype());
    }

    @Test
    void vectorCases() {
      Tensor v = Tensor.of(1, 2, 3);
      check(v.matmul(Tensor.of(4, 5, 6)), s(), 32); // dot
      Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
      check(v.matmul(m), s(2), 22, 28); // [3] x [3,2]
      check(m.transpose().matmul(v), s(2), 22, 28); // [2,3] x [3]
      Tensor batch = iota(4, 2, 3);
      Tensor r = batch.matmul(v.to(F64)); // [4,2,3] x [3] -> [4,2]
      check(r, s(4, 2), handMatmul(batch.toDoubleArray(), new double[] {1, 2, 3}, 4, 2, 3, 1, true));
      Tensor left = Tensor.of(new double[] {1, -1}, F64, 2).matmul(iota(5, 2, 3)); // [2] x [5,2,3] -> [5,3]
      double[] expect = new double[15];
      for (int p = 0; p < 5; p++) {
        for (int j = 0; j < 3; j++) {
          expect[p * 3 + j] = (p * 6 + j) - (p * 6 + 3 + j);
        }
      }
      check(left, s(5, 3), expect);
    }

    @Test
    void batchedWithSharedRightOperand() {
      Tensor a = iota(5, 2, 3);
      Tensor b = iota(3, 4).sub(Tensor.of(5, F64));
      check(a.matmul(b), s(5, 2, 4), handMatmul(a.toDoubleArray(), b.toDoubleArray(), 5, 2, 3, 4, true));
    }

    @Test
    void batchedWithEqualBatches() {
      Tensor a = iota(3, 2, 4);
      Tensor b = iota(3, 4, 5).mul(0.5);
      check(a.matmul(b), s(3, 2, 5), handMatmul(a.toDoubleArray(), b.toDoubleArray(), 3, 2, 4, 5, false));
    }

    @Test
    void batchAxesBroadcast() {
      // [2,1,3,4] x [5,4,6] -> [2,5,3,6]
      Tensor a = iota(2, 1, 3, 4);
      Tensor b = iota(5, 4, 6).mul(0.1);
      Tensor r = a.matmul(b);
      assertArrayEquals(new int[] {2, 5, 3, 6}, r.shape());
      double[] av = a.toDoubleArray();
      double[] bv = b.toDoubleArray();
      double[] rv = r.toDoubleArray();
      for (int p = 0; p < 2; p++) {
        for (int q = 0; q < 5; q++) {
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 6; j++) {
              double sum = 0;
              for (int k = 0; k < 4; k++) {
                sum += av[(p * 3 + i) * 4 + k] * bv[(q * 4 + k) * 6 + j];
              }
              assertEquals(sum, rv[((p * 5 + q) * 3 + i) * 6 + j], 1e-9);
            }
          }
        }
      }
      // matrix on the left of a batch: [2,3] x [4,3,2] -> [4,2,2]
      Tensor m = iota(2, 3);
      Tensor bb = iota(4, 3, 2);
      double[] expect = new double[16];
      for (int p = 0; p < 4; p++) {
        double[] one = handMatmul(m.toDoubleArray(), bb.slice(0, p, p + 1).toDoubleArray(), 1, 2, 3, 2, true);
        System.arraycopy(one, 0, expect, p * 4, 4);
      }
      check(m.matmul(bb), s(4, 2, 2), expect);
    }

    @Test
    void float32Batched() {
      Tensor a = Tensor.ones(F32, 2, 3, 4);
      Tensor b = Tensor.ones(F32, 2, 4, 5);
      check(a.matmul(b), s(2, 3, 5), java.util.stream.DoubleStream.generate(() -> 4).limit(30).toArray());
    }

    @Test
    void errorsNameBothShapes() {
      String m = message(() -> Tensor.ones(F32, 2, 3).matmul(Tensor.ones(F32, 4, 2)));
      assertEquals("matmul: inner dimensions differ: [2, 3] @ [4, 2] (3 vs 4)", m);
      String b = message(() -> Tensor.ones(F32, 2, 2, 3).matmul(Tensor.ones(F32, 3, 3, 4)));
      assertTrue(b.contains("[2, 2, 3]") && b.contains("[3, 3, 4]"), b);
      assertTrue(message(() -> Tensor.of(2).matmul(Tensor.of(1, 2))).contains("rank >= 1"));
    }
  }

  @Test
  void slopesOfTanhAndSigmoidEqualTheirOpByOpForms() {
    Tensor y = Tensor.of(new double[] {0.5, -0.25, 1}, F32, 3);
    Tensor g = Tensor.of(new double[] {2, -1, 0.5, 4, 8, -2}, F32, 2, 3); // a batch axis: broadcasts
    check(g.mulTanhSlope(y), s(2, 3), 1.5, -0.9375, 0, 3, 7.5, 0);
    check(g.mulSigmoidSlope(y), s(2, 3), 0.5, 0.3125, 0, 1, -2.5, 0);
    Tensor same = Tensor.of(new double[] {1, 2, 3}, F32, 3);
    assertArrayEquals(same.mul(y.mul(y).rsub(1)).toDoubleArray(), same.mulTanhSlope(y).toDoubleArray(), 0);
    assertArrayEquals(same.mul(y.mul(y.rsub(1))).toDoubleArray(), same.mulSigmoidSlope(y).toDoubleArray(), 0);
    check(Tensor.zeros(F32, 0, 3).mulTanhSlope(y), s(0, 3));
    assertTrue(message(() -> g.mulTanhSlope(Tensor.of(new double[] {1, 2, 3}, F64, 3)))
        .contains("mulTanhSlope"));
    assertTrue(message(() -> g.mulSigmoidSlope(Tensor.ones(F32, 2))).contains("[2]"));
  }

  @Test
  void operationsDoNotChangeTheirOperands() {
    Tensor a = Tensor.of(1, 2, 3);
    Tensor b = Tensor.of(1, 1, 1);
    a.add(b);
    a.reshape(3, 1).broadcastTo(3, 3);
    a.exp();
    a.slice(0, 0, 2);
    a.stopGradient();
    check(a, s(3), 1, 2, 3);
    check(b, s(3), 1, 1, 1);
  }

  @Nested
  class EmptyAndHighRank {
    @Test
    void reductionsOfNothingFollowNumpy() {
      Tensor e = Tensor.zeros(F32, 0, 3);
      check(e.sum(new int[] {0}, false), s(3), 0, 0, 0);
      check(e.mean(new int[] {0}, true), s(1, 3), Double.NaN, Double.NaN, Double.NaN);
      check(e.sum(), s(), 0);
      assertTrue(Double.isNaN(e.mean().item()));
      check(e.sum(new int[] {1}, false), s(0));
      check(e.max(new int[] {1}, false), s(0));
      assertTrue(message(() -> e.max()).contains("empty axis 0"));
      check(e.matmul(Tensor.ones(F32, 3, 2)), s(0, 2));
      check(Tensor.zeros(F32, 2, 0).matmul(Tensor.zeros(F32, 0, 2)), s(2, 2), 0, 0, 0, 0);
      check(e.tanh().add(1), s(0, 3));
    }

    @Test
    void rank64ShapesWork() {
      int[] shape = new int[64];
      java.util.Arrays.fill(shape, 1);
      shape[0] = 2;
      shape[63] = 3;
      Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, F32, shape);
      Tensor y = x.add(Tensor.of(10, 20, 30)).mul(2); // broadcasting a rank-1 tensor to rank 64
      assertEquals(64, y.rank());
      check(y.sum(new int[] {0}, false).reshape(3), s(3), 2 * (1 + 4 + 20), 2 * (2 + 5 + 40), 2 * (3 + 6 + 60));
      int[] reversed = new int[64];
      for (int i = 0; i < 64; i++) {
        reversed[i] = 63 - i;
      }
      Tensor t = x.permute(reversed);
      assertEquals(3, t.shape(0));
      check(t.reshape(3, 2), s(3, 2), 1, 4, 2, 5, 3, 6);
      Tensor m = x.matmul(Tensor.ones(F32, 3, 2)); // batched over 62 axes
      assertEquals(64, m.rank());
      check(m.reshape(4), s(4), 6, 6, 15, 15);
      int[] tooMany = new int[65];
      java.util.Arrays.fill(tooMany, 1);
      assertTrue(message(() -> Tensor.zeros(F32, tooMany)).contains("at most 64"), message(() -> Tensor.zeros(F32, tooMany)));
    }
  }
}
