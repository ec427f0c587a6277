package zkynet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.Dataset;

/** IDX files the tests write byte by byte: every element type, any rank, gzip, and broken files. */
class IdxTest {
  @TempDir Path dir;

  /** An IDX file of {@code type} (its magic code) and {@code shape} holding {@code values}. */
  private static byte[] idx(int type, int[] shape, double... values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes); // big-endian, as IDX wants
    out.writeInt((type << 8) | shape.length);
    for (int d : shape) {
      out.writeInt(d);
    }
    for (double v : values) {
      switch (type) {
        case 0x08, 0x09 -> out.writeByte((int) v);
        case 0x0B -> out.writeShort((int) v);
        case 0x0C -> out.writeInt((int) v);
        case 0x0D -> out.writeFloat((float) v);
        case 0x0E -> out.writeDouble(v);
        default -> throw new IllegalArgumentException("type " + type);
      }
    }
    return bytes.toByteArray();
  }

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void everyElementTypeBigEndianAnyRank() throws IOException {
    assertArrayEquals(new double[] {0, 128, 255, 7},
        Idx.read(file("u", idx(0x08, new int[] {2, 2}, 0, 128, 255, 7)), DType.FLOAT32).toDoubleArray(), 0,
        "unsigned bytes");
    assertArrayEquals(new double[] {-128, -1, 127},
        Idx.read(file("b", idx(0x09, new int[] {3}, -128, -1, 127)), DType.FLOAT32).toDoubleArray(), 0);
    assertArrayEquals(new double[] {-32768, 258, 32767},
        Idx.read(file("s", idx(0x0B, new int[] {3}, -32768, 258, 32767)), DType.FLOAT64).toDoubleArray(), 0);
    assertArrayEquals(new double[] {-70000, 16909060},
        Idx.read(file("i", idx(0x0C, new int[] {2}, -70000, 0x01020304)), DType.FLOAT64).toDoubleArray(), 0);
    assertArrayEquals(new double[] {1.5f, -0.1f},
        Idx.read(file("f", idx(0x0D, new int[] {2}, 1.5, -0.1)), DType.FLOAT32).toDoubleArray(), 0);
    Tensor d = Idx.read(file("d", idx(0x0E, new int[] {1, 2, 1, 1}, 0.1, 1e300)), DType.FLOAT64);
    assertArrayEquals(new int[] {1, 2, 1, 1}, d.shape());
    assertArrayEquals(new double[] {0.1, 1e300}, d.toDoubleArray(), 0);
    Tensor scalar = Idx.read(file("r0", idx(0x0E, new int[0], 2.5)), DType.FLOAT32);
    assertEquals(0, scalar.rank());
    assertEquals(2.5, scalar.item());
    assertArrayEquals(new int[] {0, 3}, Idx.read(file("e", idx(0x08, new int[] {0, 3})), DType.FLOAT32).shape());
  }

  @Test
  void imagesAndLabelsMakeADatasetAlsoFromGzip() throws IOException {
    double[] pixels = new double[3 * 2 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i * 20;
    }
    Path images = file("imgs.gz", gzip(idx(0x08, new int[] {3, 2, 2}, pixels)));
    Path labels = file("labels", idx(0x08, new int[] {3}, 7, 0, 9));
    Dataset data = Idx.dataset(images, labels, 1 / 255.0);
    assertEquals(3, data.size());
    assertArrayEquals(new int[] {2, 2}, data.rowShape());
    assertArrayEquals(new int[] {7, 0, 9}, data.labels());
    assertEquals(DType.FLOAT32, data.dtype());
    double[] row2 = data.batch(new int[] {2}).x().toDoubleArray();
    assertArrayEquals(new double[] {(float) (160 / 255.0), (float) (180 / 255.0), (float) (200 / 255.0),
        (float) (220 / 255.0)}, row2, 0);
    assertArrayEquals(new int[] {7, 0, 9}, Idx.readLabels(labels));
  }

  private static String error(Path f) {
    return assertThrows(DataFormatException.class, () -> Idx.read(f, DType.FLOAT32)).getMessage();
  }

  @Test
  void brokenFilesNameTheFileAndTheFault() throws IOException {
    byte[] good = idx(0x08, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Path f = file("short", Arrays.copyOf(good, 3));
    assertEquals(f + ": not an IDX file: 3 bytes, fewer than the 4 of the magic number", error(f));
    byte[] png = good.clone();
    png[0] = (byte) 0x89;
    f = file("magic", png);
    assertEquals(f + ": not an IDX file: bad magic number 0x89000802 (expected 00 00, a type code 08 "
        + "ubyte, 09 byte, 0B short, 0C int, 0D float or 0E double, then the rank)", error(f));
    byte[] type = good.clone();
    type[2] = 0x0A;
    assertEquals(f + ": not an IDX file: bad magic number 0x00000A02 (expected 00 00, a type code 08 "
        + "ubyte, 09 byte, 0B short, 0C int, 0D float or 0E double, then the rank)", error(file("magic", type)));
    f = file("header", Arrays.copyOf(good, 10));
    assertEquals(f + ": truncated header: rank 2 needs 12 bytes, the file has 10", error(f));
    f = file("data", Arrays.copyOf(good, good.length - 1));
    assertEquals(f + ": truncated data: the header declares ubyte [2, 3] (6 bytes of data), only 5 bytes "
        + "follow it", error(f));
    f = file("long", Arrays.copyOf(good, good.length + 2));
    assertEquals(f + ": size mismatch: the header declares ubyte [2, 3] (6 bytes of data), but 8 bytes "
        + "follow it", error(f));
    f = file("neg", idx(0x08, new int[] {-1}));
    assertEquals(f + ": dimension 0 is negative (4294967295 read as unsigned)", error(f));
    f = file("huge", idx(0x0E, new int[] {65536, 65536}));
    assertEquals(f + ": shape [65536, 65536] holds more than 2^31 - 1 elements", error(f));
    f = file("gz", Arrays.copyOf(gzip(good), 12));
    String m = error(f);
    assertEquals(true, m.startsWith(f + ": a damaged gzip stream: "), m);
  }

  @Test
  void labelAndCountMismatches() throws IOException {
    Path images = file("img", idx(0x08, new int[] {3, 2}, 1, 2, 3, 4, 5, 6));
    Path two = file("two", idx(0x08, new int[] {2}, 1, 2));
    String m = assertThrows(DataFormatException.class, () -> Idx.dataset(images, two, 1)).getMessage();
    assertEquals(images + " holds 3 images but " + two + " holds 2 labels", m);
    Path floats = file("fl", idx(0x0D, new int[] {3}, 1, 2, 3));
    m = assertThrows(DataFormatException.class, () -> Idx.readLabels(floats)).getMessage();
    assertEquals(floats + ": labels must be a rank-1 array of integers, got float [3]", m);
    Path negative = file("neg", idx(0x09, new int[] {2}, 1, -3));
    m = assertThrows(DataFormatException.class, () -> Idx.readLabels(negative)).getMessage();
    assertEquals(negative + ": label 1 is negative (-3)", m);
    Path scalar = file("scalar", idx(0x08, new int[0], 1));
    m = assertThrows(DataFormatException.class, () -> Idx.dataset(scalar, two, 1)).getMessage();
    assertEquals(scalar + ": images need a leading axis, got a rank-0 array", m);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
