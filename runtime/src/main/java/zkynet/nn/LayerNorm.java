package zkynet.nn;

import static zkynet.nn.FunctionalOps.layerNorm;
import static zkynet.nn.FunctionalOps.normalizeLast;

import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Layer normalisation over the last axis (PyTorch's {@code nn.LayerNorm(size)}): {@code (x - mean)
 * / sqrt(var + eps) * weight + bias}, the population variance over the last axis, weight starting
 * at ones and bias at zeros. Without the element-wise affine map there are no parameters.
 */
@Module
public class LayerNorm extends Zk_LayerNorm {
  final Parameter weight;
  final Parameter bias;
  private final int size;
  private final double eps;

  /** Over a last axis of {@code size}, eps 1e-5, with the element-wise affine map. */
  public LayerNorm(int size, DType dtype) {
    this(size, 1e-5, true, dtype);
  }

  public LayerNorm(int size, double eps, boolean elementwiseAffine, DType dtype) {
    if (size <= 0) {
      throw new IllegalArgumentException("LayerNorm: size must be positive, got " + size);
    }
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("LayerNorm: eps must be finite and >= 0, got " + eps);
    }
    this.size = size;
    this.eps = eps;
    this.weight = elementwiseAffine ? parameter(Tensor.ones(dtype, size)) : null;
    this.bias = elementwiseAffine ? parameter(Tensor.zeros(dtype, size)) : null;
  }

  Node call(Node x) {
    int[] shape = x.shape();
    if (shape.length == 0 || shape[shape.length - 1] != size) {
      throw new IllegalArgumentException(name() + ": LayerNorm(" + size + ") needs an input whose "
          + "last axis is " + size + ", got shape " + java.util.Arrays.toString(shape));
    }
    return weight == null ? normalizeLast(x, eps) : layerNorm(x, weight, bias, eps);
  }
}
