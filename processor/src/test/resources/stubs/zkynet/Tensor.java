package zkynet;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import zkynet.autodiff.Constant;
import zkynet.autodiff.Primitive;

/**
 * Test stub of the runtime's zkynet.Tensor: the same public signatures and the same @Primitive /
 * @Constant markers (copied from runtime/src/main/java/zkynet/Tensor.java), no behaviour. The
 * processor reads these markers to lower @Operator bodies; generated code compiles against them.
 */
public final class Tensor {
  private Tensor() {}

  public static Tensor of(double value) {
    return null;
  }

  public static Tensor of(double value, DType dtype) {
    return null;
  }

  public static Tensor of(double... values) {
    return null;
  }

  public static Tensor of(double[][] values) {
    return null;
  }

  public static Tensor of(double[][][] values) {
    return null;
  }

  public static Tensor of(float... values) {
    return null;
  }

  public static Tensor of(float[][] values) {
    return null;
  }

  public static Tensor of(double[] data, DType dtype, int... shape) {
    return null;
  }

  public static Tensor of(INDArray array) {
    return null;
  }

  public static Tensor from(Object value) {
    return null;
  }

  public static Tensor zeros(DType dtype, int... shape) {
    return null;
  }

  public static Tensor ones(DType dtype, int... shape) {
    return null;
  }

  public static Tensor full(double value, DType dtype, int... shape) {
    return null;
  }

  public static Tensor randn(Random rng, DType dtype, int... shape) {
    return null;
  }

  public static Tensor uniform(Random rng, double low, double high, DType dtype, int... shape) {
    return null;
  }

  public static Tensor oneHot(int[] labels, int classes, DType dtype) {
    return null;
  }

  public double item() {
    return 0;
  }

  public double[] toDoubleArray() {
    return null;
  }

  public double[] toVector() {
    return null;
  }

  public double[][] toMatrix() {
    return null;
  }

  public INDArray toINDArray() {
    return null;
  }

  public Tensor to(DType dtype) {
    return this;
  }

  public boolean allClose(Tensor other, double rtol, double atol, boolean equalNan) {
    return false;
  }

  public boolean allClose(Tensor other) {
    return false;
  }

  @Override public String toString() {
    return null;
  }

  public String preview(int maxValues) {
    return null;
  }

  @Constant public int[] shape() {
    return null;
  }

  @Constant public int shape(int axis) {
    return 0;
  }

  @Constant public int rank() {
    return 0;
  }

  @Constant public long size() {
    return 0;
  }

  @Constant public DType dtype() {
    return null;
  }

  @Primitive public Tensor neg() {
    return this;
  }

  @Primitive public Tensor add(Tensor other) {
    return this;
  }

  @Primitive public Tensor add(double other) {
    return this;
  }

  @Primitive public Tensor sub(Tensor other) {
    return this;
  }

  @Primitive public Tensor sub(double other) {
    return this;
  }

  @Primitive public Tensor rsub(double other) {
    return this;
  }

  @Primitive public Tensor mul(Tensor other) {
    return this;
  }

  @Primitive public Tensor mul(double other) {
    return this;
  }

  @Primitive public Tensor div(Tensor other) {
    return this;
  }

  @Primitive public Tensor div(double other) {
    return this;
  }

  @Primitive public Tensor rdiv(double other) {
    return this;
  }

  @Primitive public Tensor pow(double exponent) {
    return this;
  }

  @Primitive public Tensor pow(Tensor exponent) {
    return this;
  }

  @Primitive public Tensor exp() {
    return this;
  }

  @Primitive public Tensor log() {
    return this;
  }

  @Primitive public Tensor sqrt() {
    return this;
  }

  @Primitive public Tensor sin() {
    return this;
  }

  @Primitive public Tensor cos() {
    return this;
  }

  @Primitive public Tensor log1p() {
    return this;
  }

  @Primitive public Tensor expm1() {
    return this;
  }

  @Primitive public Tensor erf() {
    return this;
  }

  @Primitive public Tensor tanh() {
    return this;
  }

  @Primitive public Tensor sigmoid() {
    return this;
  }

  @Primitive public Tensor relu() {
    return this;
  }

  @Primitive public Tensor abs() {
    return this;
  }

  @Primitive public Tensor maximum(Tensor other) {
    return this;
  }

  @Primitive public Tensor minimum(Tensor other) {
    return this;
  }

  @Primitive public Tensor maximum(double other) {
    return this;
  }

  @Primitive public Tensor minimum(double other) {
    return this;
  }

  @Primitive public Tensor where(@NoGrad Tensor mask, Tensor other) {
    return this;
  }

  @Primitive public Tensor stopGradient() {
    return this;
  }

  @Primitive public Tensor sum() {
    return this;
  }

  @Primitive public Tensor sum(int[] axes, boolean keepDims) {
    return this;
  }

  @Primitive public Tensor mean() {
    return this;
  }

  @Primitive public Tensor mean(int[] axes, boolean keepDims) {
    return this;
  }

  @Primitive public Tensor max() {
    return this;
  }

  @Primitive public Tensor max(int[] axes, boolean keepDims) {
    return this;
  }

  @Primitive public Tensor sum(int axis) {
    return this;
  }

  @Primitive public Tensor mean(int axis) {
    return this;
  }

  @Primitive public Tensor max(int axis) {
    return this;
  }

  @Primitive public Tensor min() {
    return this;
  }

  @Primitive public Tensor min(int[] axes, boolean keepDims) {
    return this;
  }

  @Primitive public Tensor min(int axis) {
    return this;
  }

  @Primitive public Tensor reshape(int... shape) {
    return this;
  }

  @Primitive public Tensor transpose() {
    return this;
  }

  @Primitive public Tensor permute(int... axes) {
    return this;
  }

  @Primitive public Tensor broadcastTo(int... shape) {
    return this;
  }

  @Primitive public Tensor slice(int axis, int start, int end) {
    return this;
  }

  @Primitive public Tensor concat(Tensor other, int axis) {
    return this;
  }

  @Primitive public Tensor take(int[] indices, int axis) {
    return this;
  }

  @Primitive public Tensor indexAdd(int[] indices, int axis, int size) {
    return this;
  }

  @Primitive public Tensor flip(int axis) {
    return this;
  }

  @Primitive public Tensor pad(int axis, int before, int after) {
    return this;
  }

  @Primitive public Tensor matmul(Tensor other) {
    return this;
  }

  @Constant public Tensor gt(Tensor other) {
    return this;
  }

  @Constant public Tensor gt(double other) {
    return this;
  }

  @Constant public Tensor ge(Tensor other) {
    return this;
  }

  @Constant public Tensor ge(double other) {
    return this;
  }

  @Constant public Tensor eq(Tensor other) {
    return this;
  }

  @Constant public Tensor lt(Tensor other) {
    return this;
  }

  @Constant public Tensor lt(double other) {
    return this;
  }

  @Constant public Tensor le(Tensor other) {
    return this;
  }

  @Constant public Tensor le(double other) {
    return this;
  }

  @Constant public Tensor ne(Tensor other) {
    return this;
  }

  @Constant public Tensor ne(double other) {
    return this;
  }

  @Constant public Tensor sign() {
    return this;
  }

  @Constant public Tensor argmax(int axis) {
    return this;
  }

  @Constant public Tensor argmin(int axis) {
    return this;
  }

  @Constant public Tensor oneHot(int classes) {
    return this;
  }
}
