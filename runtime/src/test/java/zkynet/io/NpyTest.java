package zkynet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/** The .npy format against bytes written by numpy 2.4 ({@code numpy.save}). */
class NpyTest {
  /** numpy.save(f, np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5). */
  static final String NUMPY_F32_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAPwAAgD8AAMA/AAAAQAAAIEA=";
  /** numpy.save(f, np.float64(2.5)): a rank-0 array, shape (). */
  static final String NUMPY_F64_SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAEQA==";
  /** numpy.save(f, np.array([1.5, -2.0], dtype=np.float32)): shape (2,). */
  static final String NUMPY_F32_VECTOR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwA==";

  private static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }

  @Test
  void writesExactlyWhatNumpyWrites() {
    Tensor t = Tensor.of(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, DType.FLOAT32, 2, 3);
    assertArrayEquals(b64(NUMPY_F32_2X3), Npy.encode(t));
    assertArrayEquals(b64(NUMPY_F64_SCALAR), Npy.encode(Tensor.of(2.5, DType.FLOAT64)));
    assertArrayEquals(b64(NUMPY_F32_VECTOR), Npy.encode(Tensor.of(1.5, -2.0)));
  }

  @Test
  void readsWhatNumpyWrites() throws Exception {
    Tensor t = Npy.decode(b64(NUMPY_F32_2X3));
    assertEquals(DType.FLOAT32, t.dtype());
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, t.toDoubleArray(), 0);
    Tensor s = Npy.decode(b64(NUMPY_F64_SCALAR));
    assertEquals(0, s.rank());
    assertEquals(DType.FLOAT64, s.dtype());
    assertEquals(2.5, s.item(), 0);
    assertArrayEquals(new double[] {1.5, -2.0}, Npy.decode(b64(NUMPY_F32_VECTOR)).toDoubleArray(), 0);
  }

  @Test
  void headerIsPaddedTo64BytesAndEndsInANewline() {
    for (int[] shape : new int[][] {{}, {7}, {3, 4}, {2, 3, 4, 5, 6, 7, 8}}) {
      byte[] b = Npy.encode(Tensor.zeros(DType.FLOAT64, shape));
      int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
      assertEquals(0, (10 + headerLen) % 64, Arrays.toString(shape));
      assertEquals('\n', b[10 + headerLen - 1]);
      assertEquals(10 + headerLen + 8 * Arrays.stream(shape).reduce(1, (x, y) -> x * y), b.length);
    }
  }

  @Test
  void roundTripsFloat64AndFloat32() throws Exception {
    Tensor a = Tensor.of(new double[] {Math.PI, -1e-300, 1e300, 0, Double.NaN, Double.NEGATIVE_INFINITY},
        DType.FLOAT64, 3, 2);
    Tensor b = Npy.decode(Npy.encode(a));
    assertEquals(DType.FLOAT64, b.dtype());
    assertArrayEquals(a.shape(), b.shape());
    assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
    Tensor c = Tensor.of(new double[] {0.1, -3.25}, DType.FLOAT32, 2, 1);
    assertArrayEquals(c.toDoubleArray(), Npy.decode(Npy.encode(c)).toDoubleArray(), 0);
  }

  @Test
  void readsFortranOrderBigEndianAndVersion2() throws Exception {
    // [[1, 2, 3], [4, 5, 6]] stored column-major as big-endian float64, format version 2.0.
    String dict = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }";
    byte[] header = (dict + " ".repeat(64 - 12 - dict.length() - 1 + 64) + "\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(12 + header.length + 48);
    buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
    buf.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(header.length);
    buf.put(header);
    buf.order(java.nio.ByteOrder.BIG_ENDIAN);
    for (double d : new double[] {1, 4, 2, 5, 3, 6}) {
      buf.putDouble(d);
    }
    Tensor t = Npy.decode(buf.array());
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray(), 0);
  }

  @Test
  void malformedInputIsAFormatErrorSayingWhy() {
    byte[] good = b64(NUMPY_F32_2X3);
    assertMessage(new byte[] {1, 2, 3}, "magic");
    assertMessage(Arrays.copyOf(good, good.length - 3), "truncated");
    assertMessage(Arrays.copyOf(good, 40), "truncated .npy header");
    byte[] extra = Arrays.copyOf(good, good.length + 4);
    assertMessage(extra, "the data is 28 bytes");
    byte[] int64 = new String(good, StandardCharsets.ISO_8859_1).replace("<f4", "<i8")
        .getBytes(StandardCharsets.ISO_8859_1);
    Npy.FormatException e = assertThrows(Npy.UnsupportedDtypeException.class, () -> Npy.decode(int64));
    assertTrue(e.getMessage().contains("int64 ('<i8')"), e.getMessage());
    byte[] broken = new String(good, StandardCharsets.ISO_8859_1).replace("'shape': (2, 3)", "'shape': [2; 3]")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertMessage(broken, "malformed .npy header");
  }

  private static void assertMessage(byte[] bytes, String part) {
    Npy.FormatException e = assertThrows(Npy.FormatException.class, () -> Npy.decode(bytes));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
