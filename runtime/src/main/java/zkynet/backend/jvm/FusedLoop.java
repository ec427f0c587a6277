package zkynet.backend.jvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import zkynet.Tensor;

/**
 * The plan of one fused loop: the operands' broadcast shape and its element count. The loop runs
 * over the output's elements, reading and writing every array at the same index: an operand with as
 * many elements as the output is read from its own dense array; a <em>broadcast</em> one (rank 0, or
 * a shape that is the output's trailing axes, such as a bias {@code [n]} against {@code [batch, n]})
 * from its elements repeated to the output's size, made once per plan. Measured on Zen 2 with Java 17
 * and 25: C2 vectorises a loop whose arrays share one index, and not one that reads some arrays at
 * another offset (a row of a broadcast operand: 0.4-0.5 ns per element against 0.12-0.18).
 *
 * <p>Values that are summed (a closing sum or mean, the gradient of a broadcast input) are stored
 * per element like any other result, then summed after the loop, per chunk, in double; chunks are
 * combined in index order, so the result does not depend on which thread finished first.
 */
public final class FusedLoop {
  /** The output shape. */
  private final int[] shape;

  /** The number of output elements. */
  public final int size;

  /** Broadcast operands' elements repeated to {@link #size}, made once. */
  private final Map<Tensor, float[]> expanded = new IdentityHashMap<>();

  private FusedLoop(int[] shape, int size) {
    this.shape = shape;
    this.size = size;
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
    for (Tensor t : operands) {
      if (t.size() != size && !trailing(t.shape(), shape)) {
        return null;
      }
    }
    return new FusedLoop(shape, (int) size);
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

  /** The elements of operand {@code t}, {@link #size} of them: its dense array, or its elements repeated. */
  public float[] floats(Tensor t) {
    float[] data = Fused.floats(t);
    if (data.length == size) {
      return data;
    }
    synchronized (expanded) {
      return expanded.computeIfAbsent(t, k -> repeat(data));
    }
  }

  private float[] repeat(float[] data) {
    float[] out = new float[size];
    if (data.length == 1) {
      java.util.Arrays.fill(out, data[0]);
    } else {
      for (int j = 0; j < size; j += data.length) {
        System.arraycopy(data, 0, out, j, data.length);
      }
    }
    return out;
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
    return Tensor.wrap(new float[] {(float) run(cost, body, new Tensor[0], new boolean[0], true).total});
  }

  /** Runs a body that stores into {@link Chunk#sum()}: their mean (NaN for no elements), as a float32 scalar tensor. */
  public Tensor mean(int cost, Range body) {
    double total = run(cost, body, new Tensor[0], new boolean[0], true).total;
    return Tensor.wrap(new float[] {(float) (total / size)});
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
      out[k] = Tensor.wrap(in.size() == size ? g : fold(g, (int) in.size()), in.shape());
    }
    return out;
  }

  /** Per-element values {@code g} summed back to {@code m} elements (element j of every block of m). */
  private float[] fold(float[] g, int m) {
    if (m == 1) {
      return new float[] {(float) sum(g, 0, size)};
    }
    double[] lanes = new double[m];
    for (int start = 0; start < size; start += m) {
      for (int j = 0; j < m; j++) {
        lanes[j] += g[start + j];
      }
    }
    float[] out = new float[m];
    for (int j = 0; j < m; j++) {
      out[j] = (float) lanes[j];
    }
    return out;
  }

  /** The sum of {@code v[from, to)} in double, in four independent partial sums (not one dependent chain). */
  private static double sum(float[] v, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = from;
    for (; i + 4 <= to; i += 4) {
      s0 += v[i];
      s1 += v[i + 1];
      s2 += v[i + 2];
      s3 += v[i + 3];
    }
    for (; i < to; i++) {
      s0 += v[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private Chunk run(int cost, Range body, Tensor[] inputs, boolean[] needed, boolean sum) {
    float[][] arrays = new float[inputs.length + 1][];
    float[] discard = null;
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k] == null) {
        continue;
      }
      if (needed[k]) {
        arrays[k] = new float[size];
      } else {
        discard = discard == null ? new float[size] : discard; // stored into, never read
        arrays[k] = discard;
      }
    }
    arrays[inputs.length] = sum ? new float[size] : null;
    if (!Parallel.worthSplitting(size, cost)) {
      Chunk c = new Chunk(0, size, arrays);
      body.run(0, size, c);
      return c.done();
    }
    List<Chunk> chunks = new ArrayList<>();
    Parallel.forRange(size, (start, end) -> {
      Chunk c = new Chunk(start, end, arrays);
      body.run(start, end, c);
      c.done();
      synchronized (chunks) {
        chunks.add(c);
      }
    });
    chunks.sort(Comparator.comparingInt(c -> c.start));
    Chunk first = chunks.get(0);
    for (int i = 1; i < chunks.size(); i++) {
      first.total += chunks.get(i).total;
    }
    return first;
  }

  /**
   * The arrays one chunk of elements stores into, each of {@link FusedLoop#size} elements and shared
   * by all chunks (each writes its own range): a closing sum's values ({@link #sum()}) and each
   * input's gradient ({@link #gradient}).
   */
  public static final class Chunk {
    private final int start;
    private final int end;
    private final float[][] arrays;
    private double total;

    private Chunk(int start, int end, float[][] arrays) {
      this.start = start;
      this.end = end;
      this.arrays = arrays;
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

    /** Sums this chunk's values of a closing sum. */
    private Chunk done() {
      total = sum() == null ? 0 : FusedLoop.sum(sum(), start, end);
      return this;
    }
  }
}
