package zkynet.examples.digits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.Dataset;

/**
 * The UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin, C. Kaynak, 1998; CC BY
 * 4.0), bundled as classpath resources under {@code /optdigits/}: 3,823 training and 1,797 test
 * rows. Each line is 65 comma-separated integers: the 64 pixel counts of an 8x8 grid (row-major,
 * each 0..16), then the digit 0..9. Features are scaled to [0, 1] by dividing by 16.
 */
public final class OptDigits {
  public static final int FEATURES = 64;
  public static final int CLASSES = 10;
  public static final int MAX_PIXEL = 16;
  public static final String TRAIN_RESOURCE = "/optdigits/optdigits.tra";
  public static final String TEST_RESOURCE = "/optdigits/optdigits.tes";

  private OptDigits() {}

  /** The 3,823 training rows. */
  public static Dataset train(DType dtype) {
    return resource(TRAIN_RESOURCE, dtype);
  }

  /** The 1,797 held-out test rows. */
  public static Dataset test(DType dtype) {
    return resource(TEST_RESOURCE, dtype);
  }

  /** Parses a classpath resource. */
  public static Dataset resource(String name, DType dtype) {
    InputStream in = OptDigits.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("optdigits resource " + name + " is not on the classpath");
    }
    try (Reader r = new InputStreamReader(in, StandardCharsets.US_ASCII)) {
      return parse(r, name, dtype);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /**
   * Parses optdigits CSV text. Blank lines are skipped; anything else that is not 65 integers in
   * range (pixels 0..16, label 0..9) is an {@link IllegalArgumentException} naming the source, the
   * line and the column.
   */
  public static Dataset parse(Reader reader, String source, DType dtype) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    double[] x = new double[FEATURES * 4096];
    int[] y = new int[4096];
    int rows = 0;
    int lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != FEATURES + 1) {
        throw error(source, lineNo, "expected " + (FEATURES + 1) + " comma-separated values (64 "
            + "pixels and a label), found " + cells.length);
      }
      if (rows == y.length) {
        y = Arrays.copyOf(y, rows * 2);
        x = Arrays.copyOf(x, rows * 2 * FEATURES);
      }
      for (int c = 0; c <= FEATURES; c++) {
        String cell = cells[c].trim();
        int v;
        try {
          v = Integer.parseInt(cell);
        } catch (NumberFormatException e) {
          throw error(source, lineNo, "column " + (c + 1) + ": '" + cell + "' is not an integer");
        }
        if (c < FEATURES) {
          if (v < 0 || v > MAX_PIXEL) {
            throw error(source, lineNo, "column " + (c + 1) + ": pixel count " + v
                + " is outside 0.." + MAX_PIXEL);
          }
          x[rows * FEATURES + c] = v / (double) MAX_PIXEL;
        } else {
          if (v < 0 || v >= CLASSES) {
            throw error(source, lineNo, "column " + (c + 1) + ": label " + v + " is outside 0.."
                + (CLASSES - 1));
          }
          y[rows] = v;
        }
      }
      rows++;
    }
    if (rows == 0) {
      throw new IllegalArgumentException(source + ": no data rows");
    }
    return new Dataset(Tensor.of(Arrays.copyOf(x, rows * FEATURES), dtype, rows, FEATURES),
        Arrays.copyOf(y, rows));
  }

  private static IllegalArgumentException error(String source, int line, String what) {
    return new IllegalArgumentException(source + ":" + line + ": " + what);
  }
}
