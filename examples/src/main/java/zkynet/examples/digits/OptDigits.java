package zkynet.examples.digits;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import zkynet.DType;
import zkynet.io.Csv;
import zkynet.io.DataFormatException;
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
   * Parses optdigits CSV text with {@link Csv}. Blank lines are skipped; anything else that is not
   * 65 integers in range (pixels 0..16, label 0..9) is a {@link DataFormatException} naming the
   * source, the line and the column.
   */
  public static Dataset parse(Reader reader, String source, DType dtype) throws IOException {
    Dataset counts = new Csv().featureRange(0, MAX_PIXEL).classes(CLASSES).read(reader, source, dtype);
    if (counts.rowShape()[0] != FEATURES) {
      throw new DataFormatException(source + ": expected " + (FEATURES + 1) + " columns (" + FEATURES
          + " pixels and a label), found " + (counts.rowShape()[0] + 1));
    }
    return counts.withFeatures(counts.features().div(MAX_PIXEL));
  }
}
