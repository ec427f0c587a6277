package zkynet.backend;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;
import zkynet.DType;

/**
 * The ND4J backend: storage is an {@link INDArray} of dtype FLOAT or DOUBLE that nothing mutates
 * (every kernel allocates its result). ND4J loads OpenBLAS when its {@code Nd4j} class initialises,
 * so the static initialiser below first runs {@link OpenBlasTuning}, before any ND4J class is used.
 */
public final class Nd4jBackend implements Backend {
  static {
    OpenBlasTuning.apply(); // must stay first: before any Nd4j class initialises
  }

  public static final Nd4jBackend INSTANCE = new Nd4jBackend();

  /**
   * The most axes ND4J's native code handles (libnd4j's {@code MAX_RANK}). Past it, reductions and
   * broadcasts overflow a fixed-size buffer and abort the JVM ({@code *** buffer overflow detected
   * ***}), so every kernel checks the ranks of its inputs and result first.
   */
  public static final int MAX_RANK = 32;

  private Nd4jBackend() {}

  /** An ND4J array with the shape and dtype zkynet sees (ND4J may differ, e.g. [1] for []). */
  private static final class Nd4jStorage implements Storage {
    final INDArray array;
    final int[] shape;
    final DType dtype;

    Nd4jStorage(INDArray array, int[] shape, DType dtype) {
      this.array = array;
      this.shape = shape;
      this.dtype = dtype;
    }

    @Override public Backend backend() {
      return INSTANCE;
    }

    @Override public int[] shape() {
      return shape;
    }

    @Override public DType dtype() {
      return dtype;
    }

    @Override public String toString() {
      return "nd4j" + Arrays.toString(shape) + " " + dtype;
    }
  }

  @Override public String name() {
    return "nd4j";
  }

  // ------------------------------------------------------------------ interop with INDArray

  /** A storage holding a copy of {@code array}; FLOAT and DOUBLE are kept, other dtypes become FLOAT. */
  public Storage copyOf(INDArray array) {
    DataType dt = array.dataType();
    if (array.rank() > MAX_RANK) {
      throw new BackendLimitException("nd4j", "copyOf(INDArray)", "on an INDArray of shape "
          + Arrays.toString(array.shape()) + " (rank " + array.rank() + ")", MAX_RANK,
          "ND4J's native code handles at most " + MAX_RANK + " axes");
    }
    INDArray copy = dt == DataType.FLOAT || dt == DataType.DOUBLE ? array.dup('c') : array.castTo(DataType.FLOAT);
    return wrap(copy);
  }

  /** A copy of {@code x} as an INDArray (x must belong to this backend). */
  public INDArray toINDArray(Storage x) {
    return array(x).dup('c');
  }

  // ------------------------------------------------------------------ kernels

  @Override public Storage create(double[] data, int[] shape, DType dtype) {
    checkRank("create", dtype, shape);
    long[] lshape = longs(shape);
    DataType dt = nd4j(dtype);
    INDArray arr;
    if (data.length == 0) {
      arr = Nd4j.create(dt, lshape);
    } else if (shape.length == 0) {
      arr = Nd4j.scalar(dt, data[0]);
    } else if (dtype == DType.FLOAT32) {
      float[] f = new float[data.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) data[i];
      }
      arr = Nd4j.create(f, lshape, dt);
    } else {
      arr = Nd4j.create(data, lshape, dt);
    }
    return new Nd4jStorage(arr, shape.clone(), dtype);
  }

  @Override public double[] read(Storage x) {
    INDArray arr = array(x);
    long n = arr.length();
    if (n == 0 || arr.isEmpty()) {
      return new double[0];
    }
    if (n == 1) {
      return new double[] {arr.getDouble(0L)};
    }
    INDArray c = arr.isView() || arr.ordering() != 'c' || arr.data().length() != n ? arr.dup('c') : arr;
    return c.data().asDouble();
  }

  @Override public Storage unary(Unary op, Storage x) {
    checkRank("unary " + op, x, x.shape());
    if (Shapes.size(x.shape()) == 0) {
      return empty(x.shape(), x.dtype());
    }
    INDArray a = array(x);
    INDArray r = switch (op) {
      case NEG -> Transforms.neg(a, true);
      case EXP -> Transforms.exp(a, true);
      case LOG -> Transforms.log(a, true);
      case SQRT -> Transforms.sqrt(a, true);
      case TANH -> Transforms.tanh(a, true);
      case SIGMOID -> Transforms.sigmoid(a, true);
      case RELU -> Transforms.relu(a, true);
      case ABS -> Transforms.abs(a, true);
      case SIGN -> propagateNaN(Transforms.sign(a, true), a, null); // ND4J: sign(NaN) = 0
      case SIN -> Transforms.sin(a, true);
      case COS -> Transforms.cos(a, true);
      // ND4J has no erf in Transforms, and its log1p and expm1 are log(1 + x) and exp(x) - 1 (1e-9
      // gives 1.00000008e-9): these three run as float64 Java loops instead.
      case LOG1P, EXPM1, ERF -> null;
    };
    if (r == null) {
      double[] v = read(x);
      for (int i = 0; i < v.length; i++) {
        v[i] = op == Unary.ERF ? Erf.erf(v[i]) : op == Unary.LOG1P ? Math.log1p(v[i]) : Math.expm1(v[i]);
      }
      return create(v, x.shape(), x.dtype());
    }
    return same(r, x);
  }

  @Override public Storage binary(Binary op, Storage x, Storage y) {
    checkRank("binary " + op, x, y.shape());
    if (Shapes.size(x.shape()) == 0) {
      return empty(x.shape(), x.dtype());
    }
    INDArray a = array(x);
    INDArray b = array(y);
    DataType dt = a.dataType();
    INDArray r = switch (op) {
      case ADD -> a.add(b);
      case SUB -> a.sub(b);
      case MUL -> a.mul(b);
      case DIV -> a.div(b);
      case MAXIMUM -> propagateNaN(Transforms.max(a, b, true), a, b); // ND4J: max(NaN, 1) = 1
      case MINIMUM -> propagateNaN(Transforms.min(a, b, true), a, b);
      case GT -> a.gt(b).castTo(dt);
      case GE -> Nd4j.exec(new GreaterThanOrEqual(a, b))[0].castTo(dt);
      case EQ -> a.eq(b).castTo(dt);
      case NE -> a.neq(b).castTo(dt).addi(a.isNaN().castTo(dt)).addi(b.isNaN().castTo(dt)).gt(0).castTo(dt);
      case POW -> Transforms.pow(a, b, true);
    };
    return same(r, x);
  }

  @Override public Storage scalar(Scalar op, Storage x, double s) {
    checkRank("scalar " + op, x, x.shape());
    if (Shapes.size(x.shape()) == 0) {
      return empty(x.shape(), x.dtype());
    }
    INDArray a = array(x);
    DataType dt = a.dataType();
    if (Double.isNaN(s)) { // ND4J's scalar ops turn a NaN operand into 1e-5; numpy propagates it
      boolean comparison = op == Scalar.GT || op == Scalar.GE || op == Scalar.LT || op == Scalar.LE;
      double value = op == Scalar.NE ? 1.0 : comparison ? 0.0 : Double.NaN;
      return same(Nd4j.valueArrayOf(a.shape(), value, dt), x);
    }
    Double v = s;
    INDArray r = switch (op) {
      case ADD -> a.add(v);
      case SUB -> a.sub(v);
      case RSUB -> a.rsub(v);
      case MUL -> a.mul(v);
      case DIV -> a.div(v);
      case RDIV -> a.rdiv(v);
      case POW -> Transforms.pow(a, v, true);
      case GT -> a.gt(v).castTo(dt);
      case GE -> a.gte(v).castTo(dt);
      case LT -> a.lt(v).castTo(dt);
      case LE -> a.lte(v).castTo(dt);
      case NE -> a.neq(v).castTo(dt).addi(a.isNaN().castTo(dt)).gt(0).castTo(dt); // NaN != s
      case MAX -> propagateNaN(Transforms.max(a, v, true), a, null);
      case MIN -> propagateNaN(Transforms.min(a, v, true), a, null);
    };
    return same(r, x);
  }

  @Override public Storage reduce(Reduce op, Storage x, int[] axes) {
    int[] shape = x.shape();
    int[] out = Shapes.without(shape, axes);
    checkRank("reduce " + op, x, out);
    if (Shapes.size(shape) == 0) { // numpy: the sum of nothing is 0, its mean NaN
      return Shapes.size(out) == 0 ? empty(out, x.dtype())
          : create(filled(Shapes.size(out), op == Reduce.MEAN ? Double.NaN : 0.0), out, x.dtype());
    }
    INDArray a = array(x);
    INDArray r = switch (op) {
      case SUM -> a.sum(axes);
      case MEAN -> a.mean(axes);
      case MAX -> a.max(axes);
      case MIN -> a.min(axes);
    };
    if ((op == Reduce.MAX || op == Reduce.MIN) && hasNaN(a)) { // ND4J skips NaN; numpy propagates it
      INDArray nanCount = a.isNaN().castTo(a.dataType()).sum(axes);
      r = select(shaped(nanCount, out).gt(0.0), Nd4j.valueArrayOf(longs(out), Double.NaN, a.dataType()),
          shaped(r, out));
    }
    return new Nd4jStorage(shaped(r, out), out, x.dtype());
  }

  @Override public Storage reshape(Storage x, int[] shape) {
    checkRank("reshape", x, shape);
    INDArray a = array(x);
    INDArray r = a.length() == 0 ? Nd4j.create(a.dataType(), longs(shape)) : a.reshape('c', longs(shape));
    return new Nd4jStorage(r, shape.clone(), x.dtype());
  }

  @Override public Storage permute(Storage x, int[] axes) {
    checkRank("permute", x, x.shape());
    int[] shape = x.shape();
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = shape[axes[i]];
    }
    INDArray a = array(x);
    INDArray r = a.length() == 0 ? Nd4j.create(a.dataType(), longs(out)) : a.permute(axes).dup('c');
    return new Nd4jStorage(r, out, x.dtype());
  }

  @Override public Storage broadcastTo(Storage x, int[] shape) {
    checkRank("broadcastTo", x, shape);
    if (Arrays.equals(x.shape(), shape)) {
      return x;
    }
    INDArray a = array(x);
    long size = 1;
    for (int d : shape) {
      size *= d;
    }
    INDArray r = size == 0 ? Nd4j.create(a.dataType(), longs(shape)) : a.broadcast(longs(shape));
    return new Nd4jStorage(r, shape.clone(), x.dtype());
  }

  @Override public Storage slice(Storage x, int axis, int start, int end) {
    checkRank("slice", x, x.shape());
    int[] out = x.shape().clone();
    out[axis] = end - start;
    INDArray a = array(x);
    INDArray r;
    if (Shapes.size(out) == 0) {
      r = Nd4j.create(a.dataType(), longs(out));
    } else {
      INDArrayIndex[] index = new INDArrayIndex[out.length];
      for (int i = 0; i < index.length; i++) {
        index[i] = i == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
      }
      r = shaped(a.get(index).dup('c'), out);
    }
    return new Nd4jStorage(r, out, x.dtype());
  }

  @Override public Storage concat(Storage x, Storage y, int axis) {
    checkRank("concat", x, y.shape());
    int[] out = x.shape().clone();
    out[axis] += y.shape()[axis];
    INDArray a = array(x);
    INDArray b = array(y);
    INDArray r;
    if (a.length() == 0 || b.length() == 0) {
      r = a.length() == 0 ? b.dup('c') : a.dup('c');
      if (Shapes.size(out) == 0) {
        r = Nd4j.create(a.dataType(), longs(out));
      }
    } else {
      r = Nd4j.concat(axis, a, b);
    }
    return new Nd4jStorage(shaped(r, out), out, x.dtype());
  }

  @Override public Storage matmul(Storage x, Storage y) {
    checkRank("matmul", x, y.shape());
    int[] as = x.shape();
    int[] bs = y.shape();
    int rank = as.length;
    int m = as[rank - 2];
    int k = as[rank - 1];
    int n = bs[rank - 1];
    int[] out = as.clone();
    out[rank - 1] = n;
    INDArray a = array(x);
    INDArray b = array(y);
    DataType dt = a.dataType();
    INDArray r;
    if (Shapes.size(out) == 0) {
      r = Nd4j.create(dt, longs(out));
    } else if (k == 0) {
      r = Nd4j.zeros(dt, longs(out));
    } else if (rank == 2) {
      r = a.mmul(b);
    } else {
      long batch = Shapes.size(out) / ((long) m * n);
      INDArray a3 = a.reshape('c', batch, m, k);
      INDArray b3 = b.reshape('c', batch, k, n);
      r = Nd4j.matmul(a3, b3).reshape('c', longs(out));
    }
    return new Nd4jStorage(shaped(r, out), out, x.dtype());
  }

  @Override public Storage where(Storage mask, Storage x, Storage y) {
    checkRank("where", x, y.shape());
    if (Shapes.size(x.shape()) == 0) {
      return empty(x.shape(), x.dtype());
    }
    INDArray condition = array(mask).neq(0.0); // NaN != 0 holds, so NaN selects x
    return same(select(condition, array(x), array(y)), x);
  }

  @Override public Storage cast(Storage x, DType dtype) {
    if (x.dtype() == dtype) {
      return x;
    }
    checkRank("cast", x, x.shape());
    if (Shapes.size(x.shape()) == 0) {
      return empty(x.shape(), dtype);
    }
    return new Nd4jStorage(array(x).castTo(nd4j(dtype)), x.shape().clone(), dtype);
  }

  @Override public Storage argmax(Storage x, int axis) {
    int[] out = Shapes.without(x.shape(), new int[] {axis});
    checkRank("argmax", x, out);
    if (Shapes.size(out) == 0) {
      return empty(out, x.dtype());
    }
    if (x.shape()[axis] == 0) {
      throw new IllegalArgumentException("argmax: cannot take the index of the maximum over empty "
          + "axis " + axis + " of shape " + Arrays.toString(x.shape()));
    }
    INDArray a = array(x);
    if (hasNaN(a)) { // ND4J's argMax skips NaN; numpy's takes the first NaN
      return create(Gather.argmax(read(x), x.shape(), axis), out, x.dtype());
    }
    INDArray r = Nd4j.argMax(a, axis).castTo(a.dataType());
    return new Nd4jStorage(shaped(r, out), out, x.dtype());
  }

  // ------------------------------------------------------------------ limits and empty tensors

  /** A {@link BackendLimitException} unless every shape has at most {@link #MAX_RANK} axes. */
  private static void checkRank(String operation, DType dtype, int[]... shapes) {
    for (int[] shape : shapes) {
      if (shape.length > MAX_RANK) {
        StringBuilder all = new StringBuilder();
        for (int[] s : shapes) {
          all.append(all.length() == 0 ? "" : ", ").append(BackendLimitException.tensor(dtype, s));
        }
        throw new BackendLimitException("nd4j", operation, "on " + all, MAX_RANK,
            "ND4J's native code handles at most " + MAX_RANK + " axes and aborts the JVM past them; "
            + "use fewer axes or another backend (-D" + Backends.PROPERTY + "=..., registered: "
            + Backends.names() + ")");
      }
    }
  }

  private static void checkRank(String operation, Storage x, int[] out) {
    checkRank(operation, x.dtype(), x.shape(), out);
  }

  /** An empty result (numpy: elementwise functions of empty arrays are empty arrays). */
  private static Storage empty(int[] shape, DType dtype) {
    return new Nd4jStorage(Nd4j.create(nd4j(dtype), longs(shape)), shape.clone(), dtype);
  }

  // ------------------------------------------------------------------ helpers

  private static INDArray array(Storage x) {
    if (!(x instanceof Nd4jStorage s)) {
      throw new IllegalArgumentException("storage " + x + " does not belong to the nd4j backend");
    }
    return s.array;
  }

  /** A result with the shape and dtype of {@code like}. */
  private static Storage same(INDArray r, Storage like) {
    return new Nd4jStorage(shaped(r, like.shape()), like.shape().clone(), like.dtype());
  }

  private static Nd4jStorage wrap(INDArray arr) {
    long[] ls = arr.shape();
    int[] shape = new int[ls.length];
    for (int i = 0; i < ls.length; i++) {
      shape[i] = Math.toIntExact(ls[i]);
    }
    DType dtype = switch (arr.dataType()) {
      case FLOAT -> DType.FLOAT32;
      case DOUBLE -> DType.FLOAT64;
      default -> throw new IllegalArgumentException("unsupported ND4J dtype " + arr.dataType());
    };
    return new Nd4jStorage(arr, shape, dtype);
  }

  /** {@code r} with exactly {@code shape} (ND4J sometimes returns [1] or [1, n] for [] or [n]). */
  private static INDArray shaped(INDArray r, int[] shape) {
    long[] want = longs(shape);
    if (Arrays.equals(r.shape(), want)) {
      return r;
    }
    return r.reshape('c', want);
  }

  private static INDArray select(INDArray condition, INDArray a, INDArray b) {
    INDArray out = Nd4j.createUninitialized(a.dataType(), a.shape());
    Nd4j.exec(new Select(new INDArray[] {condition, a, b}, new INDArray[] {out}));
    return out;
  }

  private static boolean hasNaN(INDArray a) {
    return a.length() > 0 && BooleanIndexing.or(a, Conditions.isNan());
  }

  /** {@code r}, with NaN wherever {@code a} (or {@code b}, if given) is NaN. */
  private static INDArray propagateNaN(INDArray r, INDArray a, INDArray b) {
    if (hasNaN(a)) {
      r = select(a.isNaN(), a, r);
    }
    if (b != null && hasNaN(b)) {
      r = select(b.isNaN(), b, r);
    }
    return r;
  }

  private static double[] filled(long n, double value) {
    double[] d = new double[Math.toIntExact(n)];
    Arrays.fill(d, value);
    return d;
  }

  private static long[] longs(int[] shape) {
    long[] l = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      l[i] = shape[i];
    }
    return l;
  }

  private static DataType nd4j(DType dtype) {
    return dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
  }
}
