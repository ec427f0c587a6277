package zkynet.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.Dataset;

/**
 * The IDX format of MNIST-style files: a big-endian magic number {@code 00 00 TT RR} (TT the element
 * type: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double; RR the
 * rank), RR big-endian int32 dimensions, then the elements in row-major order, big-endian. Any rank
 * is read; gzip-compressed files (as MNIST is distributed) are unpacked on the fly.
 *
 * <pre>
 *   Dataset train = Idx.dataset(dir.resolve("train-images-idx3-ubyte.gz"),
 *       dir.resolve("train-labels-idx1-ubyte.gz"), 1 / 255.0);   // [60000, 28, 28] in [0, 1]
 * </pre>
 *
 * Malformed files are {@link DataFormatException}s naming the file and what is wrong (bad magic,
 * truncated header or data, bytes after the data, images and labels of different counts).
 */
public final class Idx {
  private Idx() {}

  /** The element types of IDX, by their code in the magic number. */
  private enum Type {
    UBYTE(0x08, 1), BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

    final int code;
    final int bytes;

    Type(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }

    static Type of(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }

    boolean integral() {
      return this != FLOAT && this != DOUBLE;
    }
  }

  /** A decoded file: its element type, shape and the data block (positioned at the first element). */
  private record Contents(String source, Type type, int[] shape, long count, ByteBuffer data) {
    double get(long i) {
      int at = Math.toIntExact(i * type.bytes);
      return switch (type) {
        case UBYTE -> data.get(at) & 0xFF;
        case BYTE -> data.get(at);
        case SHORT -> data.getShort(at);
        case INT -> data.getInt(at);
        case FLOAT -> data.getFloat(at);
        case DOUBLE -> data.getDouble(at);
      };
    }
  }

  /** The array in {@code file} as a tensor of {@code dtype}, any rank and element type. */
  public static Tensor read(Path file, DType dtype) throws IOException {
    Contents c = open(file);
    if (dtype == DType.FLOAT32) {
      return Tensor.of(floats(c, 1)).reshape(c.shape);
    }
    double[] d = new double[Math.toIntExact(c.count)];
    for (int i = 0; i < d.length; i++) {
      d[i] = c.get(i);
    }
    return Tensor.of(d, dtype, c.shape);
  }

  /** The class labels in {@code file}: a rank-1 array of a non-negative integer type. */
  public static int[] readLabels(Path file) throws IOException {
    return labels(open(file));
  }

  /**
   * A classification dataset of the images in {@code images} ({@code [N, ...]}, any element type,
   * multiplied by {@code scale} as float32, e.g. {@code 1 / 255.0} for bytes) and the labels in
   * {@code labels} ({@code [N]}).
   */
  public static Dataset dataset(Path images, Path labels, double scale) throws IOException {
    Contents x = open(images);
    if (x.shape.length == 0) {
      throw new DataFormatException(images + ": images need a leading axis, got a rank-0 array");
    }
    int[] y = labels(open(labels));
    if (x.shape[0] != y.length) {
      throw new DataFormatException(images + " holds " + x.shape[0] + " images but " + labels + " holds "
          + y.length + " labels");
    }
    return Dataset.ofFloats(floats(x, scale), x.shape, y);
  }

  private static int[] labels(Contents c) throws DataFormatException {
    if (!c.type.integral() || c.shape.length != 1) {
      throw new DataFormatException(c.source + ": labels must be a rank-1 array of integers, got "
          + c.type.name().toLowerCase() + " " + Arrays.toString(c.shape));
    }
    int[] out = new int[c.shape[0]];
    for (int i = 0; i < out.length; i++) {
      double v = c.get(i);
      if (v < 0) {
        throw new DataFormatException(c.source + ": label " + i + " is negative (" + (long) v + ")");
      }
      out[i] = (int) v;
    }
    return out;
  }

  private static float[] floats(Contents c, double scale) {
    float[] f = new float[Math.toIntExact(c.count)];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (c.get(i) * scale);
    }
    return f;
  }

  /** Reads and checks the whole file. */
  private static Contents open(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new DataFormatException(file + ": a damaged gzip stream: " + e.getMessage());
      }
    }
    return parse(file.toString(), bytes);
  }

  private static Contents parse(String source, byte[] bytes) throws DataFormatException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < 4) {
      throw new DataFormatException(source + ": not an IDX file: " + bytes.length
          + " bytes, fewer than the 4 of the magic number");
    }
    int magic = b.getInt(0);
    Type type = Type.of(bytes[2] & 0xFF);
    if (bytes[0] != 0 || bytes[1] != 0 || type == null) {
      throw new DataFormatException(source + ": not an IDX file: bad magic number "
          + String.format("0x%08X", magic) + " (expected 00 00, a type code 08 ubyte, 09 byte, "
          + "0B short, 0C int, 0D float or 0E double, then the rank)");
    }
    int rank = bytes[3] & 0xFF;
    int headerBytes = 4 + 4 * rank;
    if (bytes.length < headerBytes) {
      throw new DataFormatException(source + ": truncated header: rank " + rank + " needs "
          + headerBytes + " bytes, the file has " + bytes.length);
    }
    int[] shape = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = b.getInt(4 + 4 * i);
      if (shape[i] < 0) {
        throw new DataFormatException(source + ": dimension " + i + " is negative ("
            + Integer.toUnsignedString(shape[i]) + " read as unsigned)");
      }
      count *= shape[i];
      if (count > Integer.MAX_VALUE) {
        throw new DataFormatException(source + ": shape " + Arrays.toString(shape)
            + " holds more than 2^31 - 1 elements");
      }
    }
    long dataBytes = count * type.bytes;
    long found = bytes.length - (long) headerBytes;
    String declared = type.name().toLowerCase() + " " + Arrays.toString(shape) + " (" + dataBytes
        + " bytes of data)";
    if (found < dataBytes) {
      throw new DataFormatException(source + ": truncated data: the header declares " + declared
          + ", only " + found + " bytes follow it");
    }
    if (found > dataBytes) {
      throw new DataFormatException(source + ": size mismatch: the header declares " + declared
          + ", but " + found + " bytes follow it");
    }
    ByteBuffer data = b.slice(headerBytes, Math.toIntExact(dataBytes)).order(ByteOrder.BIG_ENDIAN);
    return new Contents(source, type, shape, count, data);
  }
}
