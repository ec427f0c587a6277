package zkynet.backend.jvm;

import zkynet.backend.Backend.Binary;
import zkynet.backend.Backend.Scalar;
import zkynet.backend.Backend.Slope;
import zkynet.backend.Backend.Unary;
import zkynet.backend.Erf;

/**
 * float64 kernels: {@link F32}'s loops on {@code double[]}, with the exact {@link Math} functions (and
 * {@link FastMath#sigmoid(double)}, which is built on {@link Math#exp}).
 */
final class F64 {
  private F64() {}

  static void unary(Unary op, double[] x, double[] o, int from, int to) {
    switch (op) {
      case NEG -> unaryNeg(x, o, from, to);
      case EXP -> unaryExp(x, o, from, to);
      case LOG -> unaryLog(x, o, from, to);
      case SQRT -> unarySqrt(x, o, from, to);
      case TANH -> unaryTanh(x, o, from, to);
      case SIGMOID -> unarySigmoid(x, o, from, to);
      case RELU -> unaryRelu(x, o, from, to);
      case ABS -> unaryAbs(x, o, from, to);
      case SIGN -> unarySign(x, o, from, to);
      case SIN -> unarySin(x, o, from, to);
      case COS -> unaryCos(x, o, from, to);
      case LOG1P -> unaryLog1p(x, o, from, to);
      case EXPM1 -> unaryExpm1(x, o, from, to);
      case ERF -> unaryErf(x, o, from, to);
    }
  }

  static void binary(Binary op, double[] a, double[] b, double[] o, int from, int to) {
    switch (op) {
      case ADD -> binaryAdd(a, b, o, from, to);
      case SUB -> binarySub(a, b, o, from, to);
      case MUL -> binaryMul(a, b, o, from, to);
      case DIV -> binaryDiv(a, b, o, from, to);
      default -> {
        for (int i = from; i < to; i++) {
          o[i] = apply(op, a[i], b[i]);
        }
      }
    }
  }

  static double apply(Binary op, double x, double y) {
    return switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> x / y;
      case MAXIMUM -> Math.max(x, y); // NaN propagates, as in numpy
      case MINIMUM -> Math.min(x, y);
      case GT -> x > y ? 1.0 : 0.0;
      case GE -> x >= y ? 1.0 : 0.0;
      case EQ -> x == y ? 1.0 : 0.0;
      case NE -> x != y ? 1.0 : 0.0; // NaN != NaN
      case POW -> Math.pow(x, y);
    };
  }

  /** {@code o[i] = x[i] op s}. */
  static void scalar(Scalar op, double[] x, double s, double[] o, int from, int to) {
    switch (op) {
      case ADD -> scalarAdd(x, s, o, from, to);
      case SUB -> scalarSub(x, s, o, from, to);
      case RSUB -> scalarRsub(x, s, o, from, to);
      case MUL -> scalarMul(x, s, o, from, to);
      case DIV -> scalarDiv(x, s, o, from, to);
      case RDIV -> scalarRdiv(x, s, o, from, to);
      case GT -> scalarGt(x, s, o, from, to);
      case GE -> scalarGe(x, s, o, from, to);
      case MAX -> scalarMax(x, s, o, from, to);
      case MIN -> scalarMin(x, s, o, from, to);
      case LT, LE, NE -> {
        for (int i = from; i < to; i++) {
          o[i] = compare(op, x[i], s);
        }
      }
      case POW -> {
        if (s == 2) { // Math.pow(v, 2) is v * v exactly
          binaryMul(x, x, o, from, to);
        } else {
          for (int i = from; i < to; i++) {
            o[i] = Math.pow(x[i], s);
          }
        }
      }
    }
  }

  // One small method per loop: C2 compiles (unrolls, vectorises) each within its node budget.

  private static void unaryNeg(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = -v;
    }
  }

  private static void unaryExp(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.exp(v);
    }
  }

  private static void unaryLog(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.log(v);
    }
  }

  private static void unarySqrt(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.sqrt(v);
    }
  }

  private static void unaryTanh(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.tanh(v);
    }
  }

  private static void unarySigmoid(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = FastMath.sigmoid(v);
    }
  }

  private static void unaryRelu(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.max(v, 0.0);
    }
  }

  private static void unaryAbs(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.abs(v);
    }
  }

  private static void unarySign(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.signum(v);
    }
  }

  private static void binaryAdd(double[] a, double[] b, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] + b[i];
    }
  }

  private static void binarySub(double[] a, double[] b, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] - b[i];
    }
  }

  private static void binaryMul(double[] a, double[] b, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] * b[i];
    }
  }

  private static void binaryDiv(double[] a, double[] b, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] / b[i];
    }
  }

  private static void scalarAdd(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] + s;
    }
  }

  private static void scalarSub(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] - s;
    }
  }

  private static void scalarRsub(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = s - x[i];
    }
  }

  /** {@code o[i] = g[i] * f'(y[i])} for {@link Slope} {@code op}, each operation rounded as its own kernel would. */
  static void slope(Slope op, double[] g, double[] y, double[] o, int from, int to) {
    switch (op) {
      case TANH -> slopeTanh(g, y, o, from, to);
      case SIGMOID -> slopeSigmoid(g, y, o, from, to);
    }
  }

  private static void slopeTanh(double[] g, double[] y, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = g[i] * (1 - y[i] * y[i]);
    }
  }

  private static void slopeSigmoid(double[] g, double[] y, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = g[i] * (y[i] * (1 - y[i]));
    }
  }

  /** {@code o[i] = a[i] - s * b[i]}, the product rounded before the difference (as two kernels would). */
  static void subScaled(double[] a, double[] b, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] - s * b[i];
    }
  }

  private static void scalarMul(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] * s;
    }
  }

  private static void scalarDiv(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] / s;
    }
  }

  private static void scalarRdiv(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = s / x[i];
    }
  }

  private static void scalarGt(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] > s ? 1.0 : 0.0;
    }
  }

  private static void scalarGe(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] >= s ? 1.0 : 0.0;
    }
  }

  private static void unarySin(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.sin(v);
    }
  }

  private static void unaryCos(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.cos(v);
    }
  }

  private static void unaryLog1p(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.log1p(v);
    }
  }

  private static void unaryExpm1(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Math.expm1(v);
    }
  }

  private static void unaryErf(double[] x, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = x[i];
      o[i] = Erf.erf(v);
    }
  }

  private static void scalarMax(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = Math.max(x[i], s); // NaN propagates, as in numpy
    }
  }

  private static void scalarMin(double[] x, double s, double[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = Math.min(x[i], s);
    }
  }

  private static double compare(Scalar op, double x, double s) {
    boolean r = switch (op) {
      case LT -> x < s;
      case LE -> x <= s;
      case NE -> x != s;
      default -> throw new IllegalArgumentException("not a comparison: " + op);
    };
    return r ? 1.0 : 0.0;
  }

  /** Copies a run advancing by {@code sx} in the source and {@code so} in the destination. */
  static void copy(double[] x, int xo, int sx, double[] o, int oo, int so, int n) {
    if (sx == 1 && so == 1) {
      System.arraycopy(x, xo, o, oo, n);
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i * so] = x[xo + i * sx];
      }
    }
  }
}
