package zkynet.backend.jvm;

import java.util.Arrays;

/**
 * Where a fused loop's element reads an operand that broadcasts to the loop's shape (numpy's rule:
 * missing leading axes, and size-1 axes anywhere, are repeated). The loop's axes of one element are
 * dropped, and adjacent axes that the operand both repeats or both advances along are merged, so
 * {@code [b, 1]} against {@code [b, n]} is two axes (b advancing, n repeated), a bias {@code [n]}
 * against {@code [b, m, n]} two (b m repeated, n advancing), {@code [b, 1, n]} against {@code [b, m,
 * n]} three. The loop's flat index then runs through the innermost merged axis in <em>runs</em>: a
 * run of the operand's consecutive elements (copied) or of one element (filled), at an operand offset
 * that the outer axes give.
 *
 * <p>This gives the operand's elements repeated to the loop's elements ({@link #fill}), and sums the
 * loop's per-element values back to the operand's elements ({@link #fold}), block by block.
 */
final class Broadcast {
  /** The merged axes' extents in the loop, outermost first (none for a loop of one element). */
  private final int[] extents;

  /** The operand's stride along each merged axis: 0 where it is repeated. */
  private final int[] strides;

  /** The innermost merged axis' extent: the length of a run. */
  private final int run;

  /** Whether the operand is repeated along the innermost merged axis (a run is one element). */
  private final boolean repeatsInner;

  private Broadcast(int[] extents, int[] strides) {
    this.extents = extents;
    this.strides = strides;
    int last = extents.length - 1;
    this.run = last < 0 ? 1 : extents[last];
    this.repeatsInner = last < 0 || strides[last] == 0;
  }

  /** The map of an operand of shape {@code operand}, which broadcasts to {@code loop}. */
  static Broadcast of(int[] operand, int[] loop) {
    int r = loop.length;
    int[] extents = new int[r];
    boolean[] repeated = new boolean[r];
    int n = 0;
    for (int a = 0; a < r; a++) {
      if (loop[a] == 1) {
        continue;
      }
      int o = a - (r - operand.length);
      boolean rep = o < 0 || operand[o] == 1;
      if (n > 0 && repeated[n - 1] == rep) {
        extents[n - 1] *= loop[a]; // no overflow: the loop has at most Integer.MAX_VALUE elements
      } else {
        extents[n] = loop[a];
        repeated[n] = rep;
        n++;
      }
    }
    int[] strides = new int[n];
    int stride = 1;
    for (int a = n - 1; a >= 0; a--) {
      strides[a] = repeated[a] ? 0 : stride;
      stride = repeated[a] ? stride : stride * extents[a];
    }
    return new Broadcast(Arrays.copyOf(extents, n), strides);
  }

  /** The operand offset of the run holding loop element {@code j} (its first element). */
  private int offset(int j) {
    int q = j / run;
    int off = 0;
    for (int a = extents.length - 2; a >= 0 && q > 0; a--) {
      off += (q % extents[a]) * strides[a];
      q /= extents[a];
    }
    return off;
  }

  /**
   * Loop elements {@code [from, to)} of {@code into}: the operand's elements {@code data} at each,
   * divided by {@code divisor} (1: as they are; a row's count for a mean's cotangent).
   */
  void fill(float[] data, float[] into, int from, int to, int divisor) {
    for (int j = from; j < to; ) {
      int inRun = j % run;
      int end = Math.min(to, j - inRun + run);
      int off = offset(j);
      if (repeatsInner) {
        Arrays.fill(into, j, end, data[off] / divisor);
      } else if (divisor == 1) {
        System.arraycopy(data, off + inRun, into, j, end - j);
      } else {
        for (int t = j; t < end; t++) {
          into[t] = data[off + inRun + t - j] / divisor;
        }
      }
      j = end;
    }
  }

  /**
   * Adds the loop's per-element values {@code v[from, to)} to the operand's elements they were
   * repeated from, {@code sums} (in double): a run of one element's repeats summed first.
   */
  void fold(float[] v, int from, int to, double[] sums) {
    for (int j = from; j < to; ) {
      int inRun = j % run;
      int end = Math.min(to, j - inRun + run);
      int off = offset(j);
      if (repeatsInner) {
        sums[off] += Reductions.sum(v, j, end);
      } else {
        int base = off + inRun - j;
        for (int t = j; t < end; t++) {
          sums[base + t] += v[t];
        }
      }
      j = end;
    }
  }
}
