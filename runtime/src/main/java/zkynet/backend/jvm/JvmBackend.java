package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.DType;
import zkynet.backend.Backend;
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
    if (dtype == DType.FLOAT64) {
      return JvmStorage.of(data, shape);
    }
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return JvmStorage.of(f, shape);
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
    JvmStorage x = own(s);
    JvmStorage out = JvmStorage.zeros(x.dtype(), x.shape, x.size);
    boolean costly = op == Unary.EXP || op == Unary.LOG || op == Unary.TANH || op == Unary.SIGMOID;
    if (x.contiguous()) {
      if (Parallel.worthSplitting(x.size, costly ? Parallel.COSTLY : Parallel.CHEAP)) {
        Parallel.forRange(x.size, (from, to) -> unaryRun(op, x, x.offset + from, 1, out, from, to - from));
      } else {
        unaryRun(op, x, x.offset, 1, out, 0, x.size);
      }
      return out;
    }
    Walk w = new Walk(x.shape, new int[][] {x.strides(), Shapes.strides(x.shape)}, x.offset, 0);
    for (long r = 0; r < w.rows; r++) {
      unaryRun(op, x, w.off[0], w.innerStride[0], out, w.off[1], w.inner);
      w.next();
    }
    return out;
  }

  private static void unaryRun(Unary op, JvmStorage x, int xo, int sx, JvmStorage out, int oo, int n) {
    if (x.isFloat()) {
      F32.unary(op, x.f, xo, sx, out.f, oo, n);
    } else {
      F64.unary(op, x.d, xo, sx, out.d, oo, n);
    }
  }

  @Override public Storage binary(Binary op, Storage sa, Storage sb) {
    JvmStorage a = own(sa);
    JvmStorage b = own(sb);
    JvmStorage out = JvmStorage.zeros(a.dtype(), a.shape, a.size);
    if (a.contiguous() && b.contiguous()) {
      if (Parallel.worthSplitting(a.size, Parallel.CHEAP)) {
        Parallel.forRange(a.size, (from, to) ->
            binaryRun(op, a, a.offset + from, 1, b, b.offset + from, 1, out, from, to - from));
      } else {
        binaryRun(op, a, a.offset, 1, b, b.offset, 1, out, 0, a.size);
      }
      return out;
    }
    Walk w = new Walk(a.shape, new int[][] {a.strides(), b.strides(), Shapes.strides(a.shape)},
        a.offset, b.offset, 0);
    for (long r = 0; r < w.rows; r++) {
      binaryRun(op, a, w.off[0], w.innerStride[0], b, w.off[1], w.innerStride[1], out, w.off[2], w.inner);
      w.next();
    }
    return out;
  }

  private static void binaryRun(Binary op, JvmStorage a, int ao, int sa, JvmStorage b, int bo, int sb,
      JvmStorage out, int oo, int n) {
    if (a.isFloat()) {
      F32.binary(op, a.f, ao, sa, b.f, bo, sb, out.f, oo, n);
    } else {
      F64.binary(op, a.d, ao, sa, b.d, bo, sb, out.d, oo, n);
    }
  }

  @Override public Storage scalar(Scalar op, Storage s, double value) {
    JvmStorage x = contiguous(own(s));
    JvmStorage out = JvmStorage.zeros(x.dtype(), x.shape, x.size);
    int cost = op == Scalar.POW ? Parallel.COSTLY : Parallel.CHEAP;
    if (Parallel.worthSplitting(x.size, cost)) {
      Parallel.forRange(x.size, (from, to) -> scalarRun(op, x, x.offset + from, value, out, from, to - from));
    } else {
      scalarRun(op, x, x.offset, value, out, 0, x.size);
    }
    return out;
  }

  private static void scalarRun(Scalar op, JvmStorage x, int xo, double value, JvmStorage out, int oo, int n) {
    if (x.isFloat()) {
      F32.scalar(op, x.f, xo, (float) value, out.f, oo, n);
    } else {
      F64.scalar(op, x.d, xo, value, out.d, oo, n);
    }
  }

  @Override public Storage addInPlace(Storage accumulator, Storage s) {
    JvmStorage acc = own(accumulator);
    if (!acc.contiguous()) {
      return binary(Binary.ADD, acc, s);
    }
    JvmStorage x = own(s);
    Walk w = new Walk(acc.shape, new int[][] {acc.strides(), x.strides()}, acc.offset, x.offset);
    for (long r = 0; r < w.rows; r++) {
      binaryRun(Binary.ADD, acc, w.off[0], 1, x, w.off[1], w.innerStride[1], acc, w.off[0], w.inner);
      w.next();
    }
    return acc;
  }

  @Override public Storage where(Storage mask, Storage sa, Storage sb) {
    double[] m = read(mask);
    JvmStorage a = contiguous(own(sa));
    JvmStorage b = contiguous(own(sb));
    JvmStorage out = JvmStorage.zeros(a.dtype(), a.shape, a.size);
    for (int i = 0; i < m.length; i++) {
      boolean pick = m[i] != 0; // NaN != 0
      if (a.isFloat()) {
        out.f[i] = pick ? a.f[a.offset + i] : b.f[b.offset + i];
      } else {
        out.d[i] = pick ? a.d[a.offset + i] : b.d[b.offset + i];
      }
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
    int[] outShape = Shapes.without(x.shape, new int[] {axis});
    int len = x.shape[axis];
    int inner = (int) Shapes.size(Arrays.copyOfRange(x.shape, axis + 1, x.shape.length));
    int outSize = (int) Shapes.size(outShape);
    double[] v = read(x);
    double[] idx = new double[outSize];
    for (int o = 0; o < outSize; o++) {
      int base = (o / inner) * len * inner + o % inner;
      int best = 0;
      double bestValue = v[base];
      for (int i = 1; i < len && bestValue == bestValue; i++) { // the first NaN wins, as in numpy
        double value = v[base + i * inner];
        if (value > bestValue || value != value) {
          best = i;
          bestValue = value;
        }
      }
      idx[o] = best;
    }
    return create(idx, outShape, x.dtype());
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

  /** {@code x} itself if contiguous, else a contiguous copy. */
  static JvmStorage contiguous(JvmStorage x) {
    if (x.contiguous()) {
      return x;
    }
    JvmStorage out = JvmStorage.zeros(x.dtype(), x.shape, x.size);
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
