package zkynet.backend.jvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import zkynet.Tensor;
import zkynet.backend.Shapes;

/**
 * The plan of one fused loop: the operands' broadcast shape and its element count. The loop runs
 * over the output's elements, reading and writing every array at the same index: an operand with as
 * many elements as the output is read from its own dense array; a <em>broadcast</em> one (numpy's
 * rule: a bias {@code [n]} against {@code [batch, n]}, a per-row statistic {@code [b, 1]} against
 * {@code [b, n]}, {@code [b, 1, n]} against {@code [b, m, n]}, ...) from its elements repeated to the
 * output's size ({@link #floats}, {@link Broadcast}), or, by a loop that reads a one-element operand
 * once before it ({@link #floatsOrOne}), from its one element. Measured on Zen 2 with Java 17 and 25: C2
 * vectorises a loop whose arrays share one index, and not one that reads some arrays at another
 * offset (a row of a broadcast operand: 0.4-0.5 ns per element against 0.12-0.18; W2's backward
 * storing its per-element sums into a block-sized array at the block-relative index: 1.6 ns against
 * 1.0 at one shared index).
 *
 * <p>The arrays that are not results (a broadcast operand's repeated elements, a closing sum's or
 * mean's element values, a broadcast input's element gradients, an unneeded gradient) are the
 * thread's {@link Scratch}, reused from call to call. Each chunk runs the loop body one block of
 * {@link #BLOCK} elements at a time: it repeats the broadcast operands over the block just before the
 * body reads them, and sums the block's summed values just after the body wrote them, so both stay
 * in the core's cache: a whole block pairwise in float32 with the rounding errors kept, by
 * vectorised halvings ({@link #blockSum}), a chunk's last partial block in double; a broadcast
 * input's element gradients are summed back to its elements in double, into the chunk's own sums.
 * Blocks and chunks are combined in double in index order, so the result does not depend on which
 * thread finished first.
 *
 * <p>A region closed by a sum or mean over the last axis ({@link #sumRows}, {@link #meanRows}) adds
 * each block's values to their rows' sums instead (a row may span blocks), with chunks of whole
 * rows; its backward reads the row's cotangent repeated over the row's elements ({@link #perRow}),
 * so that its loop too reads every array at one index.
 */
public final class FusedLoop {
  /** Elements per block: the arrays of one block (16 KB each) stay in the core's L2 cache. */
  public static final int BLOCK = 4096;

  /** Half a block: where {@link #blockSum} keeps the rounding errors. */
  private static final int HALF = BLOCK / 2;

  /** The output shape. */
  private final int[] shape;

  /** The number of output elements. */
  public final int size;

  /** Broadcast operands handed out by {@link #floats} since the last run: repeated over each block. */
  private final List<Repeat> repeats = new ArrayList<>();

  /** While a last-axis reduction runs: its per-row sums, each chunk adding to its own rows. */
  private double[] rowTotals;

  private FusedLoop(int[] shape, int size) {
    this.shape = shape;
    this.size = size;
  }

  /**
   * The plan over {@code operands} (all float32 on the JVM backend): null when their shapes do not
   * broadcast, or the output has more than {@code Integer.MAX_VALUE} elements.
   */
  static FusedLoop of(Tensor... operands) {
    int[] shape = new int[0];
    for (Tensor t : operands) {
      shape = Shapes.broadcastOrNull(shape, t.shape());
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
    return new FusedLoop(shape, (int) size);
  }

  /**
   * The elements of operand {@code t}, indexed like the output: its dense array, or (a broadcast
   * operand) a scratch array that the next run of this plan fills, block by block, with its elements
   * repeated. Call it just before that run, on the thread that runs it.
   */
  public float[] floats(Tensor t) {
    float[] data = Fused.floats(t);
    if (data.length == size) {
      return data;
    }
    float[] into = Scratch.mine().take(size);
    repeats.add(new Repeat(data, into, Broadcast.of(t.shape(), shape), 1));
    return into;
  }

  /**
   * The elements of operand {@code t} like {@link #floats}, except that an operand of one element
   * gives its own one-element array (the loop reads it once, not per element).
   */
  public float[] floatsOrOne(Tensor t) {
    return t.size() == 1 ? Fused.floats(t) : floats(t);
  }

  /** The output tensor over {@code data} (kept, not copied). */
  public Tensor result(float[] data) {
    return Tensor.wrap(data, shape);
  }

  /** A fused loop body over the elements {@code [start, end)}, with the arrays it stores into. */
  public interface Range {
    void run(int start, int end, Chunk chunk);
  }

  /** Runs {@code body} over all elements, split across the pool when {@code size * cost} is large. */
  public void forRange(int cost, Range body) {
    run(cost, body, new Tensor[0], new boolean[0], false);
  }

  /** Runs a body that stores into {@link Chunk#sum()}: their total, as a float32 scalar tensor. */
  public Tensor sum(int cost, Range body) {
    return Tensor.wrap(new float[] {(float) total(cost, body)});
  }

  /** Runs a body that stores into {@link Chunk#sum()}: their mean (NaN for no elements), as a float32 scalar tensor. */
  public Tensor mean(int cost, Range body) {
    return Tensor.wrap(new float[] {(float) (total(cost, body) / size)});
  }

  /**
   * Runs a body that stores into {@link Chunk#sum()}: the sums over the last axis, one per row (the
   * output's shape without its last axis), as a float32 tensor. The plan's shape has rank 1 or more
   * (see {@link Fused#planRows}).
   */
  public Tensor sumRows(int cost, Range body) {
    return rows(cost, body, false, false);
  }

  /** Like {@link #sumRows}, the means over the last axis (NaN for rows of no elements). */
  public Tensor meanRows(int cost, Range body) {
    return rows(cost, body, true, false);
  }

  /**
   * Like {@link #sumRows}, shaped like the plan with a last axis of 1 ({@code sum(new int[] {-1},
   * true)}; a rank-1 plan gives shape {@code [1]}).
   */
  public Tensor sumRowsKeepDims(int cost, Range body) {
    return rows(cost, body, false, true);
  }

  /** Like {@link #meanRows}, shaped like the plan with a last axis of 1 ({@code mean(new int[] {-1}, true)}). */
  public Tensor meanRowsKeepDims(int cost, Range body) {
    return rows(cost, body, true, true);
  }

  private Tensor rows(int cost, Range body, boolean mean, boolean keepDims) {
    int n = rowLength();
    double[] totals = new double[rowCount()];
    rowTotals = totals;
    try {
      run(cost, body, new Tensor[0], new boolean[0], true);
    } finally {
      rowTotals = null;
    }
    float[] out = new float[totals.length];
    for (int r = 0; r < out.length; r++) {
      out[r] = (float) (mean ? totals[r] / n : totals[r]);
    }
    int[] rowShape = Arrays.copyOf(shape, shape.length - (keepDims ? 0 : 1));
    if (keepDims) {
      rowShape[rowShape.length - 1] = 1;
    }
    return Tensor.wrap(out, rowShape);
  }

  /**
   * The row cotangent {@code g} (one value per row, shaped like the output without its last axis,
   * or with a last axis of 1)
   * indexed like the output: a scratch array that the next run of this plan fills, block by block,
   * with {@code g[row]} (divided by the row length for a {@code mean}) at every element of the row.
   * Call it just before that run, on the thread that runs it.
   */
  public float[] perRow(Tensor g, boolean mean) {
    float[] data = Fused.floats(g);
    float[] into = Scratch.mine().take(size);
    int[] column = shape.clone();
    column[column.length - 1] = 1;
    repeats.add(new Repeat(data, into, Broadcast.of(column, shape), mean ? rowLength() : 1));
    return into;
  }

  private int rowLength() {
    return shape[shape.length - 1];
  }

  private int rowCount() {
    int n = rowLength();
    return n == 0 ? (int) Shapes.size(Arrays.copyOf(shape, shape.length - 1)) : size / n;
  }

  /**
   * Whether this plan can close a region by a last-axis reduction: its shape has an axis, and (rows
   * of no elements) no more than {@code Integer.MAX_VALUE} rows.
   */
  boolean hasRows() {
    return shape.length > 0
        && Shapes.size(Arrays.copyOf(shape, shape.length - 1)) <= Integer.MAX_VALUE;
  }

  private double total(int cost, Range body) {
    return run(cost, body, new Tensor[0], new boolean[0], true).totals[0];
  }

  /**
   * Runs a backward body that stores each element's gradient of {@code inputs[k]} into {@link
   * Chunk#gradient}{@code (k)}: the gradients, shaped like the inputs (a broadcast input's summed over
   * the axes it was repeated along), null where not {@code needed} or where {@code inputs[k]} is
   * null (no gradient flows).
   */
  public Tensor[] backward(int cost, Tensor[] inputs, boolean[] needed, Range body) {
    Chunk all = run(cost, body, inputs, needed, false);
    Tensor[] out = new Tensor[inputs.length];
    for (int k = 0; k < inputs.length; k++) {
      Tensor in = inputs[k];
      if (in == null || !needed[k]) {
        continue;
      }
      float[] g = all.arrays[k];
      int m = (int) in.size();
      if (m == size) {
        out[k] = Tensor.wrap(g, in.shape());
      } else if (m == 1) {
        out[k] = Tensor.wrap(new float[] {(float) all.totals[k + 1]}, in.shape());
      } else {
        double[] sums = all.folded[k];
        float[] f = new float[m];
        for (int j = 0; j < m; j++) {
          f[j] = (float) sums[j];
        }
        out[k] = Tensor.wrap(f, in.shape());
      }
    }
    return out;
  }

  private Chunk run(int cost, Range body, Tensor[] inputs, boolean[] needed, boolean sum) {
    Scratch scratch = Scratch.mine();
    Fused.countRun();
    try {
      Layout layout = new Layout(inputs.length, repeats.toArray(new Repeat[0]));
      layout.rowTotals = rowTotals;
      layout.rowLength = rowTotals == null ? 0 : rowLength();
      float[] discard = null;
      for (int k = 0; k < inputs.length; k++) {
        Tensor in = inputs[k];
        if (in == null) {
          continue;
        }
        if (!needed[k]) {
          discard = discard == null ? scratch.take(size) : discard; // stored into, never read
          layout.arrays[k] = discard;
        } else if (in.size() == size) {
          layout.arrays[k] = new float[size];
        } else {
          layout.arrays[k] = scratch.take(size);
          layout.summed[k + 1] = in.size() == 1;
          layout.folds[k] = in.size() == 1 ? null : Broadcast.of(in.shape(), shape);
          layout.foldSizes[k] = (int) in.size();
        }
      }
      layout.arrays[inputs.length] = sum ? scratch.take(size) : null;
      layout.summed[0] = sum && rowTotals == null;
      return run(cost, body, layout);
    } finally {
      repeats.clear();
      scratch.releaseAll();
    }
  }

  private Chunk run(int cost, Range body, Layout layout) {
    if (!Parallel.worthSplitting(size, cost)) {
      return new Chunk(0, size, layout).run(body);
    }
    // a last-axis reduction's chunks are whole rows: each adds to its own rows' sums only
    int unit = layout.rowTotals == null ? 1 : rowLength();
    List<Chunk> chunks = new ArrayList<>();
    Parallel.forRange(size / unit, (start, end) -> {
      Chunk c = new Chunk(start * unit, end * unit, layout).run(body);
      synchronized (chunks) {
        chunks.add(c);
      }
    });
    chunks.sort(Comparator.comparingInt(c -> c.start));
    Chunk first = chunks.get(0);
    for (int i = 1; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      for (int s = 0; s < first.totals.length; s++) {
        first.totals[s] += c.totals[s];
      }
      for (int k = 0; k < first.folded.length; k++) {
        if (first.folded[k] != null) {
          for (int j = 0; j < first.folded[k].length; j++) {
            first.folded[k][j] += c.folded[k][j];
          }
        }
      }
    }
    return first;
  }

  /**
   * The sum of the whole block {@code v[from, from + BLOCK)}, overwriting it: pairwise in float32 with
   * each addition's rounding error kept (Knuth's TwoSum), by halvings, each a loop over the one array
   * at constant distances, which C2 vectorises (8 floats per AVX2 add); a sum in double or in a few
   * float accumulators is a chain of dependent scalar adds that it does not. The first halving adds
   * the block's second half into its first and leaves the errors in the second half; each next one
   * halves the sums the same way and adds their errors, and the errors' errors (of the order of
   * 2^-48 of the sum of magnitudes), into the second half's front. The {@code BLOCK / 16} sums and
   * their errors left are summed in double. So the result is within {@code 24 * 2^-48} (about
   * 1e-13) times the sum of the block's magnitudes of the exact sum, as accurate as a double sum (a
   * double sum of {@code BLOCK} values: {@code 4096 * 2^-53}); a float partial sum that overflows
   * gives a non-finite result (the caller then sums in double). Measured on Zen 2 with Java 17, with
   * the loop storing the values: 0.30 ms per million values against 0.44 summed in double.
   */
  static double blockSum(float[] v, int from) {
    for (int j = from; j < from + HALF; j++) {
      float a = v[j];
      float b = v[j + HALF];
      float s = a + b;
      v[j] = s;
      v[j + HALF] = twoSumError(a, b, s);
    }
    halve(v, from, BLOCK / 4);
    halve(v, from, BLOCK / 8);
    halve(v, from, BLOCK / 16);
    int rest = BLOCK / 16;
    return Reductions.sum(v, from, from + rest) + Reductions.sum(v, from + HALF, from + HALF + rest);
  }

  /**
   * The sums {@code v[j]} of the first {@code 2h} elements from {@code from} halved ({@code v[j] +=
   * v[j + h]}), their errors {@code v[j + HALF]} likewise, plus the new additions' errors ({@code h}
   * a constant once inlined).
   */
  private static void halve(float[] v, int from, int h) {
    for (int j = from; j < from + h; j++) {
      float a = v[j];
      float b = v[j + h];
      float s = a + b;
      v[j] = s;
      v[j + HALF] += v[j + HALF + h] + twoSumError(a, b, s);
    }
  }

  /** The rounding error of {@code s = a + b} (Knuth's TwoSum: {@code a + b == s + error} exactly, without overflow). */
  private static float twoSumError(float a, float b, float s) {
    float bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  /**
   * A broadcast operand's elements {@code data}, repeated into {@code into} (indexed like the
   * output) as {@code map} says, each divided by {@code divisor} (1, or the row length for a row
   * cotangent of a {@code mean}; see {@link #perRow}).
   */
  private record Repeat(float[] data, float[] into, Broadcast map, int divisor) {
    void fill(int from, int to) {
      map.fill(data, into, from, to, divisor);
    }
  }

  /**
   * What one run reads and writes: the broadcast operands to repeat, the arrays the body stores into
   * (input k's gradient at k, a closing sum's values last), and which are summed per block (slot 0:
   * the closing sum; slot k + 1: input k's gradient, for an input of one element), and which are
   * summed back to a broadcast input's elements per block (input k's gradient, by {@code folds[k]},
   * into {@code foldSizes[k]} sums).
   */
  private static final class Layout {
    final Repeat[] repeats;
    final float[][] arrays;
    final boolean[] summed;
    final Broadcast[] folds;
    final int[] foldSizes;
    /** A last-axis reduction's per-row sums (null for none) and its row length. */
    double[] rowTotals;
    int rowLength;

    Layout(int inputs, Repeat[] repeats) {
      this.repeats = repeats;
      this.arrays = new float[inputs + 1][];
      this.summed = new boolean[inputs + 1];
      this.folds = new Broadcast[inputs];
      this.foldSizes = new int[inputs];
    }

    float[] summedArray(int slot) {
      return slot == 0 ? arrays[arrays.length - 1] : arrays[slot - 1];
    }
  }

  /**
   * The arrays one chunk of elements stores into, shared by all chunks (each writes its own range):
   * a closing sum's values ({@link #sum()}) and each input's gradient ({@link #gradient}).
   */
  public static final class Chunk {
    private final int start;
    private final int end;
    private final float[][] arrays;
    private final Layout layout;
    /** The chunk's sums: of a closing sum's values (slot 0), of rank-0 input k's gradients (slot k + 1). */
    private final double[] totals;
    /** The chunk's part of broadcast input k's gradient, summed back to its elements (null: none). */
    private final double[][] folded;

    private Chunk(int start, int end, Layout layout) {
      this.start = start;
      this.end = end;
      this.layout = layout;
      this.arrays = layout.arrays;
      this.totals = new double[layout.summed.length];
      this.folded = new double[layout.folds.length][];
      for (int k = 0; k < folded.length; k++) {
        folded[k] = layout.folds[k] == null ? null : new double[layout.foldSizes[k]];
      }
    }

    /** Runs {@code body} over this chunk block by block: repeats before, sums after. */
    private Chunk run(Range body) {
      for (int from = start; from < end; from += BLOCK) {
        int to = Math.min(end, from + BLOCK);
        for (Repeat r : layout.repeats) {
          r.fill(from, to);
        }
        body.run(from, to, this);
        if (layout.rowTotals != null) {
          sumRows(from, to);
        }
        addBlockSums(from, to, body);
        for (int k = 0; k < folded.length; k++) {
          if (folded[k] != null) {
            layout.folds[k].fold(arrays[k], from, to, folded[k]);
          }
        }
      }
      return this;
    }

    /**
     * Adds the block's summed values to their totals: a whole block by {@link #blockSum}, whose float
     * partial sums may overflow where a double sum does not (or the block holds an infinity or a NaN);
     * then the body runs over the block again, storing the same values, and they are summed in double,
     * so an infinity or NaN comes out where a double sum gives one, and only there.
     */
    private void addBlockSums(int from, int to, Range body) {
      for (int s = 0; s < totals.length; s++) {
        if (!layout.summed[s]) {
          continue;
        }
        float[] v = layout.summedArray(s);
        boolean whole = to - from == BLOCK;
        double block = whole ? blockSum(v, from) : Reductions.sum(v, from, to);
        if (whole && !Double.isFinite(block)) {
          body.run(from, to, this); // blockSum overwrote the values: store them again
          block = Reductions.sum(v, from, to);
        }
        totals[s] += block;
      }
    }

    /** Adds the block's closing values to their rows' sums (a row may span blocks). */
    private void sumRows(int from, int to) {
      float[] v = sum();
      int n = layout.rowLength;
      for (int j = from; j < to; ) {
        int row = j / n;
        int rowEnd = Math.min(to, (row + 1) * n);
        layout.rowTotals[row] += Reductions.sum(v, j, rowEnd);
        j = rowEnd;
      }
    }

    /** Where a closing sum's element values go. */
    public float[] sum() {
      return arrays[arrays.length - 1];
    }

    /**
     * Where input {@code k}'s element gradients go: its gradient (a broadcast input's, before it is
     * summed back), or an array that is thrown away when the gradient is not needed.
     */
    public float[] gradient(int k) {
      return arrays[k];
    }
  }
}
