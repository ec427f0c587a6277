package zkynet.backend.jvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zkynet.Tensor;

/**
 * The iteration plan of one fused loop: the operands' broadcast shape, walked as {@link #rows} rows
 * of {@link #cols} elements (the last row may be shorter). An operand is either <em>full</em> (as
 * many elements as the output: read at {@code r * cols + j}) or <em>tiled</em> (a rank-0 tensor, or
 * one whose shape is a trailing part of the output's, such as a bias {@code [n]} against {@code
 * [batch, n]}): its elements repeated to one row of {@code cols}, read at {@code j} in every row. So
 * the inner loop over {@code j} reads every operand at a unit stride from a row offset ({@link
 * #stride} times the row), which C2 vectorises, and a rank-0 operand costs one row, not an array of
 * the output's size.
 *
 * <p>Sums (a closing sum, the gradient of a tiled operand) are stored per element into a row of
 * their own, like any other result, and each row is then added into double lanes (one per column,
 * per chunk of rows): the fused loop has plain stores only, which C2 vectorises (measured on Zen 2,
 * Java 17: a store per element 0.12 ns, an addition into an array inside the same loop 0.49 ns, a
 * chain of scalar accumulators 0.45 ns). Chunks are merged in row order, so the result does not
 * depend on which thread finished first.
 */
public final class FusedLoop {
  /** Row length when no operand is tiled with a longer row (1024 floats: 4 KiB, in L1). */
  static final int BLOCK = 1024;

  /** The output shape. */
  private final int[] shape;

  /** The number of output elements. */
  public final int size;

  /** The length of a row (at least 1). */
  public final int cols;

  /** The number of rows (the last may hold fewer than {@link #cols} elements). */
  public final int rows;

  private FusedLoop(int[] shape, int size, int cols) {
    this.shape = shape;
    this.size = size;
    this.cols = cols;
    this.rows = size == 0 ? 0 : (size + cols - 1) / cols;
  }

  /**
   * The plan over {@code operands} (all float32 on the JVM backend): null when their shapes do not
   * broadcast, or one broadcasts in a way other than over leading axes (such as {@code [b, 1]}
   * against {@code [b, n]}), or the output has more than {@code Integer.MAX_VALUE} elements.
   */
  static FusedLoop of(Tensor... operands) {
    int[] shape = new int[0];
    for (Tensor t : operands) {
      shape = broadcast(shape, t.shape());
      if (shape == null) {
        return null;
      }
    }
    long size = 1;
    for (int d : shape) {
      size *= d;
      if (size > Integer.MAX_VALUE) {
        return null;
      }
    }
    int row = 1; // the longest tiled operand
    for (Tensor t : operands) {
      if (t.size() != size) {
        if (!trailing(t.shape(), shape)) {
          return null;
        }
        row = (int) Math.max(row, t.size());
      }
    }
    // a multiple of every tiled operand's size (each a product of trailing axes, so it divides `row`)
    int cols = size == 0 ? 1 : (int) Math.min(size, (long) row * Math.max(1, BLOCK / row));
    return new FusedLoop(shape, (int) size, cols);
  }

  /** numpy broadcasting of two shapes; null when they do not broadcast. */
  private static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        return null;
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Whether {@code s}, without its leading 1s, is the trailing part of {@code shape}. */
  private static boolean trailing(int[] s, int[] shape) {
    int lead = 0;
    while (lead < s.length && s[lead] == 1) {
      lead++;
    }
    int k = s.length - lead;
    for (int i = 0; i < k; i++) {
      if (s[lead + i] != shape[shape.length - k + i]) {
        return false;
      }
    }
    return true;
  }

  /** The elements of operand {@code t}: its dense array when full, else its elements tiled to one row. */
  public float[] floats(Tensor t) {
    float[] data = Fused.floats(t);
    if (data.length == size) {
      return data;
    }
    float[] row = new float[cols];
    for (int j = 0; j < cols; j += data.length) {
      System.arraycopy(data, 0, row, j, data.length);
    }
    return row;
  }

  /** How far {@code t}'s elements move per row: {@link #cols} when full, 0 when tiled. */
  public int stride(Tensor t) {
    return t.size() == size ? cols : 0;
  }

  /** The length of row {@code r}. */
  public int length(int r) {
    return Math.min(cols, size - r * cols);
  }

  /** The output tensor over {@code data} (kept, not copied). */
  public Tensor result(float[] data) {
    return Tensor.wrap(data, shape);
  }

  /** A fused loop body over the rows {@code [start, end)}, with the chunk's sums and gradients. */
  public interface Rows {
    void run(int start, int end, Chunk chunk);
  }

  /** Runs {@code body} over all rows, split across the pool when {@code size * cost} is large. */
  public void forRows(int cost, Rows body) {
    run(cost, body, new Tensor[0], new boolean[0], false);
  }

  /** Runs a body that adds into {@link Chunk#sum()}: the total, as a float32 scalar tensor. */
  public Tensor sum(int cost, Rows body) {
    return Tensor.wrap(new float[] {(float) total(cost, body)});
  }

  private double total(int cost, Rows body) {
    Chunk total = run(cost, body, new Tensor[0], new boolean[0], true);
    double s = 0;
    for (double v : total.sums[0]) {
      s += v;
    }
    return s;
  }

  /** Runs a body that stores into {@link Chunk#sum()}: the mean (NaN for no elements), as a float32 scalar tensor. */
  public Tensor mean(int cost, Rows body) {
    return Tensor.wrap(new float[] {(float) (total(cost, body) / size)});
  }

  /**
   * Runs a backward body that stores each element's gradient of {@code inputs[k]} into {@link
   * Chunk#gradient}{@code (k)}: the gradients, shaped like the inputs (a tiled input's summed over
   * its rows), null where not {@code needed} or where {@code inputs[k]} is null (no gradient flows).
   */
  public Tensor[] backward(int cost, Tensor[] inputs, boolean[] needed, Rows body) {
    Chunk total = run(cost, body, inputs, needed, false);
    Tensor[] out = new Tensor[inputs.length];
    for (int k = 0; k < inputs.length; k++) {
      Tensor in = inputs[k];
      if (in == null || !needed[k]) {
        continue;
      }
      if (in.size() == size) {
        out[k] = Tensor.wrap(total.full[k], in.shape());
      } else {
        float[] g = new float[(int) in.size()];
        double[] lanes = total.sums[k + 1];
        for (int q = 0; q < g.length; q++) {
          double s = 0;
          for (int j = q; j < cols; j += g.length) {
            s += lanes[j];
          }
          g[q] = (float) s;
        }
        out[k] = Tensor.wrap(g, in.shape());
      }
    }
    return out;
  }

  private Chunk run(int cost, Rows body, Tensor[] inputs, boolean[] needed, boolean sum) {
    float[][] full = new float[inputs.length][];
    boolean[] summed = new boolean[inputs.length + 1];
    summed[0] = sum;
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k] != null && needed[k]) {
        if (inputs[k].size() == size) {
          full[k] = new float[size];
        } else {
          summed[k + 1] = true;
        }
      }
    }
    if (!Parallel.worthSplitting(size, cost)) {
      Chunk c = new Chunk(this, 0, full, summed);
      body.run(0, rows, c);
      return c;
    }
    List<Chunk> chunks = new ArrayList<>();
    Parallel.forRange(rows, (start, end) -> {
      Chunk c = new Chunk(this, start, full, summed);
      body.run(start, end, c);
      synchronized (chunks) {
        chunks.add(c);
      }
    });
    chunks.sort(Comparator.comparingInt(c -> c.start));
    Chunk total = chunks.get(0);
    for (int i = 1; i < chunks.size(); i++) {
      for (int s = 0; s < total.sums.length; s++) {
        double[] into = total.sums[s];
        double[] from = chunks.get(i).sums[s];
        for (int j = 0; into != null && j < cols; j++) {
          into[j] += from[j];
        }
      }
    }
    return total;
  }

  /**
   * What one chunk of rows stores into: the row of a closing sum's element values ({@link #sum()}
   * at {@link #sumStride()}) and, per input of a backward loop, its gradient array with its per-row
   * stride ({@link #gradient}, {@link #stride}). Call {@link #row(int)} after each row: it adds the
   * rows that sum into their double lanes.
   */
  public static final class Chunk {
    private final FusedLoop loop;
    private final int start;
    private final float[][] full;
    /** Rows: index 0 the closing sum's, k + 1 input k's (a tiled input's, or one thrown away). */
    private final float[][] rows;
    /** The double lanes of the rows that sum (null for the others). */
    private final double[][] sums;
    /** 0, as a field: a constant 0 stride would let C2 see a store at {@code [i]}, which it does not vectorise here. */
    private final int zero;

    private Chunk(FusedLoop loop, int start, float[][] full, boolean[] summed) {
      this.loop = loop;
      this.start = start;
      this.full = full;
      this.rows = new float[full.length + 1][];
      this.sums = new double[full.length + 1][];
      this.zero = start - start;
      for (int s = 0; s < rows.length; s++) {
        if (s == 0 ? summed[0] : full[s - 1] == null) {
          rows[s] = new float[loop.cols];
        }
        if (summed[s]) {
          sums[s] = new double[loop.cols];
        }
      }
    }

    /** The row a closing sum stores its element values into (at {@code r * sumStride() + j}). */
    public float[] sum() {
      return rows[0];
    }

    /** The row stride of {@link #sum()}: 0. */
    public int sumStride() {
      return zero;
    }

    /**
     * Where input {@code k}'s element gradients go: the whole gradient array of a needed full input
     * (stored at {@code r * stride(k) + j}), else a row: summed after each row for a tiled input,
     * thrown away when the gradient is not needed.
     */
    public float[] gradient(int k) {
      return full[k] != null ? full[k] : rows[k + 1];
    }

    /** The row stride of {@link #gradient}{@code (k)}: {@link FusedLoop#cols} for a full input, else 0. */
    public int stride(int k) {
      return full[k] != null ? loop.cols : zero;
    }

    /** Marks the end of a row of {@code length} elements: adds the rows that sum into their lanes. */
    public void row(int length) {
      for (int s = 0; s < sums.length; s++) {
        double[] d = sums[s];
        if (d != null) {
          float[] f = rows[s];
          for (int j = 0; j < length; j++) {
            d[j] += f[j];
          }
        }
      }
    }
  }
}
