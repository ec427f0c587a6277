package zkynet.nn;

import static zkynet.nn.FunctionalOps.batchNorm;
import static zkynet.nn.FunctionalOps.batchNormWith;

import java.util.Arrays;
import zkynet.Buffer;
import zkynet.CallSession;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Batch normalisation over the feature axis 1 (PyTorch's {@code nn.BatchNorm1d(features)}) of an
 * input {@code [N, F]} or {@code [N, F, L]}: {@code (x - mean) / sqrt(var + eps) * weight + bias}.
 *
 * <p>In training mode mean and (population) variance are the batch's, over every axis but 1, and
 * the running estimates are updated: {@code running = (1 - momentum) * running + momentum *
 * batch}, with the <em>unbiased</em> batch variance for {@code running_var}, as PyTorch does (also
 * in {@code infer}, as under PyTorch's {@code no_grad}: the mode decides, not the graph). In
 * evaluation mode ({@code eval()}) the running estimates are used and nothing is updated. The
 * running mean (starting at 0) and variance (starting at 1) are {@link Buffer}s: saved in
 * checkpoints, never touched by optimizers. Weight starts at ones and bias at zeros.
 */
@Module
public class BatchNorm1d extends Zk_BatchNorm1d {
  final Parameter weight;
  final Parameter bias;
  private final Buffer runningMean;
  private final Buffer runningVar;
  private final int features;
  private final double eps;
  private final double momentum;

  /** eps 1e-5, momentum 0.1, with the element-wise affine map. */
  public BatchNorm1d(int features, DType dtype) {
    this(features, 1e-5, 0.1, true, dtype);
  }

  public BatchNorm1d(int features, double eps, double momentum, boolean affine, DType dtype) {
    if (features <= 0) {
      throw new IllegalArgumentException("BatchNorm1d: features must be positive, got " + features);
    }
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("BatchNorm1d: eps must be finite and >= 0, got " + eps);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNorm1d: momentum must be in [0, 1], got "
          + momentum);
    }
    this.features = features;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? parameter(Tensor.ones(dtype, features)) : null;
    this.bias = affine ? parameter(Tensor.zeros(dtype, features)) : null;
    this.runningMean = buffer("running_mean", Tensor.zeros(dtype, features));
    this.runningVar = buffer("running_var", Tensor.ones(dtype, features));
  }

  /** The running mean {@code [features]}. */
  public Tensor runningMean() {
    return runningMean.value();
  }

  /** The running (unbiased) variance {@code [features]}. */
  public Tensor runningVar() {
    return runningVar.value();
  }

  Node call(Node x) {
    Tensor v = x.value();
    int[] shape = v.shape();
    if ((shape.length != 2 && shape.length != 3) || shape[1] != features) {
      throw new IllegalArgumentException(name() + " (" + CallSession.where() + "): BatchNorm1d("
          + features + ") needs an input [N, " + features + "] or [N, " + features + ", L], got "
          + Arrays.toString(shape));
    }
    int[] axes = shape.length == 2 ? new int[] {0} : new int[] {0, 2};
    int[] view = shape.length == 2 ? new int[] {features} : new int[] {features, 1};
    Operand w = weight != null ? weight : Operand.constant(Tensor.ones(v.dtype(), features));
    Operand b = bias != null ? bias : Operand.constant(Tensor.zeros(v.dtype(), features));
    if (!isTraining()) {
      return batchNormWith(x, runningMean.value(), runningVar.value(), w, b, view, eps);
    }
    long count = v.size() / features;
    if (count < 2) {
      throw new IllegalArgumentException(name() + " (" + CallSession.where() + "): BatchNorm1d "
          + "in training mode needs more than one value per feature, got input "
          + Arrays.toString(shape) + " (use eval() for single samples)");
    }
    Node out = batchNorm(x, w, b, axes, view, eps);
    updateRunningStats(v, axes, count); // only once the forward has succeeded
    return out;
  }

  private void updateRunningStats(Tensor x, int[] axes, long count) {
    Tensor mean = x.mean(axes, false);
    Tensor d = x.sub(x.mean(axes, true));
    Tensor unbiased = d.mul(d).sum(axes, false).div((double) (count - 1));
    runningMean.update(old -> old.mul(1 - momentum).add(mean.mul(momentum)));
    runningVar.update(old -> old.mul(1 - momentum).add(unbiased.mul(momentum)));
  }
}
