package zkynet.backend;

import zkynet.DType;

/**
 * The storage and kernels behind {@link zkynet.Tensor}: a small closed set of operations on
 * {@link Storage} values, with no numpy shape logic. {@code Tensor} does broadcasting, the vector
 * cases of matmul, axis normalisation and all argument checking in backend-independent code, then
 * calls these kernels with already-valid arguments (equal shapes, equal dtypes, sorted axes).
 *
 * <p>Contract for every implementation (the JVM backend, the default; ND4J, opt-in; a CUDA backend
 * later):
 *
 * <ul>
 *   <li>Storage is immutable once returned: no kernel may change its inputs, and a result may share
 *       memory with an input only if neither can change afterwards (views: reshape, permute,
 *       broadcastTo and slice may return them). The one exception is {@link #addInPlace}, whose
 *       caller guarantees that nothing else holds its accumulator.
 *   <li>Shapes are row-major ("C" order); rank 0 (a scalar, shape {@code []}) is a valid shape for
 *       every kernel that accepts its rank, and results have exactly the documented shape (never
 *       {@code [1]} for {@code []}).
 *   <li>Results have the dtype of the inputs unless documented otherwise; comparisons give 1 or 0 in
 *       that dtype.
 *   <li>Floating-point semantics follow IEEE 754 and numpy: NaN propagates through MAXIMUM, MINIMUM,
 *       SIGN and the MAX reduction; log(0) is -inf; log and sqrt of negatives are NaN.
 * </ul>
 *
 * <p>Storage from another backend is never passed in: {@code Tensor} moves it first (through
 * {@link #read} and {@link #create}).
 */
public interface Backend {

  /** Elementwise functions of one tensor. */
  enum Unary { NEG, EXP, LOG, SQRT, TANH, SIGMOID, RELU, ABS, SIGN, SIN, COS, LOG1P, EXPM1, ERF }

  /**
   * Elementwise functions of two tensors of equal shape and dtype ({@code POW} is {@code a ^ b}). GT,
   * GE, EQ, NE give 1 or 0.
   */
  enum Binary {
    ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, GT, GE, EQ, POW, NE;

    /**
     * The {@link Scalar} kernel computing {@code x op s} (or, when {@code reversed}, {@code s op x})
     * for a constant {@code s}; null if there is none.
     */
    public Scalar scalarForm(boolean reversed) {
      return switch (this) {
        case ADD -> Scalar.ADD;
        case MUL -> Scalar.MUL;
        case SUB -> reversed ? Scalar.RSUB : Scalar.SUB;
        case DIV -> reversed ? Scalar.RDIV : Scalar.DIV;
        case GT -> reversed ? Scalar.LT : Scalar.GT;
        case GE -> reversed ? Scalar.LE : Scalar.GE;
        case MAXIMUM -> Scalar.MAX;
        case MINIMUM -> Scalar.MIN;
        case NE -> Scalar.NE;
        case POW -> reversed ? null : Scalar.POW;
        default -> null;
      };
    }
  }

  /**
   * Elementwise functions of a tensor {@code x} and a constant {@code s} (in x's dtype): {@code x + s},
   * {@code x - s}, {@code s - x}, {@code x * s}, {@code x / s}, {@code s / x}, {@code x ^ s},
   * {@code max(x, s)}, {@code min(x, s)} (NaN propagates), and the comparisons {@code x > s},
   * {@code x >= s}, {@code x < s}, {@code x <= s}, {@code x != s} giving 1 or 0.
   */
  enum Scalar { ADD, SUB, RSUB, MUL, DIV, RDIV, POW, GT, GE, MAX, MIN, LT, LE, NE }

  /**
   * Derivatives of elementwise functions written in their output {@code y}, times a cotangent {@code
   * g} (see {@link #slope}): {@code TANH} is {@code g * (1 - y * y)}, {@code SIGMOID} is {@code g *
   * (y * (1 - y))}.
   */
  enum Slope { TANH, SIGMOID }

  /** Reductions over a set of axes (MAX and MIN propagate NaN). */
  enum Reduce { SUM, MEAN, MAX, MIN }

  /** A short name, e.g. {@code "nd4j"}. */
  String name();

  /**
   * A tensor from row-major data ({@code data.length} equals the product of {@code shape}). The
   * backend may keep {@code data} and {@code shape}: callers pass arrays they never modify again.
   */
  Storage create(double[] data, int[] shape, DType dtype);

  /**
   * A float32 tensor from row-major data ({@code data.length} equals the product of {@code shape}),
   * kept like {@link #create(double[], int[], DType)}'s: the path that does not round-trip through
   * {@code double[]}.
   */
  default Storage create(float[] data, int[] shape) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return create(d, shape, DType.FLOAT32);
  }

  /** All elements in row-major order (a fresh array). */
  double[] read(Storage x);

  /** The element of a one-element tensor (of any rank). */
  default double item(Storage x) {
    return read(x)[0];
  }

  Storage unary(Unary op, Storage x);

  /**
   * {@code a op b} for equal shapes and dtypes. A {@code MUL} by an exact 1 may return the other
   * operand's storage (the same values bit for bit); every other result, and every {@code ADD}, is
   * fresh memory ({@link #addInPlace} callers rely on it).
   */
  Storage binary(Binary op, Storage a, Storage b);

  Storage scalar(Scalar op, Storage x, double s);

  /**
   * {@code acc + x} (equal shapes and dtypes), which may overwrite {@code acc}'s memory and return
   * {@code acc}. Only for callers that allocated {@code acc} themselves (as a kernel result) and never
   * handed it, or a view of it, to anyone: gradient accumulation in a reverse sweep.
   */
  default Storage addInPlace(Storage acc, Storage x) {
    return binary(Binary.ADD, acc, x);
  }

  /**
   * {@code a - s * b} for equal shapes and dtypes, rounded as the two kernels {@code scalar(MUL, b,
   * s)} then {@code binary(SUB, a, .)} would round it (a backend may run it as one pass with no
   * intermediate array): the step {@code p - lr * g} of an optimizer.
   */
  default Storage subScaled(Storage a, Storage b, double s) {
    return binary(Binary.SUB, a, scalar(Scalar.MUL, b, s));
  }

  /**
   * {@code g} times the derivative {@code op} of an elementwise function at output {@code y} (equal
   * shapes and dtypes), rounded exactly as the kernels written out in {@link Slope} would round it,
   * one operation at a time (a backend may run it as one pass with no intermediate arrays): the
   * backward rules of tanh and sigmoid.
   */
  default Storage slope(Slope op, Storage g, Storage y) {
    Storage factor = switch (op) {
      case TANH -> scalar(Scalar.RSUB, binary(Binary.MUL, y, y), 1);
      case SIGMOID -> binary(Binary.MUL, y, scalar(Scalar.RSUB, y, 1));
    };
    return binary(Binary.MUL, g, factor);
  }

  /**
   * Softmax cross-entropy of {@code logits} [N, C] against class labels, averaged over the rows:
   * {@code mean_i(log(sum_j e^(x[i,j] - m_i)) - (x[i, labels[i]] - m_i))} with {@code m_i} the row's
   * maximum (subtracted first, so huge logits do not overflow), as a rank-0 tensor of logits' dtype.
   * The caller has checked that {@code labels.length == N} and every label is in {@code [0, C)} (C is
   * at least 1). IEEE semantics per row: a -inf logit off the label adds nothing (finite loss), -inf at
   * the label gives +inf, and a NaN or +inf logit (inf - inf) or a row of only -inf makes the row's
   * term, hence the mean, NaN. No rows (N = 0) give NaN, the mean of nothing. The default composes the
   * backend's own kernels; a backend may run it as one pass.
   */
  default Storage softmaxCrossEntropy(Storage logits, int[] labels) {
    int[] shape = logits.shape();
    int[] flat = new int[labels.length];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = i * shape[1] + labels[i];
    }
    Storage shifted = subtractRowMax(logits);
    Storage logSums = unary(Unary.LOG, reduce(Reduce.SUM, unary(Unary.EXP, shifted), new int[] {1}));
    Storage picked = take(reshape(shifted, new int[] {flat.length * shape[1]}), 0, flat);
    return reduce(Reduce.MEAN, binary(Binary.SUB, logSums, picked), new int[] {0});
  }

  /**
   * The derivative of {@link #softmaxCrossEntropy} with respect to the logits: {@code (softmax(logits)
   * - onehot(labels)) / N}, of logits' shape [N, C] and dtype, with the row maximum subtracted before
   * {@code exp} (arguments checked as there). A row holding NaN or +inf, or only -inf, gives NaN across
   * that row and leaves the other rows alone; -inf logits give 0 (minus 1/N at the label). The
   * default composes the backend's own kernels; a backend may run it as one pass.
   */
  default Storage softmaxCrossEntropyGrad(Storage logits, int[] labels) {
    int[] shape = logits.shape();
    double[] oneHot = new double[labels.length * shape[1]];
    for (int i = 0; i < labels.length; i++) {
      oneHot[i * shape[1] + labels[i]] = 1;
    }
    Storage e = unary(Unary.EXP, subtractRowMax(logits));
    Storage sums = broadcastTo(reshape(reduce(Reduce.SUM, e, new int[] {1}), new int[] {shape[0], 1}), shape);
    Storage softmax = binary(Binary.DIV, e, sums);
    return scalar(Scalar.DIV, binary(Binary.SUB, softmax, create(oneHot, shape, logits.dtype())), shape[0]);
  }

  /** {@code x - max(x)} along the rows of an [N, C] tensor (NaN propagates through the maximum). */
  private Storage subtractRowMax(Storage x) {
    int[] shape = x.shape();
    Storage max = reshape(reduce(Reduce.MAX, x, new int[] {1}), new int[] {shape[0], 1});
    return binary(Binary.SUB, x, broadcastTo(max, shape));
  }

  /**
   * The sum of the squares of all elements (0 for none), as a double. The default squares in x's
   * dtype (float32 squares above 3.4e38 overflow to infinity); a backend may accumulate in double
   * without an intermediate array.
   */
  default double sumOfSquares(Storage x) {
    Storage squares = binary(Binary.MUL, x, x);
    int rank = x.shape().length;
    if (rank == 0) {
      return item(squares);
    }
    int[] all = new int[rank];
    for (int i = 0; i < rank; i++) {
      all[i] = i;
    }
    return item(reduce(Reduce.SUM, squares, all));
  }

  /**
   * Reduces over {@code axes} (non-empty, sorted ascending, distinct, each in {@code [0, rank)}). The
   * result's shape is x's shape without those axes (rank 0 when all axes are reduced).
   */
  Storage reduce(Reduce op, Storage x, int[] axes);

  /** The same elements in row-major order with another shape of equal size. */
  Storage reshape(Storage x, int[] shape);

  /** numpy transpose: result axis i is x's axis {@code axes[i]} ({@code axes} is a permutation). */
  Storage permute(Storage x, int[] axes);

  /**
   * Repeats x along its size-1 axes: {@code shape} has x's rank, and each {@code shape[i]} equals
   * x's size there or x's size there is 1.
   */
  Storage broadcastTo(Storage x, int[] shape);

  /** Elements {@code start <= i < end} along {@code axis}; {@code 0 <= start <= end <= size}. */
  Storage slice(Storage x, int axis, int start, int end);

  /** Concatenation along {@code axis}: equal ranks (at least 1), equal sizes on every other axis. */
  Storage concat(Storage a, Storage b, int axis);

  /**
   * Batched matrix product: {@code a} is {@code [B..., m, k]}, {@code b} is {@code [B..., k, n]}
   * with equal ranks (at least 2) and equal batch axes {@code B}; the result is {@code [B..., m, n]}.
   */
  Storage matmul(Storage a, Storage b);

  /** {@code mask != 0 ? a : b} elementwise (NaN counts as non-zero); equal shapes, mask of any dtype. */
  Storage where(Storage mask, Storage a, Storage b);

  /** The same values in another dtype. */
  Storage cast(Storage x, DType dtype);

  /**
   * Index of the first maximum along {@code axis}, as values of x's dtype; the result is x's shape
   * without that axis.
   */
  Storage argmax(Storage x, int axis);

  /**
   * numpy {@code take(x, indices, axis)}: the result has x's shape with {@code axis} replaced by
   * {@code indices.length}; every index is in {@code [0, x.shape[axis])} (checked by the caller). The
   * default goes through {@link #read} and {@link #create}.
   */
  default Storage take(Storage x, int axis, int[] indices) {
    int[] shape = x.shape();
    int[] out = shape.clone();
    out[axis] = indices.length;
    return create(Gather.take(read(x), shape, axis, indices), out, x.dtype());
  }

  /**
   * The adjoint of {@link #take}: zeros of x's shape with {@code axis} of size {@code size}, into which
   * slice {@code i} of x along {@code axis} is added at index {@code indices[i]} (repeated indices
   * accumulate); {@code indices.length == x.shape[axis]}, each index in {@code [0, size)}.
   */
  default Storage indexAdd(Storage x, int axis, int[] indices, int size) {
    int[] shape = x.shape();
    int[] out = shape.clone();
    out[axis] = size;
    return create(Gather.indexAdd(read(x), shape, axis, indices, size), out, x.dtype());
  }
}
