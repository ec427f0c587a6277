package zkynet;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import zkynet.tensor.Constant;
import zkynet.tensor.DType;
import zkynet.tensor.Primitive;

/**
 * An immutable n-dimensional array of floats (float32 by default, float64 on request) with numpy
 * broadcasting and numpy {@code matmul} semantics. Storage belongs to a backend (ND4J first) behind
 * {@link zkynet.tensor.Backend}; nothing here exposes it except {@link #toINDArray()}.
 *
 * <p>Methods marked {@link Primitive} are differentiable: {@link zkynet.tensor.Rules} holds their
 * derivative rules. Methods marked {@link Constant} return values that carry no gradient. Mixing
 * dtypes in one operation is an error, never a silent cast.
 */
public final class Tensor {
  private static UnsupportedOperationException todo() {
    return new UnsupportedOperationException("not implemented yet");
  }

  // ---------------------------------------------------------------- creation

  /** A rank-0 float32 tensor. */
  public static Tensor of(double value) { throw todo(); }

  /** A rank-0 tensor of the given dtype. */
  public static Tensor of(double value, DType dtype) { throw todo(); }

  /** A rank-1 float32 tensor. */
  public static Tensor of(double... values) { throw todo(); }

  /** A rank-2 float32 tensor; rows must have equal lengths. */
  public static Tensor of(double[][] values) { throw todo(); }

  /** A rank-3 float32 tensor. */
  public static Tensor of(double[][][] values) { throw todo(); }

  /** A rank-1 float32 tensor. */
  public static Tensor of(float... values) { throw todo(); }

  /** A rank-2 float32 tensor. */
  public static Tensor of(float[][] values) { throw todo(); }

  /** A tensor of the given dtype and shape from row-major data; data.length must equal the product of shape. */
  public static Tensor of(double[] data, DType dtype, int... shape) { throw todo(); }

  /**
   * Wraps (a copy of) an ND4J array. FLOAT and DOUBLE keep their dtype; integer and other numeric
   * dtypes become float32.
   */
  public static Tensor of(INDArray array) { throw todo(); }

  /**
   * Converts a Java value: a {@code Tensor} (returned as is), an {@code INDArray}, a {@code Number},
   * or a (nested) array of double/float/int/long. Integers become float32. Anything else is an
   * {@link IllegalArgumentException} naming the type.
   */
  public static Tensor from(Object value) { throw todo(); }

  public static Tensor zeros(DType dtype, int... shape) { throw todo(); }

  public static Tensor ones(DType dtype, int... shape) { throw todo(); }

  public static Tensor full(double value, DType dtype, int... shape) { throw todo(); }

  /** Standard normal samples from {@code rng} (reproducible for a seeded Random). */
  public static Tensor randn(Random rng, DType dtype, int... shape) { throw todo(); }

  /** Uniform samples in [low, high) from {@code rng}. */
  public static Tensor uniform(Random rng, double low, double high, DType dtype, int... shape) { throw todo(); }

  /** One-hot rows: result shape [labels.length, classes]. Labels out of range are an error naming the index. */
  public static Tensor oneHot(int[] labels, int classes, DType dtype) { throw todo(); }

  // ---------------------------------------------------------------- metadata and reading

  /** A copy of the shape. */
  @Constant public int[] shape() { throw todo(); }

  /** Size of one axis; negative axes count from the end. */
  @Constant public int shape(int axis) { throw todo(); }

  @Constant public int rank() { throw todo(); }

  /** Number of elements. */
  @Constant public long size() { throw todo(); }

  @Constant public DType dtype() { throw todo(); }

  /** The value of a one-element tensor; an error naming the shape otherwise. */
  public double item() { throw todo(); }

  /** All elements in row-major order. */
  public double[] toDoubleArray() { throw todo(); }

  /** A rank-1 tensor as an array; error on other ranks. */
  public double[] toVector() { throw todo(); }

  /** A rank-2 tensor as nested arrays; error on other ranks. */
  public double[][] toMatrix() { throw todo(); }

  /** A copy as an ND4J array. */
  public INDArray toINDArray() { throw todo(); }

  /** Converts to another dtype (a copy; returns this when the dtype already matches). */
  public Tensor to(DType dtype) { throw todo(); }

  /**
   * numpy.allclose: same shape and |a - b| <= atol + rtol * |b| elementwise; NaN equals NaN only
   * when {@code equalNan}. Dtypes may differ here (comparison is in double).
   */
  public boolean allClose(Tensor other, double rtol, double atol, boolean equalNan) { throw todo(); }

  /** allClose with rtol 1e-5, atol 1e-8, NaN never equal. */
  public boolean allClose(Tensor other) { throw todo(); }

  /** numpy-like text: {@code tensor([[1, 2], [3, 4]], float32)}; long tensors are abbreviated with "...". */
  @Override public String toString() { throw todo(); }

  /** A short one-line preview (shape, dtype and the first few values), for labels and errors. */
  public String preview(int maxValues) { throw todo(); }

  // ---------------------------------------------------------------- elementwise primitives (broadcasting)

  @Primitive public Tensor neg() { throw todo(); }

  @Primitive public Tensor add(Tensor other) { throw todo(); }

  @Primitive public Tensor add(double other) { throw todo(); }

  @Primitive public Tensor sub(Tensor other) { throw todo(); }

  @Primitive public Tensor sub(double other) { throw todo(); }

  /** {@code other - this}. */
  @Primitive public Tensor rsub(double other) { throw todo(); }

  @Primitive public Tensor mul(Tensor other) { throw todo(); }

  @Primitive public Tensor mul(double other) { throw todo(); }

  @Primitive public Tensor div(Tensor other) { throw todo(); }

  @Primitive public Tensor div(double other) { throw todo(); }

  /** {@code other / this}. */
  @Primitive public Tensor rdiv(double other) { throw todo(); }

  /** {@code this ^ exponent} for a constant exponent. */
  @Primitive public Tensor pow(double exponent) { throw todo(); }

  @Primitive public Tensor exp() { throw todo(); }

  /** Natural log; log(0) = -inf and log of a negative is NaN, as in numpy. */
  @Primitive public Tensor log() { throw todo(); }

  @Primitive public Tensor sqrt() { throw todo(); }

  @Primitive public Tensor tanh() { throw todo(); }

  @Primitive public Tensor sigmoid() { throw todo(); }

  @Primitive public Tensor relu() { throw todo(); }

  @Primitive public Tensor abs() { throw todo(); }

  /** Elementwise maximum of two tensors (broadcasting). */
  @Primitive public Tensor maximum(Tensor other) { throw todo(); }

  /** Elementwise minimum of two tensors (broadcasting). */
  @Primitive public Tensor minimum(Tensor other) { throw todo(); }

  /** {@code mask != 0 ? this : other}, broadcasting all three. */
  @Primitive public Tensor where(@NoGrad Tensor mask, Tensor other) { throw todo(); }

  /** The same value, but no gradient flows through it. */
  @Primitive public Tensor stopGradient() { throw todo(); }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements: a rank-0 tensor. */
  @Primitive public Tensor sum() { throw todo(); }

  /** Sum over the given axes (negative axes count from the end). */
  @Primitive public Tensor sum(int[] axes, boolean keepDims) { throw todo(); }

  @Primitive public Tensor mean() { throw todo(); }

  @Primitive public Tensor mean(int[] axes, boolean keepDims) { throw todo(); }

  /** Maximum of all elements. The gradient goes to the maximal elements, split equally among ties. */
  @Primitive public Tensor max() { throw todo(); }

  @Primitive public Tensor max(int[] axes, boolean keepDims) { throw todo(); }

  // ---------------------------------------------------------------- shape primitives

  /** numpy reshape; one dimension may be -1. */
  @Primitive public Tensor reshape(int... shape) { throw todo(); }

  /** Swaps the last two axes (a matrix transpose; batched for rank > 2, identity for rank < 2). */
  @Primitive public Tensor transpose() { throw todo(); }

  /** numpy transpose with an explicit axis order. */
  @Primitive public Tensor permute(int... axes) { throw todo(); }

  /** numpy broadcast_to. */
  @Primitive public Tensor broadcastTo(int... shape) { throw todo(); }

  /** Elements {@code start <= i < end} along {@code axis} (negative axis counts from the end). */
  @Primitive public Tensor slice(int axis, int start, int end) { throw todo(); }

  /** Concatenation with {@code other} along {@code axis}. */
  @Primitive public Tensor concat(Tensor other, int axis) { throw todo(); }

  /** numpy matmul: vector cases, and batched with broadcast batch axes ([5,2,3] x [3,4] is [5,2,4]). */
  @Primitive public Tensor matmul(Tensor other) { throw todo(); }

  // ---------------------------------------------------------------- constant-valued functions

  /** 1 where this > other, else 0 (same dtype). */
  @Constant public Tensor gt(Tensor other) { throw todo(); }

  @Constant public Tensor gt(double other) { throw todo(); }

  /** 1 where this >= other, else 0. */
  @Constant public Tensor ge(Tensor other) { throw todo(); }

  @Constant public Tensor ge(double other) { throw todo(); }

  /** 1 where this == other, else 0. */
  @Constant public Tensor eq(Tensor other) { throw todo(); }

  /** -1, 0 or 1 elementwise. */
  @Constant public Tensor sign() { throw todo(); }

  /** Index of the maximum along an axis, as a float tensor without that axis. */
  @Constant public Tensor argmax(int axis) { throw todo(); }
}
