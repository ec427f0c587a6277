package zkynet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.io.DataFormatException;
import zkynet.train.Dataset;

/** The optdigits loader: the bundled files, and line-numbered errors for malformed input. */
class OptDigitsTest {
  @Test
  void trainingFile() {
    Dataset train = OptDigits.train(DType.FLOAT32);
    assertEquals(3823, train.size());
    assertArrayEquals(new int[] {64}, train.rowShape());
    assertEquals(10, train.numClasses());
    // Class counts of optdigits.tra (UCI).
    assertArrayEquals(new int[] {376, 389, 380, 389, 387, 376, 377, 387, 380, 382}, counts(train.labels()));
    // The first line: 0,1,6,15,12,1,0,0, 0,7,16,... ,0 (the digit 0), pixels divided by 16.
    double[] first = train.batch(new int[] {0}).x().toDoubleArray();
    assertArrayEquals(new double[] {0, 1 / 16.0, 6 / 16.0, 15 / 16.0, 12 / 16.0, 1 / 16.0, 0, 0, 0, 7 / 16.0, 1.0},
        Arrays.copyOf(first, 11), 1e-7);
    assertEquals(0, train.labels()[0]);
    double[] all = train.features().toDoubleArray();
    assertEquals(0.0, Arrays.stream(all).min().orElseThrow());
    assertEquals(1.0, Arrays.stream(all).max().orElseThrow());
  }

  @Test
  void testFile() {
    Dataset test = OptDigits.test(DType.FLOAT64);
    assertEquals(1797, test.size());
    assertEquals(DType.FLOAT64, test.dtype());
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts(test.labels()));
    assertEquals(8, test.labels()[1796]);
  }

  private static int[] counts(int[] labels) {
    int[] c = new int[10];
    for (int l : labels) {
      c[l]++;
    }
    return c;
  }

  private static String row(int label) {
    return String.join(",", Collections.nCopies(64, "3")) + "," + label;
  }

  private static String parseError(String text) {
    return assertThrows(DataFormatException.class,
        () -> OptDigits.parse(new StringReader(text), "digits.csv", DType.FLOAT32)).getMessage();
  }

  @Test
  void parsesBlankLinesAndWhitespace() throws Exception {
    Dataset d = OptDigits.parse(new StringReader(row(4) + "\n\n" + row(9).replace(",", " , ") + "\n"),
        "digits.csv", DType.FLOAT32);
    assertEquals(2, d.size());
    assertArrayEquals(new int[] {4, 9}, d.labels());
    assertEquals(3 / 16.0, d.features().toDoubleArray()[0], 1e-7);
  }

  @Test
  void malformedRowsNameTheLineAndColumn() {
    String ok = row(1) + "\n";
    assertEquals("digits.csv:2: expected 65 columns, found 64",
        parseError(ok + row(1).substring(0, row(1).length() - 2) + "\n"));
    assertEquals("digits.csv:3: column 5: 'x' is not a number",
        parseError(ok + ok + row(2).replaceFirst("3,3,3,3,3", "3,3,3,3,x")));
    assertEquals("digits.csv:1: column 1: 17 is outside 0..16", parseError("17" + row(1).substring(1)));
    assertEquals("digits.csv:1: column 2: -1 is outside 0..16", parseError("0,-1" + row(1).substring(3)));
    assertEquals("digits.csv:2: column 65: label 10 is outside 0..9", parseError(ok + row(10)));
    assertEquals("digits.csv:1: column 65: '2.5' is not a class label (an integer)",
        parseError(row(1).replaceFirst(",1$", ",2.5")));
    assertEquals("digits.csv: no data rows", parseError("\n\n"));
    String short64 = row(1).substring(2) + "\n";
    assertEquals("digits.csv: expected 65 columns (64 pixels and a label), found 64",
        parseError(short64 + short64));
  }
}
