package zkynet.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import zkynet.DType;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.backend.TensorFormat;

/**
 * A module's parameters as a table: path ({@code layers.0.w}), shape, dtype and element count, and
 * the total. A parameter shared by several sub-modules is listed (and counted) once, under its
 * first path, as {@link ModuleBase#namedParameters()} lists it.
 *
 * <pre>
 * Mlp_1
 * parameter   shape     dtype    count
 * layers.0.w  [64, 32]  float32  2,048
 * layers.0.b  [32]      float32     32
 * total                          2,080
 * </pre>
 */
public final class Summary {
  /** One parameter. */
  public record Row(String path, int[] shape, DType dtype, long count) {
    public Row {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }
  }

  private final String module;
  private final List<Row> rows;

  private Summary(String module, List<Row> rows) {
    this.module = module;
    this.rows = List.copyOf(rows);
  }

  /** The parameters of {@code module}. */
  public static Summary of(ModuleBase module) {
    Objects.requireNonNull(module, "module");
    List<Row> rows = new ArrayList<>();
    module.namedParameters().forEach((path, p) -> rows.add(row(path, p)));
    return new Summary(module.name(), rows);
  }

  private static Row row(String path, Parameter p) {
    var value = p.value();
    return new Row(path, value.shape(), value.dtype(), value.size());
  }

  /** The parameters, in the order of {@link ModuleBase#namedParameters()}. */
  public List<Row> rows() {
    return rows;
  }

  /** Number of parameter elements in all. */
  public long total() {
    long t = 0;
    for (Row r : rows) {
      t += r.count();
    }
    return t;
  }

  /** The table, with a line naming the module first. */
  @Override
  public String toString() {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"parameter", "shape", "dtype", "count"});
    for (Row r : rows) {
      cells.add(new String[] {r.path(), Arrays.toString(r.shape()), TensorFormat.name(r.dtype()),
          count(r.count())});
    }
    cells.add(new String[] {"total", "", "", count(total())});
    int[] width = new int[4];
    for (String[] line : cells) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder(module).append('\n');
    for (String[] line : cells) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        l.append(pad(line[i], width[i])).append("  ");
      }
      l.append(" ".repeat(width[3] - line[3].length())).append(line[3]);
      sb.append(l.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
