package zkynet.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import zkynet.DType;
import zkynet.ModuleBase;
import zkynet.Tensor;
import zkynet.backend.TensorFormat;

/**
 * A module's parameters as a table: path ({@code layers.0.w}), shape, dtype and element count, and
 * the total. A parameter shared by several sub-modules is listed (and counted) once, under its
 * first path, as {@link ModuleBase#namedParameters()} lists it. Buffers (non-trainable state such
 * as a batch norm's running statistics, {@link ModuleBase#namedBuffers()}) follow in a section of
 * their own, with their own total, when the module has any.
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
  private final List<Row> buffers;

  private Summary(String module, List<Row> rows, List<Row> buffers) {
    this.module = module;
    this.rows = List.copyOf(rows);
    this.buffers = List.copyOf(buffers);
  }

  /** The parameters and buffers of {@code module}. */
  public static Summary of(ModuleBase module) {
    Objects.requireNonNull(module, "module");
    List<Row> rows = new ArrayList<>();
    module.namedParameters().forEach((path, p) -> rows.add(row(path, p.value())));
    List<Row> buffers = new ArrayList<>();
    module.namedBuffers().forEach((path, b) -> buffers.add(row(path, b.value())));
    return new Summary(module.name(), rows, buffers);
  }

  private static Row row(String path, Tensor value) {
    return new Row(path, value.shape(), value.dtype(), value.size());
  }

  /** The parameters, in the order of {@link ModuleBase#namedParameters()}. */
  public List<Row> rows() {
    return rows;
  }

  /** The buffers, in the order of {@link ModuleBase#namedBuffers()}; empty for most modules. */
  public List<Row> buffers() {
    return buffers;
  }

  /** Number of parameter elements in all. */
  public long total() {
    return total(rows);
  }

  /** Number of buffer elements in all. */
  public long bufferTotal() {
    return total(buffers);
  }

  private static long total(List<Row> rows) {
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
    section(cells, "parameter", rows, "total");
    if (!buffers.isEmpty()) {
      section(cells, "buffer", buffers, "total (buffers)");
    }
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

  private static void section(List<String[]> cells, String kind, List<Row> rows, String totalLabel) {
    cells.add(new String[] {kind, "shape", "dtype", "count"});
    for (Row r : rows) {
      cells.add(new String[] {r.path(), Arrays.toString(r.shape()), TensorFormat.name(r.dtype()),
          count(r.count())});
    }
    cells.add(new String[] {totalLabel, "", "", count(total(rows))});
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
