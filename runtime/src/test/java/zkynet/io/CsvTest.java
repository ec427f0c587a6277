package zkynet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.train.Dataset;

/** CSV files the tests write: labels and targets by name or index, and errors with line and column. */
class CsvTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Dataset parse(Csv csv, String text, DType dtype) throws IOException {
    return csv.read(new StringReader(text), "t.csv", dtype);
  }

  private static String error(Csv csv, String text) {
    return assertThrows(DataFormatException.class, () -> parse(csv, text, DType.FLOAT32)).getMessage();
  }

  @Test
  void classificationFromAFileWithTheLabelLastByDefault() throws IOException {
    Path f = write("iris small.csv", "5.1,3.5,1.4,0\n\n 6.2 , 2.9,4.3,1\r\n7.7,3.0,6.1,2\n");
    Dataset d = new Csv().read(f, DType.FLOAT32);
    assertEquals(3, d.size());
    assertArrayEquals(new int[] {3}, d.rowShape());
    assertArrayEquals(new int[] {0, 1, 2}, d.labels());
    assertArrayEquals(new double[] {5.1f, 3.5f, 1.4f, 6.2f, 2.9f, 4.3f, 7.7f, 3.0f, 6.1f},
        d.features().toDoubleArray(), 0);
    assertEquals(DType.FLOAT32, d.dtype());
  }

  @Test
  void labelByHeaderNameAnywhereWithQuotesAndAnotherSeparator() throws IOException {
    String text = "\"id\";\"class\";\"x\"\n1;\"3\";-2.5e1\n2;0;.5\n";
    Dataset d = parse(new Csv().header(true).separator(';').labelColumn("class"), text, DType.FLOAT64);
    assertArrayEquals(new int[] {3, 0}, d.labels());
    assertArrayEquals(new double[] {1, -25, 2, 0.5}, d.features().toDoubleArray(), 0);
    assertEquals(DType.FLOAT64, d.dtype());
    Dataset byIndex = parse(new Csv().header(true).separator(';').labelColumn(1), text, DType.FLOAT64);
    assertArrayEquals(d.features().toDoubleArray(), byIndex.features().toDoubleArray(), 0);
  }

  @Test
  void regressionTargetsByNameInTheOrderGiven() throws IOException {
    String text = "a,y1,b,y2\n1,10,2,20\n3,30,4,40\n5,50,6,60\n";
    Dataset d = parse(new Csv().header(true).targetColumns("y2", "y1"), text, DType.FLOAT32);
    assertEquals(false, d.isClassification());
    assertArrayEquals(new int[] {2}, d.targetShape());
    assertArrayEquals(new double[] {20, 10, 40, 30, 60, 50}, d.targets().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.features().toDoubleArray(), 0);
    // One target column still gives [N, 1] (a [N] target would broadcast against [N, 1] predictions).
    Dataset one = parse(new Csv().targetColumns(-1), "1,2\n3,4\n", DType.FLOAT64);
    assertArrayEquals(new int[] {2, 1}, one.targets().shape());
    assertEquals(DType.FLOAT64, one.targets().dtype());
  }

  @Test
  void raggedRowsAndBadNumbersNameTheFileLineAndColumn() throws IOException {
    Csv csv = new Csv();
    assertEquals("t.csv:3: expected 3 columns, found 2", error(csv, "1,2,0\n\n3,4\n"));
    assertEquals("t.csv:2: column 2: 'x' is not a number", error(csv, "1,2,0\n3,x,1\n"));
    assertEquals("t.csv:1: column 1: '' is not a number", error(csv, ",2,0\n"));
    assertEquals("t.csv:1: column 2: 'NaN' is not a number", error(csv, "1,NaN,0\n"));
    assertEquals("t.csv:1: column 1: '1f' is not a number", error(csv, "1f,2,0\n"));
    assertEquals("t.csv:1: column 3: '1.5' is not a class label (an integer)", error(csv, "1,2,1.5\n"));
    assertEquals("t.csv:1: column 3: label -1 is negative", error(csv, "1,2,-1\n"));
    assertEquals("t.csv:2: column 2 (b): 'oops' is not a number",
        error(new Csv().header(true), "a,b,c\n1,oops,0\n"));
    Path f = write("bad.csv", "1,2,0\n1,2\n");
    String m = assertThrows(DataFormatException.class, () -> csv.read(f, DType.FLOAT32)).getMessage();
    assertEquals(f + ":2: expected 3 columns, found 2", m);
  }

  @Test
  void rangesAndClassCounts() {
    Csv csv = new Csv().featureRange(0, 16).classes(10);
    assertEquals("t.csv:1: column 1: 17 is outside 0..16", error(csv, "17,2,0\n"));
    assertEquals("t.csv:2: column 3: label 10 is outside 0..9", error(csv, "1,2,0\n1,2,10\n"));
  }

  @Test
  void columnChoicesThatCannotWork() {
    assertEquals("t.csv: no data rows", error(new Csv(), "\n \n"));
    assertEquals("t.csv: no data rows", error(new Csv().header(true), "a,b\n"));
    assertEquals("t.csv: label column 5 is out of range: line 1 has 3 columns",
        error(new Csv().labelColumn(5), "1,2,3\n"));
    assertEquals("t.csv: label column -4 is out of range: line 1 has 3 columns",
        error(new Csv().labelColumn(-4), "1,2,3\n"));
    assertEquals("t.csv:1: no column named 'lbl'; the header has [a, b]",
        error(new Csv().header(true).labelColumn("lbl"), "a,b\n1,2\n"));
    assertEquals("t.csv:1: the header names column 'a' twice (columns 1 and 3)",
        error(new Csv().header(true).targetColumns("a"), "a,b,a\n1,2,3\n"));
    assertEquals("t.csv: target column 'y' is chosen by name, but the file has no header (use "
        + "header(true) or an index)", error(new Csv().targetColumns("y"), "1,2\n"));
    assertEquals("t.csv: target column -1 is column 2, which is already a target", error(new Csv().targetColumns(1, -1), "1,2\n"));
    assertThrows(IllegalArgumentException.class, () -> new Csv().targetColumns(new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new Csv().featureRange(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Csv().separator('1'));
  }

  @Test
  void manyRowsGrowTheBuffers() throws IOException {
    StringBuilder sb = new StringBuilder();
    int n = 5000;
    for (int i = 0; i < n; i++) {
      sb.append(i).append(',').append(-i).append(',').append(i % 7).append('\n');
    }
    Dataset d = parse(new Csv(), sb.toString(), DType.FLOAT32);
    assertEquals(n, d.size());
    double[] x = d.batch(new int[] {n - 1}).x().toDoubleArray();
    assertArrayEquals(new double[] {n - 1, -(n - 1)}, x, 0);
    assertEquals((n - 1) % 7, d.labels()[n - 1]);
  }
}
