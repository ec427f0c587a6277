package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.DType;
import zkynet.backend.Backend;
import zkynet.backend.Gather;
import zkynet.backend.Shapes;
import zkynet.backend.Storage;

/**
 * The default backend: tensors on the Java heap ({@code float[]} for float32, {@code double[]} for
 * float64), row-major with an offset and strides so that reshape (of contiguous data), permute,
 * broadcastTo and slice are views that copy nothing. Kernels are plain Java loops (see {@link F32},
 * {@link F64}): contiguous operands take a flat loop that C2 vectorises, views a strided walk; large
 * kernels split across {@link Parallel}'s shared pool. Matrix products go to {@link
 * zkynet.backend.blas.Blas#gemm()}. Float32 transcendental functions use {@link FastMath}.
 */
public final class JvmBackend implements Backend {
  public static final JvmBackend INSTANCE = new JvmBackend();

  private JvmBackend() {}

  @Override public String name() {
    return "jvm";
  }

  // ------------------------------------------------------------------ creation and reading

  @Override public Storage create(double[] data, int[] shape, DType dtype) {
    return JvmStorage.of(data, shape, dtype);
  }

  @Override public Storage create(float[] data, int[] shape) {
    return JvmStorage.of(data, shape);
  }

  @Override public double[] read(Storage s) {
    JvmStorage x = contiguous(own(s));
    double[] out = new double[x.size];
    if (x.isFloat()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = x.f[x.offset + i];
      }
    } else {
      System.arraycopy(x.d, x.offset, out, 0, out.length);
    }
    return out;
  }

  @Override public double item(Storage s) {
    JvmStorage x = own(s);
    return x.isFloat() ? x.f[x.offset] : x.d[x.offset];
  }

  // ------------------------------------------------------------------ elementwise

  @Override public Storage unary(Unary op, Storage s) {
    JvmStorage x = dense(own(s));
    JvmStorage out = JvmStorage.uninitialized(x.dtype(), x.shape, x.size);
    split(x.size, cost(op), (from, to) -> unaryRun(op, x, out, from, to));
    return out;
  }

  private static int cost(Unary op) {
    return switch (op) {
      case EXP, LOG, SIGMOID, SIN, COS, LOG1P, EXPM1, ERF -> Parallel.COSTLY;
      case TANH -> Parallel.MEDIUM;
      default -> Parallel.CHEAP;
    };
  }

  private static void unaryRun(Unary op, JvmStorage x, JvmStorage out, int from, int to) {
    if (x.isFloat()) {
      F32.unary(op, x.f, out.f, from, to);
    } else {
      F64.unary(op, x.d, out.d, from, to);
    }
  }

  /**
   * Dense operands go straight to the kernel. A dense operand against one that is constant along the
   * innermost axis (e.g. {@code [n, m] - [n, 1]}) runs a scalar kernel per row; any other view is
   * first copied into dense form (see {@link F32} for why the kernels want that).
   */
  @Override public Storage binary(Binary op, Storage sa, Storage sb) {
    JvmStorage a = own(sa);
    JvmStorage b = own(sb);
    Storage oneElement = oneElementForm(op, a, b);
    if (oneElement != null) {
      return oneElement;
    }
    JvmStorage out = JvmStorage.uninitialized(a.dtype(), a.shape, a.size); // every path writes all
    boolean bothDense = a.dense() && b.dense();
    if (!bothDense && (a.dense() && rowScalars(op, false, a, b, out) || b.dense() && rowScalars(op, true, b, a, out))) {
      return out;
    }
    // One view against a dense operand (a bias row broadcast over a batch, say): the view is laid
    // out in the result's own array, and the kernel then reads and writes it at the same index.
    JvmStorage da = bothDense || a.dense() ? a : b.dense() ? copyInto(a, out) : dense(a);
    JvmStorage db = bothDense || b.dense() ? b : da == out ? dense(b) : copyInto(b, out);
    split(a.size, Parallel.CHEAP, (from, to) -> binaryRun(op, da, db, out, from, to));
    return out;
  }

  /**
   * When one operand is a single element broadcast to the whole shape (every stride 0: a rank-0
   * value such as the cotangent of a sum), the operation as a {@link #scalar} kernel of the other
   * (split across the pool like any scalar kernel); null when neither is, or the op has no scalar
   * form. A product with an exact 1 is the other operand itself, bit for bit ({@code 1 * x == x} for
   * every float, NaN, infinities and -0 included; storage is immutable, so sharing it is safe).
   */
  private Storage oneElementForm(Binary op, JvmStorage a, JvmStorage b) {
    boolean bOne = oneElement(b);
    boolean aOne = !bOne && oneElement(a);
    if (!aOne && !bOne) {
      return null;
    }
    JvmStorage x = bOne ? a : b;
    JvmStorage c = bOne ? b : a;
    Scalar form = op.scalarForm(aOne);
    if (form == null) {
      return null;
    }
    double value = c.isFloat() ? c.f[c.offset] : c.d[c.offset];
    if (form == Scalar.MUL && value == 1) {
      return x;
    }
    return scalar(form, x, value);
  }

  /** Whether {@code x} holds one element repeated over a shape of more than one (all strides 0). */
  private static boolean oneElement(JvmStorage x) {
    if (x.contiguous() || x.size <= 1) {
      return false;
    }
    for (int s : x.strides()) {
      if (s != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code out = x op y} (or {@code y op x} when {@code reversed}) as one scalar kernel per innermost
   * run when {@code y} is a view constant along that run; false (nothing done) otherwise.
   */
  private static boolean rowScalars(Binary op, boolean reversed, JvmStorage x, JvmStorage y, JvmStorage out) {
    Scalar form = op.scalarForm(reversed);
    if (y.contiguous() || form == null || x.size == 0) {
      return false;
    }
    Walk w = new Walk(y.shape, new int[][] {y.strides(), Shapes.strides(y.shape)}, y.offset, 0);
    if (w.innerStride[0] != 0) {
      return false;
    }
    for (long r = 0; r < w.rows; r++) {
      int from = w.off[1];
      if (x.isFloat()) {
        F32.scalar(form, x.f, y.f[w.off[0]], out.f, from, from + w.inner);
      } else {
        F64.scalar(form, x.d, y.d[w.off[0]], out.d, from, from + w.inner);
      }
      w.next();
    }
    return true;
  }

  private static void binaryRun(Binary op, JvmStorage a, JvmStorage b, JvmStorage out, int from, int to) {
    if (a.isFloat()) {
      F32.binary(op, a.f, b.f, out.f, from, to);
    } else {
      F64.binary(op, a.d, b.d, out.d, from, to);
    }
  }

  @Override public Storage scalar(Scalar op, Storage s, double value) {
    JvmStorage x = dense(own(s));
    JvmStorage out = JvmStorage.uninitialized(x.dtype(), x.shape, x.size);
    int cost = op == Scalar.POW ? Parallel.COSTLY : Parallel.CHEAP;
    split(x.size, cost, (from, to) -> scalarRun(op, x, value, out, from, to));
    return out;
  }

  private static void scalarRun(Scalar op, JvmStorage x, double value, JvmStorage out, int from, int to) {
    if (x.isFloat()) {
      F32.scalar(op, x.f, (float) value, out.f, from, to);
    } else {
      F64.scalar(op, x.d, value, out.d, from, to);
    }
  }

  @Override public Storage addInPlace(Storage accumulator, Storage s) {
    JvmStorage acc = own(accumulator);
    if (!acc.dense()) {
      return binary(Binary.ADD, acc, s);
    }
    JvmStorage x = dense(own(s));
    split(acc.size, Parallel.CHEAP, (from, to) -> binaryRun(Binary.ADD, acc, x, acc, from, to));
    return acc;
  }

  /** One pass, {@code a[i] - (float) s * b[i]} (no intermediate array; the same rounding as two kernels). */
  @Override public Storage subScaled(Storage sa, Storage sb, double s) {
    return onePass(sa, sb, (a, b, out, from, to) -> {
      if (a.isFloat()) {
        F32.subScaled(a.f, b.f, (float) s, out.f, from, to);
      } else {
        F64.subScaled(a.d, b.d, s, out.d, from, to);
      }
    });
  }

  /** One pass over dense operands, with no intermediate arrays (the same rounding as the kernels one by one). */
  @Override public Storage slope(Slope op, Storage sg, Storage sy) {
    return onePass(sg, sy, (g, y, out, from, to) -> {
      if (g.isFloat()) {
        F32.slope(op, g.f, y.f, out.f, from, to);
      } else {
        F64.slope(op, g.d, y.d, out.d, from, to);
      }
    });
  }

  /** A kernel of two dense operands of equal shape and dtype into a fresh result, over {@code [from, to)}. */
  private interface TwoOperands {
    void run(JvmStorage a, JvmStorage b, JvmStorage out, int from, int to);
  }

  /** {@code kernel} over dense forms of a and b into a fresh array of a's shape, split across the pool when that pays. */
  private static Storage onePass(Storage sa, Storage sb, TwoOperands kernel) {
    JvmStorage a = dense(own(sa));
    JvmStorage b = dense(own(sb));
    JvmStorage out = JvmStorage.uninitialized(a.dtype(), a.shape, a.size);
    split(a.size, Parallel.CHEAP, (from, to) -> kernel.run(a, b, out, from, to));
    return out;
  }

  /** One pass over the rows, no intermediate arrays (see {@link CrossEntropy}); views are copied first. */
  @Override public Storage softmaxCrossEntropy(Storage logits, int[] labels) {
    return CrossEntropy.loss(contiguous(own(logits)), labels);
  }

  /** One pass over the rows into one fresh array (see {@link CrossEntropy}); views are copied first. */
  @Override public Storage softmaxCrossEntropyGrad(Storage logits, int[] labels) {
    return CrossEntropy.grad(contiguous(own(logits)), labels);
  }

  /** Accumulated in double in one pass, with no array of squares (float32 squares cannot overflow). */
  @Override public double sumOfSquares(Storage s) {
    return Reductions.sumOfSquares(own(s));
  }

  /** One strided pass over all four arrays: no operand (a broadcast 0, say) is materialised. */
  @Override public Storage where(Storage mask, Storage sa, Storage sb) {
    JvmStorage m = own(mask);
    JvmStorage a = own(sa);
    JvmStorage b = own(sb);
    JvmStorage out = JvmStorage.zeros(a.dtype(), a.shape, a.size);
    if (out.size == 0) {
      return out;
    }
    Walk w = new Walk(a.shape, new int[][] {m.strides(), a.strides(), b.strides(), Shapes.strides(a.shape)},
        m.offset, a.offset, b.offset, 0);
    int[] s = w.innerStride;
    for (long r = 0; r < w.rows; r++) {
      for (int i = 0; i < w.inner; i++) {
        int mi = w.off[0] + i * s[0];
        boolean pick = m.isFloat() ? m.f[mi] != 0 : m.d[mi] != 0; // NaN != 0 picks a
        JvmStorage from = pick ? a : b;
        int fi = pick ? w.off[1] + i * s[1] : w.off[2] + i * s[2];
        if (out.isFloat()) {
          out.f[w.off[3] + i] = from.f[fi];
        } else {
          out.d[w.off[3] + i] = from.d[fi];
        }
      }
      w.next();
    }
    return out;
  }

  @Override public Storage cast(Storage s, DType dtype) {
    JvmStorage x = own(s);
    if (x.dtype() == dtype) {
      return x;
    }
    double[] values = read(x);
    return create(values, x.shape, dtype);
  }

  // ------------------------------------------------------------------ reductions

  @Override public Storage reduce(Reduce op, Storage s, int[] axes) {
    return Reductions.reduce(op, own(s), axes);
  }

  @Override public Storage argmax(Storage s, int axis) {
    JvmStorage x = own(s);
    return create(Gather.argmax(read(x), x.shape, axis), Shapes.without(x.shape, new int[] {axis}), x.dtype());
  }

  @Override public Storage take(Storage s, int axis, int[] indices) {
    return Indexing.take(own(s), axis, indices);
  }

  @Override public Storage indexAdd(Storage s, int axis, int[] indices, int size) {
    return Indexing.indexAdd(own(s), axis, indices, size);
  }

  // ------------------------------------------------------------------ shapes and views

  @Override public Storage reshape(Storage s, int[] shape) {
    JvmStorage x = contiguous(own(s));
    return x.view(shape.clone(), Shapes.strides(shape), x.offset);
  }

  @Override public Storage permute(Storage s, int[] axes) {
    JvmStorage x = own(s);
    return x.view(Shapes.permute(x.shape, axes), Shapes.permute(x.strides(), axes), x.offset);
  }

  @Override public Storage broadcastTo(Storage s, int[] shape) {
    JvmStorage x = own(s);
    int[] st = x.strides().clone();
    for (int i = 0; i < shape.length; i++) {
      if (x.shape[i] != shape[i]) {
        st[i] = 0;
      }
    }
    return x.view(shape.clone(), st, x.offset);
  }

  @Override public Storage slice(Storage s, int axis, int start, int end) {
    JvmStorage x = own(s);
    int[] shape = x.shape.clone();
    shape[axis] = end - start;
    int[] st = x.strides();
    return x.view(shape, st, x.offset + (end > start ? start * st[axis] : 0));
  }

  @Override public Storage concat(Storage sa, Storage sb, int axis) {
    JvmStorage a = own(sa);
    JvmStorage b = own(sb);
    int[] shape = a.shape.clone();
    shape[axis] += b.shape[axis];
    JvmStorage out = JvmStorage.zeros(a.dtype(), shape, Shapes.checkedSize("concat", shape));
    int[] st = Shapes.strides(shape);
    copy(a, out, st, 0);
    copy(b, out, st, a.shape[axis] * st[axis]);
    return out;
  }

  @Override public Storage matmul(Storage a, Storage b) {
    return MatMul.matmul(own(a), own(b));
  }

  // ------------------------------------------------------------------ helpers

  /** Runs {@code body} over {@code [0, n)}, split across the pool when that pays for this cost. */
  private static void split(int n, int cost, Parallel.Range body) {
    Parallel.split(n, cost, n, body);
  }

  /** {@code x} itself if dense (contiguous from index 0), else a dense copy. */
  static JvmStorage dense(JvmStorage x) {
    return x.dense() ? x : copyOf(x);
  }

  /** {@code x} itself if contiguous, else a contiguous copy. */
  static JvmStorage contiguous(JvmStorage x) {
    return x.contiguous() ? x : copyOf(x);
  }

  private static JvmStorage copyOf(JvmStorage x) {
    return copyInto(x, JvmStorage.uninitialized(x.dtype(), x.shape, x.size));
  }

  /** Copies {@code x} into {@code out} (dense, of x's shape and dtype) and returns {@code out}. */
  private static JvmStorage copyInto(JvmStorage x, JvmStorage out) {
    copy(x, out, Shapes.strides(x.shape), 0);
    return out;
  }

  /** Copies every element of {@code x} into {@code out}'s array laid out with {@code strides} from {@code offset}. */
  private static void copy(JvmStorage x, JvmStorage out, int[] strides, int offset) {
    if (x.size == 0) {
      return;
    }
    Walk w = new Walk(x.shape, new int[][] {x.strides(), strides}, x.offset, offset);
    for (long r = 0; r < w.rows; r++) {
      if (x.isFloat()) {
        F32.copy(x.f, w.off[0], w.innerStride[0], out.f, w.off[1], w.innerStride[1], w.inner);
      } else {
        F64.copy(x.d, w.off[0], w.innerStride[0], out.d, w.off[1], w.innerStride[1], w.inner);
      }
      w.next();
    }
  }

  private static JvmStorage own(Storage s) {
    if (s instanceof JvmStorage x) {
      return x;
    }
    throw new IllegalArgumentException("storage " + s + " does not belong to the jvm backend");
  }
}
