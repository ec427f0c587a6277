package zkynet.autodiff;

import zkynet.Tensor;

/**
 * Test stub of the runtime's rule table zkynet.autodiff.Rules: every @Vjp rule with the runtime's
 * signature (copied from runtime/src/main/java/zkynet/autodiff/Rules.java), bodies returning null.
 * The processor looks rules up here by (op, wrt, parameter types); generated backward passes call them.
 */
public final class Rules {
  private Rules() {}

  @Vjp(op = "neg", wrt = "self")
  public static Tensor negWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "add", wrt = "self")
  public static Tensor addWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "add", wrt = "other")
  public static Tensor addWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "add", wrt = "self")
  public static Tensor addScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "sub", wrt = "self")
  public static Tensor subWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "sub", wrt = "other")
  public static Tensor subWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "sub", wrt = "self")
  public static Tensor subScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "rsub", wrt = "self")
  public static Tensor rsubWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "mul", wrt = "self")
  public static Tensor mulWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "mul", wrt = "other")
  public static Tensor mulWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "mul", wrt = "self")
  public static Tensor mulScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "div", wrt = "self")
  public static Tensor divWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "div", wrt = "other")
  public static Tensor divWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "div", wrt = "self")
  public static Tensor divScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "rdiv", wrt = "self")
  public static Tensor rdivWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "pow", wrt = "self")
  public static Tensor powWrtSelf(Tensor g, Tensor y, Tensor self, double exponent) {
    return null;
  }

  @Vjp(op = "exp", wrt = "self")
  public static Tensor expWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "log", wrt = "self")
  public static Tensor logWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "sqrt", wrt = "self")
  public static Tensor sqrtWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "tanh", wrt = "self")
  public static Tensor tanhWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "sigmoid", wrt = "self")
  public static Tensor sigmoidWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "relu", wrt = "self")
  public static Tensor reluWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "abs", wrt = "self")
  public static Tensor absWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "maximum", wrt = "self")
  public static Tensor maximumWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "maximum", wrt = "other")
  public static Tensor maximumWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "minimum", wrt = "self")
  public static Tensor minimumWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "minimum", wrt = "other")
  public static Tensor minimumWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "where", wrt = "self")
  public static Tensor whereWrtSelf(Tensor g, Tensor y, Tensor self, Tensor mask, Tensor other) {
    return null;
  }

  @Vjp(op = "where", wrt = "other")
  public static Tensor whereWrtOther(Tensor g, Tensor y, Tensor self, Tensor mask, Tensor other) {
    return null;
  }

  @Vjp(op = "stopGradient", wrt = "self", noGradient = true)
  public static Tensor stopGradientWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    return null;
  }

  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    return null;
  }

  @Vjp(op = "max", wrt = "self")
  public static Tensor maxWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "max", wrt = "self")
  public static Tensor maxAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    return null;
  }

  @Vjp(op = "reshape", wrt = "self")
  public static Tensor reshapeWrtSelf(Tensor g, Tensor y, Tensor self, int... shape) {
    return null;
  }

  @Vjp(op = "transpose", wrt = "self")
  public static Tensor transposeWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "permute", wrt = "self")
  public static Tensor permuteWrtSelf(Tensor g, Tensor y, Tensor self, int... axes) {
    return null;
  }

  @Vjp(op = "broadcastTo", wrt = "self")
  public static Tensor broadcastToWrtSelf(Tensor g, Tensor y, Tensor self, int... shape) {
    return null;
  }

  @Vjp(op = "slice", wrt = "self")
  public static Tensor sliceWrtSelf(Tensor g, Tensor y, Tensor self, int axis, int start, int end) {
    return null;
  }

  @Vjp(op = "concat", wrt = "self")
  public static Tensor concatWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other, int axis) {
    return null;
  }

  @Vjp(op = "concat", wrt = "other")
  public static Tensor concatWrtOther(Tensor g, Tensor y, Tensor self, Tensor other, int axis) {
    return null;
  }

  @Vjp(op = "matmul", wrt = "self")
  public static Tensor matmulWrtSelf(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "matmul", wrt = "other")
  public static Tensor matmulWrtOther(Tensor g, Tensor y, Tensor self, Tensor other) {
    return null;
  }

  @Vjp(op = "sin", wrt = "self")
  public static Tensor sinWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "cos", wrt = "self")
  public static Tensor cosWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "log1p", wrt = "self")
  public static Tensor log1pWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "expm1", wrt = "self")
  public static Tensor expm1WrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "erf", wrt = "self")
  public static Tensor erfWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "pow", wrt = "self")
  public static Tensor powTensorWrtSelf(Tensor g, Tensor y, Tensor self, Tensor exponent) {
    return null;
  }

  @Vjp(op = "pow", wrt = "exponent")
  public static Tensor powTensorWrtExponent(Tensor g, Tensor y, Tensor self, Tensor exponent) {
    return null;
  }

  @Vjp(op = "maximum", wrt = "self")
  public static Tensor maximumScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "minimum", wrt = "self")
  public static Tensor minimumScalarWrtSelf(Tensor g, Tensor y, Tensor self, double other) {
    return null;
  }

  @Vjp(op = "sum", wrt = "self")
  public static Tensor sumAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    return null;
  }

  @Vjp(op = "mean", wrt = "self")
  public static Tensor meanAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    return null;
  }

  @Vjp(op = "max", wrt = "self")
  public static Tensor maxAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    return null;
  }

  @Vjp(op = "min", wrt = "self")
  public static Tensor minWrtSelf(Tensor g, Tensor y, Tensor self) {
    return null;
  }

  @Vjp(op = "min", wrt = "self")
  public static Tensor minAxesWrtSelf(Tensor g, Tensor y, Tensor self, int[] axes, boolean keepDims) {
    return null;
  }

  @Vjp(op = "min", wrt = "self")
  public static Tensor minAxisWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    return null;
  }

  @Vjp(op = "take", wrt = "self")
  public static Tensor takeWrtSelf(Tensor g, Tensor y, Tensor self, int[] indices, int axis) {
    return null;
  }

  @Vjp(op = "indexAdd", wrt = "self")
  public static Tensor indexAddWrtSelf(Tensor g, Tensor y, Tensor self, int[] indices, int axis, int size) {
    return null;
  }

  @Vjp(op = "flip", wrt = "self")
  public static Tensor flipWrtSelf(Tensor g, Tensor y, Tensor self, int axis) {
    return null;
  }

  @Vjp(op = "pad", wrt = "self")
  public static Tensor padWrtSelf(Tensor g, Tensor y, Tensor self, int axis, int before, int after) {
    return null;
  }
}
