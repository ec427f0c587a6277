package zkynet.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.Dataset;

/**
 * Reads numeric CSV into a {@link Dataset}: every column is a feature except the label column
 * (classification, the default: the last column) or the chosen target columns (regression, targets
 * {@code [N, k]} for k columns). Cells are trimmed, a cell wrapped in double quotes loses them (a
 * quoted cell cannot hold the separator), blank lines are skipped.
 *
 * <pre>
 *   Dataset digits = new Csv().header(true).labelColumn("digit").read(path, DType.FLOAT32);
 *   Dataset houses = new Csv().header(true).targetColumns("price").read(path, DType.FLOAT64);
 * </pre>
 *
 * <p>Columns are chosen by header name or by index from 0 (negative indices count from the end:
 * -1 is the last column). Errors are {@link DataFormatException}s naming the source, the line and
 * the column, counting both from 1 as editors do: {@code digits.csv:3: column 5: 'x' is not a
 * number}. A setting object: configure once, read many files.
 */
public final class Csv {
  private static final int FEATURE = -1;
  private static final int LABEL = -2;

  private boolean header;
  private char separator = ',';
  private List<Object> targets = List.of(); // Integer indices or String names; empty: classification
  private Object label = -1;
  private double min = Double.NEGATIVE_INFINITY;
  private double max = Double.POSITIVE_INFINITY;
  private int classes;

  /** Whether the first non-blank line names the columns (default: no). */
  public Csv header(boolean hasHeader) {
    this.header = hasHeader;
    return this;
  }

  /** The separator (default {@code ','}). */
  public Csv separator(char separator) {
    if (separator == '"' || Character.isLetterOrDigit(separator)) {
      throw new IllegalArgumentException("Csv: '" + separator + "' cannot separate numeric cells");
    }
    this.separator = separator;
    return this;
  }

  /** Classification: the column of integer class labels, by index (default -1, the last). */
  public Csv labelColumn(int index) {
    this.label = index;
    this.targets = List.of();
    return this;
  }

  /** Classification: the column of integer class labels, by header name. */
  public Csv labelColumn(String name) {
    this.label = Objects.requireNonNull(name, "name");
    this.targets = List.of();
    return this;
  }

  /** Regression: the target columns by index, in the order given. */
  public Csv targetColumns(int... indices) {
    return targets(Arrays.stream(indices).boxed().toArray());
  }

  /** Regression: the target columns by header name, in the order given. */
  public Csv targetColumns(String... names) {
    return targets(names);
  }

  private Csv targets(Object[] columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("Csv.targetColumns: name at least one column");
    }
    for (Object c : columns) {
      Objects.requireNonNull(c, "target column");
    }
    this.targets = List.of(columns);
    this.label = null;
    return this;
  }

  /** Every feature value must lie in {@code [min, max]} (checked per cell while reading). */
  public Csv featureRange(double min, double max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException("Csv.featureRange: min " + min + " > max " + max);
    }
    this.min = min;
    this.max = max;
    return this;
  }

  /** Every class label must lie in {@code [0, count)} (default: any non-negative integer). */
  public Csv classes(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("Csv.classes: the count must be positive, got " + count);
    }
    this.classes = count;
    return this;
  }

  /** Reads a UTF-8 file; errors name it by its path. */
  public Dataset read(Path file, DType dtype) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString(), dtype);
    }
  }

  /** Reads CSV text; {@code source} names it in errors. The reader is not closed. */
  public Dataset read(Reader reader, String source, DType dtype) throws IOException {
    Objects.requireNonNull(dtype, "dtype");
    return new Parse(source).run(new BufferedReader(reader), dtype);
  }

  /** One pass over one source. */
  private final class Parse {
    private final String source;
    private String[] names; // header names, or null
    private int[] roles; // per column: FEATURE, LABEL, or the target's position
    private int features;
    private int rows;
    private int lineNo;
    private final Growable x = new Growable();
    private final Growable y = new Growable();
    private int[] labels = new int[256];

    Parse(String source) {
      this.source = source;
    }

    Dataset run(BufferedReader in, DType dtype) throws IOException {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = split(line);
        if (roles == null && header) {
          names = cells;
          assign(cells.length);
          continue;
        }
        if (roles == null) {
          assign(cells.length);
        }
        if (cells.length != roles.length) {
          throw error("expected " + roles.length + " columns, found " + cells.length);
        }
        row(cells);
      }
      if (rows == 0) {
        throw new DataFormatException(source + ": no data rows");
      }
      return dataset(dtype);
    }

    private void row(String[] cells) throws DataFormatException {
      if (rows == labels.length) {
        labels = Arrays.copyOf(labels, rows * 2);
      }
      for (int c = 0; c < cells.length; c++) {
        int role = roles[c];
        if (role == LABEL) {
          labels[rows] = label(c, cells[c]);
        } else {
          double v = number(c, cells[c]);
          if (role == FEATURE) {
            if (v < min || v > max) {
              throw error(column(c) + ": " + cells[c] + " is outside " + fmt(min) + ".." + fmt(max));
            }
            x.add(v);
          } else {
            y.set((long) rows * targets.size() + role, v);
          }
        }
      }
      rows++;
    }

    /** Gives every column its role once the column count is known. */
    private void assign(int columns) throws DataFormatException {
      roles = new int[columns];
      Arrays.fill(roles, FEATURE);
      if (targets.isEmpty()) {
        roles[resolve(label, "label")] = LABEL;
      } else {
        for (int k = 0; k < targets.size(); k++) {
          int c = resolve(targets.get(k), "target");
          if (roles[c] != FEATURE) {
            throw new DataFormatException(source + ": target column " + targets.get(k) + " is column "
                + (c + 1) + ", which is already a target");
          }
          roles[c] = k;
        }
      }
      features = columns - (targets.isEmpty() ? 1 : targets.size());
    }

    private int resolve(Object column, String what) throws DataFormatException {
      int n = roles.length;
      if (column instanceof Integer i) {
        int c = i < 0 ? n + i : i;
        if (c < 0 || c >= n) {
          throw new DataFormatException(source + ": " + what + " column " + i + " is out of range: line "
              + lineNo + " has " + n + " columns");
        }
        return c;
      }
      if (names == null) {
        throw new DataFormatException(source + ": " + what + " column '" + column + "' is chosen by "
            + "name, but the file has no header (use header(true) or an index)");
      }
      int found = -1;
      for (int c = 0; c < n; c++) {
        if (names[c].equals(column)) {
          if (found >= 0) {
            throw new DataFormatException(source + ":" + lineNo + ": the header names column '" + column
                + "' twice (columns " + (found + 1) + " and " + (c + 1) + ")");
          }
          found = c;
        }
      }
      if (found < 0) {
        throw new DataFormatException(source + ":" + lineNo + ": no column named '" + column
            + "'; the header has " + Arrays.toString(names));
      }
      return found;
    }

    private int label(int c, String cell) throws DataFormatException {
      int v;
      try {
        v = Integer.parseInt(cell);
      } catch (NumberFormatException e) {
        throw error(column(c) + ": '" + cell + "' is not a class label (an integer)");
      }
      if (v < 0 || (classes > 0 && v >= classes)) {
        throw error(column(c) + ": label " + v
            + (classes > 0 ? " is outside 0.." + (classes - 1) : " is negative"));
      }
      return v;
    }

    private double number(int c, String cell) throws DataFormatException {
      // Double.parseDouble also takes "NaN", "Infinity", "1f", "0x1p3": only plain decimals here.
      char last = cell.isEmpty() ? ' ' : cell.charAt(cell.length() - 1);
      if ((last >= '0' && last <= '9') || last == '.') {
        try {
          return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw error(column(c) + ": '" + cell + "' is not a number");
    }

    private Dataset dataset(DType dtype) {
      int[] y1 = Arrays.copyOf(labels, rows);
      int[] shape = {rows, features};
      int[] targetShape = {rows, targets.size()};
      double[] xs = x.toArray(rows * (long) features);
      double[] ys = y.toArray(rows * (long) targets.size());
      if (dtype == DType.FLOAT32) {
        return targets.isEmpty() ? Dataset.ofFloats(floats(xs), shape, y1)
            : Dataset.ofFloats(floats(xs), shape, floats(ys), targetShape);
      }
      Tensor features = Tensor.of(xs, dtype, shape);
      return targets.isEmpty() ? new Dataset(features, y1)
          : new Dataset(features, Tensor.of(ys, dtype, targetShape));
    }

    private String[] split(String line) {
      List<String> cells = new ArrayList<>();
      int start = 0;
      for (int i = 0; i <= line.length(); i++) {
        if (i == line.length() || line.charAt(i) == separator) {
          String cell = line.substring(start, i).trim();
          if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
            cell = cell.substring(1, cell.length() - 1).trim();
          }
          cells.add(cell);
          start = i + 1;
        }
      }
      return cells.toArray(new String[0]);
    }

    private String column(int c) {
      return "column " + (c + 1) + (names != null ? " (" + names[c] + ")" : "");
    }

    private DataFormatException error(String what) {
      return new DataFormatException(source + ":" + lineNo + ": " + what);
    }
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** A growable {@code double[]}. */
  private static final class Growable {
    private double[] a = new double[1024];
    private int n;

    void add(double v) {
      set(n, v);
    }

    void set(long index, double v) {
      int i = Math.toIntExact(index);
      if (i >= a.length) {
        a = Arrays.copyOf(a, Math.max(i + 1, (int) Math.min(Integer.MAX_VALUE - 8, 2L * a.length)));
      }
      a[i] = v;
      n = Math.max(n, i + 1);
    }

    double[] toArray(long size) {
      return Arrays.copyOf(a, Math.toIntExact(size));
    }
  }
}
