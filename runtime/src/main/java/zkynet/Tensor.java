package zkynet;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import zkynet.autodiff.Constant;
import zkynet.autodiff.Primitive;
import zkynet.backend.Backend;
import zkynet.backend.Backends;
import zkynet.backend.Nd4jInterop;
import zkynet.backend.Shapes;
import zkynet.backend.Storage;
import zkynet.backend.TensorFormat;

/**
 * An immutable n-dimensional array of floats (float32 by default, float64 on request) with numpy
 * broadcasting and numpy {@code matmul} semantics. Storage belongs to a backend (the JVM backend by
 * default, ND4J on request) behind {@link zkynet.backend.Backend}; nothing here exposes it. ND4J
 * interop ({@code INDArray} in and out) is in {@link zkynet.backend.Nd4jInterop}.
 *
 * <p>Methods marked {@link Primitive} are differentiable: {@link zkynet.autodiff.Rules} holds their
 * derivative rules. Methods marked {@link Constant} return values that carry no gradient. Mixing
 * dtypes in one operation is an error, never a silent cast.
 *
 * <p>This class checks arguments and does numpy's semantics (broadcasting, matmul's vector and batch
 * cases) with the shape logic of {@link Shapes}; the backend only runs kernels on already-valid
 * arguments.
 */
public final class Tensor {
  private final Storage storage;
  private final int[] shape;
  private final DType dtype;

  private Tensor(Storage storage) {
    this.storage = storage;
    this.shape = storage.shape();
    this.dtype = storage.dtype();
  }

  // ---------------------------------------------------------------- creation

  /** A rank-0 float32 tensor. */
  public static Tensor of(double value) {
    return of(value, DType.FLOAT32);
  }

  /** A rank-0 tensor of the given dtype. */
  public static Tensor of(double value, DType dtype) {
    if (dtype == DType.FLOAT32) {
      return new Tensor(Backends.current().create(new float[] {(float) value}, Shapes.scalar()));
    }
    return make(new double[] {value}, dtype, Shapes.scalar());
  }

  /** A rank-1 float32 tensor. */
  public static Tensor of(double... values) {
    return make(values.clone(), DType.FLOAT32, new int[] {values.length});
  }

  /** A rank-2 float32 tensor; rows must have equal lengths. */
  public static Tensor of(double[][] values) {
    return fromArray("Tensor.of", values);
  }

  /** A rank-3 float32 tensor. */
  public static Tensor of(double[][][] values) {
    return fromArray("Tensor.of", values);
  }

  /** A rank-1 float32 tensor. */
  public static Tensor of(float... values) {
    return new Tensor(Backends.current().create(values.clone(), new int[] {values.length}));
  }

  /** A rank-2 float32 tensor. */
  public static Tensor of(float[][] values) {
    return fromArray("Tensor.of", values);
  }

  /** A tensor of the given dtype and shape from row-major data; data.length must equal the product of shape. */
  public static Tensor of(double[] data, DType dtype, int... shape) {
    long size = Shapes.checkedSize("Tensor.of", shape);
    if (size != data.length) {
      throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape "
          + str(shape) + " (" + size + " elements)");
    }
    return make(data.clone(), dtype, shape.clone());
  }

  /**
   * A float32 tensor of the given shape from row-major data (kept, not copied: the caller must not
   * modify {@code data} afterwards); data.length must equal the product of shape.
   */
  public static Tensor wrap(float[] data, int... shape) {
    long size = Shapes.checkedSize("Tensor.wrap", shape);
    if (size != data.length) {
      throw new IllegalArgumentException("Tensor.wrap: " + data.length + " values do not fill shape "
          + str(shape) + " (" + size + " elements)");
    }
    return new Tensor(Backends.current().create(data, shape.clone()));
  }

  /**
   * Converts a Java value: a {@code Tensor} (returned as is), an {@code INDArray} (when ND4J is on the
   * classpath; see {@link Nd4jInterop}), a {@code Number}, or a (nested) array of double/float/int/long.
   * Integers become float32. Anything else is an {@link IllegalArgumentException} naming the type.
   */
  public static Tensor from(Object value) {
    if (value instanceof Tensor t) {
      return t;
    }
    if (value == null) {
      throw new IllegalArgumentException("Tensor.from: cannot convert null to a Tensor");
    }
    if (value instanceof Number n) {
      return of(n.doubleValue());
    }
    if (value.getClass().isArray()) {
      return fromArray("Tensor.from", value);
    }
    if (Nd4jInterop.isNd4jValue(value)) {
      return Nd4jInterop.fromObject(value);
    }
    throw new IllegalArgumentException("Tensor.from: cannot convert a " + value.getClass().getName()
        + " to a Tensor; expected a Tensor, INDArray, Number, or a (nested) array of double, float, int"
        + " or long");
  }

  public static Tensor zeros(DType dtype, int... shape) {
    return full(0, dtype, shape);
  }

  public static Tensor ones(DType dtype, int... shape) {
    return full(1, dtype, shape);
  }

  public static Tensor full(double value, DType dtype, int... shape) {
    if (dtype == DType.FLOAT32) {
      float[] data = new float[Shapes.checkedSize("full", shape)];
      Arrays.fill(data, (float) value);
      return new Tensor(Backends.current().create(data, shape.clone()));
    }
    double[] data = new double[Shapes.checkedSize("full", shape)];
    Arrays.fill(data, value);
    return make(data, dtype, shape.clone());
  }

  /** Standard normal samples from {@code rng} (reproducible for a seeded Random). */
  public static Tensor randn(Random rng, DType dtype, int... shape) {
    double[] data = new double[Shapes.checkedSize("randn", shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = rng.nextGaussian();
    }
    return make(data, dtype, shape.clone());
  }

  /** Uniform samples in [low, high) from {@code rng}. */
  public static Tensor uniform(Random rng, double low, double high, DType dtype, int... shape) {
    if (!(low < high)) {
      throw new IllegalArgumentException("uniform: need low < high, got low=" + low + " high=" + high);
    }
    double[] data = new double[Shapes.checkedSize("uniform", shape)];
    for (int i = 0; i < data.length; i++) {
      double v = low + (high - low) * rng.nextDouble();
      if (dtype == DType.FLOAT32 && (float) v >= high) { // rounding to float must not reach high
        v = Math.nextDown((float) high);
      }
      data[i] = Math.min(v, Math.nextDown(high));
    }
    return make(data, dtype, shape.clone());
  }

  /** One-hot rows: result shape [labels.length, classes]. Labels out of range are an error naming the index. */
  public static Tensor oneHot(int[] labels, int classes, DType dtype) {
    checkLabels(labels, classes);
    double[] data = new double[Math.multiplyExact(labels.length, classes)];
    for (int i = 0; i < labels.length; i++) {
      data[i * classes + labels[i]] = 1;
    }
    return make(data, dtype, new int[] {labels.length, classes});
  }

  /** Checks that {@code classes} is positive and every label is in {@code [0, classes)}, naming the first that is not. */
  private static void checkLabels(int[] labels, int classes) {
    if (classes <= 0) {
      throw new IllegalArgumentException("oneHot: classes must be positive, got " + classes);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("oneHot: labels[" + i + "] = " + labels[i]
            + " is out of range [0, " + classes + ")");
      }
    }
  }

  // ---------------------------------------------------------------- metadata and reading

  /**
   * The backend storage holding this tensor's elements (never written). For backends' own fast paths,
   * such as {@link zkynet.backend.jvm.Fused}, which generated fused kernels call; not for users.
   */
  public Storage storage() {
    return storage;
  }

  /** A copy of the shape. */
  @Constant public int[] shape() {
    return shape.clone();
  }

  /** Size of one axis; negative axes count from the end. */
  @Constant public int shape(int axis) {
    return shape[axis("shape", axis)];
  }

  @Constant public int rank() {
    return shape.length;
  }

  /** Number of elements. */
  @Constant public long size() {
    return sizeOf(shape);
  }

  @Constant public DType dtype() {
    return dtype;
  }

  /** The value of a one-element tensor; an error naming the shape otherwise. */
  public double item() {
    if (size() != 1) {
      throw new IllegalStateException("item: tensor of shape " + str(shape) + " has " + size()
          + " elements; item() needs exactly one");
    }
    return backend().item(storage);
  }

  /** All elements in row-major order. */
  public double[] toDoubleArray() {
    return backend().read(storage);
  }

  /** A rank-1 tensor as an array; error on other ranks. */
  public double[] toVector() {
    if (rank() != 1) {
      throw new IllegalStateException("toVector: needs rank 1, got shape " + str(shape));
    }
    return toDoubleArray();
  }

  /** A rank-2 tensor as nested arrays; error on other ranks. */
  public double[][] toMatrix() {
    if (rank() != 2) {
      throw new IllegalStateException("toMatrix: needs rank 2, got shape " + str(shape));
    }
    double[] flat = toDoubleArray();
    double[][] m = new double[shape[0]][];
    for (int i = 0; i < shape[0]; i++) {
      m[i] = Arrays.copyOfRange(flat, i * shape[1], (i + 1) * shape[1]);
    }
    return m;
  }

  /**
   * {@code this + other} for equal shapes and dtypes, written into this tensor's memory where the
   * backend can. Only for the reverse sweep's gradient sums: {@code this} must be a tensor the caller
   * itself obtained from an arithmetic operation and never handed to anyone (so nothing can observe
   * the change). Returns the sum (this tensor or a new one).
   */
  Tensor addInPlace(Tensor other) {
    if (!Arrays.equals(shape, other.shape) || dtype != other.dtype) {
      return add(other);
    }
    Backend backend = backend();
    Storage sum = backend.addInPlace(storage, Backends.transfer(other.storage, backend));
    return sum == storage ? this : new Tensor(sum);
  }

  /**
   * {@code this - s * other} for tensors of equal shape and dtype, rounded exactly as {@code
   * sub(other.mul(s))}; the JVM backend runs it as one pass with no intermediate array. Not a
   * differentiable primitive: it is the update step of optimizers ({@code p - lr * g}).
   */
  public Tensor subScaled(Tensor other, double s) {
    checkDtype("subScaled", other);
    if (!Arrays.equals(shape, other.shape)) {
      throw new IllegalArgumentException("subScaled: shapes " + str(shape) + " and " + str(other.shape)
          + " differ; it does not broadcast");
    }
    Backend backend = backend();
    return new Tensor(backend.subScaled(storage, Backends.transfer(other.storage, backend), s));
  }

  /**
   * {@code this * (1 - y * y)}: a cotangent times the derivative of tanh at its output {@code y},
   * rounded exactly as {@code mul(y.mul(y).rsub(1))}. For equal shapes the JVM backend runs it as one
   * pass with no intermediate arrays; other shapes broadcast as {@code mul} does. Not a
   * differentiable primitive: it is the backward rule of {@code tanh}.
   */
  public Tensor mulTanhSlope(Tensor y) {
    return slope("mulTanhSlope", Backend.Slope.TANH, y);
  }

  /**
   * {@code this * (y * (1 - y))}: a cotangent times the derivative of sigmoid at its output {@code
   * y}, rounded exactly as {@code mul(y.mul(y.rsub(1)))}, one pass like {@link #mulTanhSlope}. Not a
   * differentiable primitive: it is the backward rule of {@code sigmoid}.
   */
  public Tensor mulSigmoidSlope(Tensor y) {
    return slope("mulSigmoidSlope", Backend.Slope.SIGMOID, y);
  }

  private Tensor slope(String op, Backend.Slope kind, Tensor y) {
    checkDtype(op, y);
    if (!Arrays.equals(shape, y.shape)) {
      return mul(kind == Backend.Slope.TANH ? y.mul(y).rsub(1) : y.mul(y.rsub(1)));
    }
    Backend backend = backend();
    return new Tensor(backend.slope(kind, storage, Backends.transfer(y.storage, backend)));
  }

  /**
   * Softmax cross-entropy of these logits [N, C] against N class labels: the mean over rows of
   * {@code -log softmax(this)[i, labels[i]]}, rank 0, computed stably (see {@link
   * Backend#softmaxCrossEntropy}); one pass on the JVM backend. Labels out of range are an error naming
   * the index (as {@link #oneHot(int[], int, DType)}); the caller checks the rank and the number of
   * labels. Not a differentiable primitive: it is the body of {@code Builtins.softmaxCrossEntropy}.
   */
  Tensor softmaxCrossEntropy(int[] labels) {
    checkLabels(labels, shape[1]);
    return new Tensor(backend().softmaxCrossEntropy(storage, labels));
  }

  /**
   * {@code (softmax(this) - onehot(labels)) / N} for logits [N, C], of their shape: the derivative of
   * {@link #softmaxCrossEntropy(int[])}, checked the same way, one pass on the JVM backend.
   */
  Tensor softmaxCrossEntropyGrad(int[] labels) {
    checkLabels(labels, shape[1]);
    return new Tensor(backend().softmaxCrossEntropyGrad(storage, labels));
  }

  /**
   * The sum of the squares of all elements (0 for an empty tensor), as a double: the squared L2 norm.
   * The JVM backend accumulates in double in one pass (float32 squares cannot overflow there), except
   * float32 on Java 17-20, where float blocks of 16 rows of 256 are folded into double (C2 vectorises
   * no widening there): within 8 * 2^-24 (4.8e-7) of the exact sum, summed in double instead where
   * that would overflow or underflow. Other backends may square in the tensor's dtype.
   */
  public double sumOfSquares() {
    return backend().sumOfSquares(storage);
  }

  /** Converts to another dtype (a copy; returns this when the dtype already matches). */
  public Tensor to(DType dtype) {
    if (dtype == this.dtype) {
      return this;
    }
    return new Tensor(backend().cast(storage, dtype));
  }

  /**
   * numpy.allclose: same shape and {@code |a - b| <= atol + rtol * |b|} elementwise; NaN equals NaN only
   * when {@code equalNan}. Dtypes may differ here (comparison is in double).
   */
  public boolean allClose(Tensor other, double rtol, double atol, boolean equalNan) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    double[] a = toDoubleArray();
    double[] b = other.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      double x = a[i];
      double y = b[i];
      if (Double.isNaN(x) || Double.isNaN(y)) {
        if (!(equalNan && Double.isNaN(x) && Double.isNaN(y))) {
          return false;
        }
      } else if (Double.isInfinite(x) || Double.isInfinite(y)) {
        if (x != y) {
          return false;
        }
      } else if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
        return false;
      }
    }
    return true;
  }

  /** allClose with rtol 1e-5, atol 1e-8, NaN never equal. */
  public boolean allClose(Tensor other) {
    return allClose(other, 1e-5, 1e-8, false);
  }

  /**
   * numpy-like text on one line: {@code tensor([[1., 2.], [3., 4.]], float32)}, {@code tensor(36.,
   * float32)}; tensors over 1000 elements are abbreviated with "..." (see {@link TensorFormat}).
   */
  @Override public String toString() {
    return TensorFormat.format(toDoubleArray(), shape, dtype);
  }

  /** A short one-line preview (shape, dtype and the first few values), for labels and errors. */
  public String preview(int maxValues) {
    return TensorFormat.preview(toDoubleArray(), shape, dtype, maxValues);
  }

  // ---------------------------------------------------------------- elementwise primitives (broadcasting)

  @Primitive public Tensor neg() {
    return unary(Backend.Unary.NEG);
  }

  @Primitive public Tensor add(Tensor other) {
    return binary("add", Backend.Binary.ADD, other);
  }

  @Primitive public Tensor add(double other) {
    return scalar(Backend.Scalar.ADD, other);
  }

  @Primitive public Tensor sub(Tensor other) {
    return binary("sub", Backend.Binary.SUB, other);
  }

  @Primitive public Tensor sub(double other) {
    return scalar(Backend.Scalar.SUB, other);
  }

  /** {@code other - this}. */
  @Primitive public Tensor rsub(double other) {
    return scalar(Backend.Scalar.RSUB, other);
  }

  @Primitive public Tensor mul(Tensor other) {
    return binary("mul", Backend.Binary.MUL, other);
  }

  @Primitive public Tensor mul(double other) {
    return scalar(Backend.Scalar.MUL, other);
  }

  @Primitive public Tensor div(Tensor other) {
    return binary("div", Backend.Binary.DIV, other);
  }

  @Primitive public Tensor div(double other) {
    return scalar(Backend.Scalar.DIV, other);
  }

  /** {@code other / this}. */
  @Primitive public Tensor rdiv(double other) {
    return scalar(Backend.Scalar.RDIV, other);
  }

  /** {@code this ^ exponent} for a constant exponent. */
  @Primitive public Tensor pow(double exponent) {
    return scalar(Backend.Scalar.POW, exponent);
  }

  /** {@code this ^ exponent} elementwise (broadcasting); a negative base with a fractional exponent is NaN. */
  @Primitive public Tensor pow(Tensor exponent) {
    return binary("pow", Backend.Binary.POW, exponent);
  }

  @Primitive public Tensor exp() {
    return unary(Backend.Unary.EXP);
  }

  /** Natural log; log(0) = -inf and log of a negative is NaN, as in numpy. */
  @Primitive public Tensor log() {
    return unary(Backend.Unary.LOG);
  }

  @Primitive public Tensor sqrt() {
    return unary(Backend.Unary.SQRT);
  }

  @Primitive public Tensor sin() {
    return unary(Backend.Unary.SIN);
  }

  @Primitive public Tensor cos() {
    return unary(Backend.Unary.COS);
  }

  /** log(1 + x), accurate for small x; -inf at -1, NaN below. */
  @Primitive public Tensor log1p() {
    return unary(Backend.Unary.LOG1P);
  }

  /** e^x - 1, accurate for small x. */
  @Primitive public Tensor expm1() {
    return unary(Backend.Unary.EXPM1);
  }

  /** The error function 2/sqrt(pi) * integral_0^x e^(-t^2) dt. */
  @Primitive public Tensor erf() {
    return unary(Backend.Unary.ERF);
  }

  @Primitive public Tensor tanh() {
    return unary(Backend.Unary.TANH);
  }

  @Primitive public Tensor sigmoid() {
    return unary(Backend.Unary.SIGMOID);
  }

  @Primitive public Tensor relu() {
    return unary(Backend.Unary.RELU);
  }

  @Primitive public Tensor abs() {
    return unary(Backend.Unary.ABS);
  }

  /** Elementwise maximum of two tensors (broadcasting). */
  @Primitive public Tensor maximum(Tensor other) {
    return binary("maximum", Backend.Binary.MAXIMUM, other);
  }

  /** Elementwise minimum of two tensors (broadcasting). */
  @Primitive public Tensor minimum(Tensor other) {
    return binary("minimum", Backend.Binary.MINIMUM, other);
  }

  /** max(this, c) elementwise; NaN propagates. */
  @Primitive public Tensor maximum(double other) {
    return scalar(Backend.Scalar.MAX, other);
  }

  /** min(this, c) elementwise; NaN propagates. */
  @Primitive public Tensor minimum(double other) {
    return scalar(Backend.Scalar.MIN, other);
  }

  /** {@code mask != 0 ? this : other}, broadcasting all three. */
  @Primitive public Tensor where(@NoGrad Tensor mask, Tensor other) {
    checkDtype("where", other);
    Backend backend = backend();
    int[] out = Shapes.broadcast("where", Shapes.broadcast("where", shape, mask.shape), other.shape);
    Storage m = expand(Backends.transfer(mask.storage, backend), mask.shape, out);
    Storage a = expand(storage, shape, out);
    Storage b = expand(Backends.transfer(other.storage, backend), other.shape, out);
    return new Tensor(backend.where(m, a, b));
  }

  /** The same value, but no gradient flows through it. */
  @Primitive public Tensor stopGradient() {
    return this;
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements: a rank-0 tensor. */
  @Primitive public Tensor sum() {
    return reduce("sum", Backend.Reduce.SUM, allAxes(), false);
  }

  /** Sum over the given axes (negative axes count from the end). */
  @Primitive public Tensor sum(int[] axes, boolean keepDims) {
    return reduce("sum", Backend.Reduce.SUM, axes, keepDims);
  }

  @Primitive public Tensor mean() {
    return reduce("mean", Backend.Reduce.MEAN, allAxes(), false);
  }

  @Primitive public Tensor mean(int[] axes, boolean keepDims) {
    return reduce("mean", Backend.Reduce.MEAN, axes, keepDims);
  }

  /** Maximum of all elements. The gradient goes to the maximal elements, split equally among ties. */
  @Primitive public Tensor max() {
    return reduce("max", Backend.Reduce.MAX, allAxes(), false);
  }

  @Primitive public Tensor max(int[] axes, boolean keepDims) {
    return reduce("max", Backend.Reduce.MAX, axes, keepDims);
  }

  /** Sum over one axis (negative counts from the end), which is dropped: {@code x.sum(-1)}. */
  @Primitive public Tensor sum(int axis) {
    return reduce("sum", Backend.Reduce.SUM, new int[] {axis}, false);
  }

  /** Mean over one axis, which is dropped. */
  @Primitive public Tensor mean(int axis) {
    return reduce("mean", Backend.Reduce.MEAN, new int[] {axis}, false);
  }

  /** Maximum over one axis, which is dropped. */
  @Primitive public Tensor max(int axis) {
    return reduce("max", Backend.Reduce.MAX, new int[] {axis}, false);
  }

  /** Minimum of all elements. The gradient goes to the minimal elements, split equally among ties. */
  @Primitive public Tensor min() {
    return reduce("min", Backend.Reduce.MIN, allAxes(), false);
  }

  @Primitive public Tensor min(int[] axes, boolean keepDims) {
    return reduce("min", Backend.Reduce.MIN, axes, keepDims);
  }

  /** Minimum over one axis, which is dropped. */
  @Primitive public Tensor min(int axis) {
    return reduce("min", Backend.Reduce.MIN, new int[] {axis}, false);
  }

  // ---------------------------------------------------------------- shape primitives

  /** numpy reshape; one dimension may be -1. */
  @Primitive public Tensor reshape(int... shape) {
    int[] target = resolveReshape(shape);
    if (Arrays.equals(target, this.shape)) {
      return this;
    }
    return new Tensor(backend().reshape(storage, target));
  }

  /** Swaps the last two axes (a matrix transpose; batched for rank &gt; 2, identity for rank &lt; 2). */
  @Primitive public Tensor transpose() {
    int r = rank();
    if (r < 2) {
      return this;
    }
    int[] axes = new int[r];
    for (int i = 0; i < r; i++) {
      axes[i] = i;
    }
    axes[r - 2] = r - 1;
    axes[r - 1] = r - 2;
    return permute(axes);
  }

  /** numpy transpose with an explicit axis order. */
  @Primitive public Tensor permute(int... axes) {
    int r = rank();
    if (axes.length != r) {
      throw new IllegalArgumentException("permute: axes " + Arrays.toString(axes) + " do not match rank "
          + r + " of shape " + str(shape));
    }
    int[] norm = new int[r];
    boolean[] seen = new boolean[r];
    boolean identity = true;
    for (int i = 0; i < r; i++) {
      int a = axes[i] < 0 ? axes[i] + r : axes[i];
      if (a < 0 || a >= r || seen[a]) {
        throw new IllegalArgumentException("permute: axes " + Arrays.toString(axes)
            + " are not a permutation of the axes of shape " + str(shape));
      }
      seen[a] = true;
      norm[i] = a;
      identity &= a == i;
    }
    if (identity) {
      return this;
    }
    return new Tensor(backend().permute(storage, norm));
  }

  /** numpy broadcast_to. */
  @Primitive public Tensor broadcastTo(int... shape) {
    Shapes.checkedSize("broadcastTo", shape);
    if (!Shapes.broadcastsTo(this.shape, shape)) {
      throw new IllegalArgumentException("broadcastTo: cannot broadcast shape " + str(this.shape)
          + " to " + str(shape));
    }
    if (Arrays.equals(shape, this.shape)) {
      return this;
    }
    return new Tensor(expand(storage, this.shape, shape.clone()));
  }

  /** Elements {@code start <= i < end} along {@code axis} (negative axis counts from the end). */
  @Primitive public Tensor slice(int axis, int start, int end) {
    int a = axis("slice", axis);
    int n = shape[a];
    if (start < 0 || start > end || end > n) {
      throw new IllegalArgumentException("slice: need 0 <= start <= end <= " + n + " on axis " + axis
          + " of shape " + str(shape) + ", got start=" + start + " end=" + end);
    }
    if (start == 0 && end == n) {
      return this;
    }
    return new Tensor(backend().slice(storage, a, start, end));
  }

  /** Concatenation with {@code other} along {@code axis}. */
  @Primitive public Tensor concat(Tensor other, int axis) {
    checkDtype("concat", other);
    if (rank() == 0 || rank() != other.rank()) {
      throw new IllegalArgumentException("concat: need equal ranks of at least 1, got shapes " + str(shape)
          + " and " + str(other.shape));
    }
    int a = axis("concat", axis);
    for (int i = 0; i < rank(); i++) {
      if (i != a && shape[i] != other.shape[i]) {
        throw new IllegalArgumentException("concat: shapes " + str(shape) + " and " + str(other.shape)
            + " differ on axis " + i + ", which is not the concatenation axis " + axis);
      }
    }
    Backend backend = backend();
    return new Tensor(backend.concat(storage, Backends.transfer(other.storage, backend), a));
  }

  /**
   * numpy {@code take(x, indices, axis)}: the slices at {@code indices} along {@code axis} (repeats
   * allowed, negative indices count from the end), so the result has {@code indices.length} there. Its
   * derivative adds the cotangent back at the indices ({@link #indexAdd}).
   */
  @Primitive public Tensor take(int[] indices, int axis) {
    int a = axis("take", axis);
    return new Tensor(backend().take(storage, a, checkIndices("take", indices, a, shape[a])));
  }

  /**
   * The adjoint of {@link #take}: zeros with {@code size} entries along {@code axis}, to which slice
   * {@code i} of this tensor is added at {@code indices[i]} (repeated indices accumulate, as numpy's
   * {@code np.add.at}); {@code indices.length} must equal this tensor's size along {@code axis}.
   */
  @Primitive public Tensor indexAdd(int[] indices, int axis, int size) {
    int a = axis("indexAdd", axis);
    if (indices.length != shape[a] || size < 0) {
      throw new IllegalArgumentException("indexAdd: need " + shape[a] + " indices (the size of axis "
          + axis + " of shape " + str(shape) + ") and size >= 0, got " + indices.length + " indices and size "
          + size);
    }
    return new Tensor(backend().indexAdd(storage, a, checkIndices("indexAdd", indices, a, size), size));
  }

  /** The elements in reverse order along {@code axis}. */
  @Primitive public Tensor flip(int axis) {
    int a = axis("flip", axis);
    int n = shape[a];
    int[] reversed = new int[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = n - 1 - i;
    }
    return n <= 1 ? this : new Tensor(backend().take(storage, a, reversed));
  }

  /** {@code before} zeros in front of and {@code after} zeros behind the elements along {@code axis}. */
  @Primitive public Tensor pad(int axis, int before, int after) {
    int a = axis("pad", axis);
    if (before < 0 || after < 0) {
      throw new IllegalArgumentException("pad: need before >= 0 and after >= 0 on axis " + axis
          + " of shape " + str(shape) + ", got before=" + before + " after=" + after);
    }
    Backend backend = backend();
    Storage out = storage;
    if (before > 0) {
      out = backend.concat(Backends.transfer(zerosAlong(a, before).storage, backend), out, a);
    }
    if (after > 0) {
      out = backend.concat(out, Backends.transfer(zerosAlong(a, after).storage, backend), a);
    }
    return out == storage ? this : new Tensor(out);
  }

  /** numpy concatenate: {@code parts} (at least one, equal ranks and dtypes) joined along {@code axis}. */
  public static Tensor concat(int axis, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("concat: needs at least one tensor");
    }
    Tensor out = parts[0];
    for (int i = 1; i < parts.length; i++) {
      out = out.concat(parts[i], axis);
    }
    return out;
  }

  /** numpy stack: {@code parts} (at least one, equal shapes) joined along a new axis {@code axis}. */
  public static Tensor stack(int axis, Tensor... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("stack: needs at least one tensor");
    }
    int[] shape = parts[0].shape;
    int a = Shapes.axis("stack", axis, new int[shape.length + 1]);
    Tensor[] lifted = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (!Arrays.equals(shape, parts[i].shape)) {
        throw new IllegalArgumentException("stack: part " + i + " has shape " + str(parts[i].shape)
            + ", part 0 has " + str(shape) + "; stacked tensors need equal shapes");
      }
      int[] withAxis = new int[shape.length + 1];
      for (int k = 0, j = 0; k < withAxis.length; k++) {
        withAxis[k] = k == a ? 1 : shape[j++];
      }
      lifted[i] = parts[i].reshape(withAxis);
    }
    return concat(a, lifted);
  }

  /** numpy matmul: vector cases, and batched with broadcast batch axes ([5,2,3] x [3,4] is [5,2,4]). */
  @Primitive public Tensor matmul(Tensor other) {
    checkDtype("matmul", other);
    if (rank() == 0 || other.rank() == 0) {
      throw new IllegalArgumentException("matmul: operands need rank >= 1, got shapes " + str(shape)
          + " and " + str(other.shape) + "; use mul for scalars");
    }
    Backend backend = backend();
    int[] as = rank() == 1 ? new int[] {1, shape[0]} : shape;
    int[] bs = other.rank() == 1 ? new int[] {other.shape[0], 1} : other.shape;
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    if (k != bs[bs.length - 2]) {
      throw new IllegalArgumentException("matmul: inner dimensions differ: " + str(shape) + " @ "
          + str(other.shape) + " (" + k + " vs " + bs[bs.length - 2] + ")");
    }
    int[] aBatch = Arrays.copyOf(as, as.length - 2);
    int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
    Storage a = reshapeIfNeeded(storage, as);
    Storage b = reshapeIfNeeded(Backends.transfer(other.storage, backend), bs);
    int[] batch;
    Storage r;
    if (bBatch.length == 0) {
      // [..., m, k] @ [k, n]: fold a's batch axes into its rows, one 2-D product.
      batch = aBatch;
      int rows = Math.toIntExact(Shapes.size(aBatch) * m);
      Storage a2 = aBatch.length == 0 ? a : backend.reshape(a, new int[] {rows, k});
      r = backend.matmul(a2, b);
    } else {
      batch = Shapes.broadcast("matmul", aBatch, bBatch, shape, other.shape);
      r = backend.matmul(expand(a, as, Shapes.concat(batch, m, k)), expand(b, bs, Shapes.concat(batch, k, n)));
    }
    int[] out = Arrays.copyOf(batch, batch.length + (rank() != 1 ? 1 : 0) + (other.rank() != 1 ? 1 : 0));
    int next = batch.length;
    if (rank() != 1) {
      out[next++] = m;
    }
    if (other.rank() != 1) {
      out[next] = n;
    }
    return new Tensor(reshapeIfNeeded(r, out));
  }

  // ---------------------------------------------------------------- constant-valued functions

  /** 1 where this > other, else 0 (same dtype). */
  @Constant public Tensor gt(Tensor other) {
    return binary("gt", Backend.Binary.GT, other);
  }

  @Constant public Tensor gt(double other) {
    return scalar(Backend.Scalar.GT, other);
  }

  /** 1 where this >= other, else 0. */
  @Constant public Tensor ge(Tensor other) {
    return binary("ge", Backend.Binary.GE, other);
  }

  @Constant public Tensor ge(double other) {
    return scalar(Backend.Scalar.GE, other);
  }

  /** 1 where this == other, else 0. */
  @Constant public Tensor eq(Tensor other) {
    return binary("eq", Backend.Binary.EQ, other);
  }

  /** 1 where this &lt; other, else 0. */
  @Constant public Tensor lt(Tensor other) {
    checkDtype("lt", other);
    return other.binary("lt", Backend.Binary.GT, this);
  }

  @Constant public Tensor lt(double other) {
    return scalar(Backend.Scalar.LT, other);
  }

  /** 1 where this &lt;= other, else 0. */
  @Constant public Tensor le(Tensor other) {
    checkDtype("le", other);
    return other.binary("le", Backend.Binary.GE, this);
  }

  @Constant public Tensor le(double other) {
    return scalar(Backend.Scalar.LE, other);
  }

  /** 1 where this != other (always where either is NaN), else 0. */
  @Constant public Tensor ne(Tensor other) {
    return binary("ne", Backend.Binary.NE, other);
  }

  @Constant public Tensor ne(double other) {
    return scalar(Backend.Scalar.NE, other);
  }

  /** -1, 0 or 1 elementwise. */
  @Constant public Tensor sign() {
    return unary(Backend.Unary.SIGN);
  }

  /** Index of the maximum along an axis, as a float tensor without that axis. */
  @Constant public Tensor argmax(int axis) {
    int a = axis("argmax", axis);
    if (shape[a] == 0) {
      throw new IllegalArgumentException("argmax: axis " + axis + " of shape " + str(shape) + " is empty");
    }
    return new Tensor(backend().argmax(storage, a));
  }

  /** Index of the (first) minimum along an axis, as a float tensor without that axis. */
  @Constant public Tensor argmin(int axis) {
    int a = axis("argmin", axis);
    if (shape[a] == 0) {
      throw new IllegalArgumentException("argmin: axis " + axis + " of shape " + str(shape) + " is empty");
    }
    return new Tensor(backend().argmax(backend().unary(Backend.Unary.NEG, storage), a)); // exact: -x
  }

  /** One-hot rows of float-valued class indices: shape {@code indices.shape ++ [classes]}. */
  @Constant public Tensor oneHot(int classes) {
    double[] v = toDoubleArray();
    int[] labels = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      labels[i] = (int) v[i];
      if (labels[i] != v[i]) {
        throw new IllegalArgumentException("oneHot: element " + i + " = " + v[i] + " is not an integer");
      }
    }
    return oneHot(labels, classes, dtype).reshape(Shapes.concat(shape, classes));
  }

  // ---------------------------------------------------------------- internals

  /** Indices checked against {@code [-n, n)} and made non-negative (a fresh array). */
  private int[] checkIndices(String op, int[] indices, int axis, int n) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int k = indices[i];
      if (k < -n || k >= n) {
        throw new IllegalArgumentException(op + ": indices[" + i + "] = " + k + " is out of range for "
            + "axis " + axis + " of size " + n + " (shape " + str(shape) + ")");
      }
      out[i] = k < 0 ? k + n : k;
    }
    return out;
  }

  /** Zeros of this tensor's shape and dtype, except {@code length} along axis {@code a}. */
  private Tensor zerosAlong(int a, int length) {
    int[] s = shape.clone();
    s[a] = length;
    return zeros(dtype, s);
  }

  private Backend backend() {
    return storage.backend();
  }

  private static Tensor make(double[] data, DType dtype, int[] shape) {
    return new Tensor(Backends.current().create(data, shape, dtype));
  }

  private Tensor unary(Backend.Unary op) {
    return new Tensor(backend().unary(op, storage));
  }

  private Tensor scalar(Backend.Scalar op, double s) {
    return new Tensor(backend().scalar(op, storage, s));
  }

  /** A broadcasting binary op; a one-element operand becomes a scalar kernel when one exists. */
  private Tensor binary(String op, Backend.Binary kind, Tensor other) {
    checkDtype(op, other);
    Backend backend = backend();
    Storage b = Backends.transfer(other.storage, backend);
    if (Arrays.equals(shape, other.shape)) {
      return new Tensor(backend.binary(kind, storage, b));
    }
    int[] out = Shapes.broadcast(op, shape, other.shape);
    long n = Shapes.size(out);
    if (other.size() == 1 && size() == n) {
      Backend.Scalar s = kind.scalarForm(false);
      if (s != null) {
        return new Tensor(reshapeIfNeeded(backend.scalar(s, storage, other.item()), out));
      }
    }
    if (size() == 1 && other.size() == n) {
      Backend.Scalar s = kind.scalarForm(true);
      if (s != null) {
        return new Tensor(reshapeIfNeeded(backend.scalar(s, b, item()), out));
      }
    }
    return new Tensor(backend.binary(kind, expand(storage, shape, out), expand(b, other.shape, out)));
  }

  private Tensor reduce(String op, Backend.Reduce kind, int[] axes, boolean keepDims) {
    int r = rank();
    boolean[] reduced = new boolean[r];
    for (int axis : axes) {
      int a = axis < 0 ? axis + r : axis;
      if (a < 0 || a >= r) {
        throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + str(shape));
      }
      if (reduced[a]) {
        throw new IllegalArgumentException(op + ": axis " + axis + " repeated in " + Arrays.toString(axes));
      }
      reduced[a] = true;
    }
    int[] sorted = new int[axes.length];
    int[] kept = new int[r];
    for (int i = 0, j = 0; i < r; i++) {
      if (reduced[i]) {
        sorted[j++] = i;
      }
      kept[i] = reduced[i] ? 1 : shape[i];
    }
    if (sorted.length == 0) {
      return this;
    }
    if (kind == Backend.Reduce.MAX || kind == Backend.Reduce.MIN) {
      for (int a : sorted) {
        if (shape[a] == 0) {
          throw new IllegalArgumentException(op + ": cannot take the " + (kind == Backend.Reduce.MAX
              ? "maximum" : "minimum") + " over empty axis " + a
              + " of shape " + str(shape));
        }
      }
    }
    if (size() == 0) { // numpy: the sum of nothing is 0, its mean NaN (backends need not handle it)
      int[] out = keepDims ? kept : Shapes.without(shape, sorted);
      return full(kind == Backend.Reduce.MEAN ? Double.NaN : 0, dtype, out);
    }
    Storage out = backend().reduce(kind, storage, sorted);
    return new Tensor(keepDims ? backend().reshape(out, kept) : out);
  }

  private int[] allAxes() {
    return Shapes.allAxes(rank());
  }

  private int[] resolveReshape(int[] target) {
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + str(target));
        }
        unknown = i;
      } else if (target[i] < 0) {
        throw new IllegalArgumentException("reshape: negative dimension in " + str(target));
      } else {
        known *= target[i];
      }
    }
    long size = size();
    int[] out = target.clone();
    if (unknown >= 0) {
      if (known == 0 || size % known != 0) {
        throw new IllegalArgumentException("reshape: cannot reshape " + str(shape) + " (" + size
            + " elements) into " + str(target));
      }
      out[unknown] = Math.toIntExact(size / known);
    } else if (known != size) {
      throw new IllegalArgumentException("reshape: cannot reshape " + str(shape) + " (" + size
          + " elements) into " + str(target) + " (" + known + " elements)");
    }
    return out;
  }

  /** {@code s} (of shape {@code from}) broadcast to {@code to}; {@code from} must broadcast to it. */
  private Storage expand(Storage s, int[] from, int[] to) {
    if (Arrays.equals(from, to)) {
      return s;
    }
    Backend backend = s.backend();
    if (from.length < to.length) {
      int[] padded = Shapes.padLeft(from, to.length);
      s = backend.reshape(s, padded);
      if (Arrays.equals(padded, to)) {
        return s;
      }
    }
    return backend.broadcastTo(s, to);
  }

  private static Storage reshapeIfNeeded(Storage s, int[] shape) {
    return Arrays.equals(s.shape(), shape) ? s : s.backend().reshape(s, shape);
  }

  private void checkDtype(String op, Tensor other) {
    if (dtype != other.dtype) {
      throw new IllegalArgumentException(op + ": dtype mismatch " + TensorFormat.name(dtype) + " "
          + str(shape) + " vs " + TensorFormat.name(other.dtype) + " " + str(other.shape)
          + "; convert one with .to(DType)");
    }
  }

  /** {@code axis} counted from the front, checked against this tensor's rank. */
  private int axis(String op, int axis) {
    return Shapes.axis(op, axis, shape);
  }

  private static long sizeOf(int[] shape) {
    return Shapes.size(shape);
  }

  private static String str(int[] shape) {
    return TensorFormat.shape(shape);
  }

  /** A float32 tensor from a (nested) array of double, float, int or long. */
  private static Tensor fromArray(String op, Object array) {
    List<Integer> dims = new ArrayList<>();
    Class<?> type = array.getClass();
    Object probe = array;
    while (type.isArray() && type.getComponentType().isArray()) {
      int len = Array.getLength(probe);
      dims.add(len);
      probe = len > 0 ? Array.get(probe, 0) : null;
      if (probe == null && len > 0) {
        throw new IllegalArgumentException(op + ": row 0 is null in a " + array.getClass().getSimpleName());
      }
      type = type.getComponentType();
      if (probe == null) { // an empty outer axis: inner sizes are unknown, take 0
        while (type.isArray()) {
          dims.add(0);
          type = type.getComponentType();
        }
        break;
      }
    }
    if (type.isArray()) {
      dims.add(Array.getLength(probe));
      type = type.getComponentType();
    }
    if (type != double.class && type != float.class && type != int.class && type != long.class) {
      throw new IllegalArgumentException(op + ": cannot convert a " + array.getClass().getSimpleName()
          + " to a Tensor; expected a Tensor, INDArray, Number, or a (nested) array of double, float,"
          + " int or long");
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
    }
    double[] data = new double[Shapes.checkedSize(op, shape)];
    flatten(op, array, shape, 0, "", data, new int[] {0});
    return make(data, DType.FLOAT32, shape);
  }

  private static void flatten(String op, Object array, int[] shape, int depth, String path, double[] out,
      int[] pos) {
    if (array == null) {
      throw new IllegalArgumentException(op + ": row " + path + " is null");
    }
    int len = Array.getLength(array);
    if (len != shape[depth]) {
      throw new IllegalArgumentException(op + ": ragged array: row " + path + " has length " + len
          + ", expected " + shape[depth]);
    }
    if (depth == shape.length - 1) {
      if (array instanceof double[] d) {
        System.arraycopy(d, 0, out, pos[0], len);
      } else if (array instanceof float[] f) {
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = f[i];
        }
      } else if (array instanceof int[] v) {
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = v[i];
        }
      } else {
        long[] v = (long[]) array;
        for (int i = 0; i < len; i++) {
          out[pos[0] + i] = v[i];
        }
      }
      pos[0] += len;
      return;
    }
    for (int i = 0; i < len; i++) {
      flatten(op, Array.get(array, i), shape, depth + 1, path + "[" + i + "]", out, pos);
    }
  }
}
