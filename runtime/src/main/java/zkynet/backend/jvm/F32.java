package zkynet.backend.jvm;

import zkynet.backend.Backend.Binary;
import zkynet.backend.Backend.Scalar;
import zkynet.backend.Backend.Slope;
import zkynet.backend.Backend.Unary;
import zkynet.backend.Erf;

/**
 * float32 kernels over an index range {@code [from, to)} of contiguous arrays, every operand and the
 * result at the same index: one plain loop per operation in its own small method, the switch outside.
 * The same index in every array is what lets Java 17's C2 vectorise the loop (with a different offset
 * per array it must assume the arrays overlap, and runs 5-8 times slower); the backend brings operands
 * to that form first. exp, log, tanh and sigmoid use {@link FastMath}; sin, cos, log1p, expm1 and erf
 * are computed in float64 ({@link Math}, {@link Erf}) and rounded, which is within 1 ulp of float32 (no
 * fast approximation: their error would need its own sweep). {@link F64} is the float64 twin.
 */
final class F32 {
  private F32() {}

  static void unary(Unary op, float[] x, float[] o, int from, int to) {
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

  static void binary(Binary op, float[] a, float[] b, float[] o, int from, int to) {
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

  static float apply(Binary op, float x, float y) {
    return switch (op) {
      case ADD -> x + y;
      case SUB -> x - y;
      case MUL -> x * y;
      case DIV -> x / y;
      case MAXIMUM -> Math.max(x, y); // NaN propagates, as in numpy
      case MINIMUM -> Math.min(x, y);
      case GT -> x > y ? 1f : 0f;
      case GE -> x >= y ? 1f : 0f;
      case EQ -> x == y ? 1f : 0f;
      case NE -> x != y ? 1f : 0f; // NaN != NaN
      case POW -> (float) Math.pow(x, y);
    };
  }

  /** {@code o[i] = x[i] op s}. */
  static void scalar(Scalar op, float[] x, float s, float[] o, int from, int to) {
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
            o[i] = (float) Math.pow(x[i], s);
          }
        }
      }
    }
  }

  // One small method per loop: C2 compiles (unrolls, vectorises) each within its node budget.

  private static void unaryNeg(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = -v;
    }
  }

  private static void unaryExp(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = FastMath.exp(v);
    }
  }

  private static void unaryLog(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = FastMath.log(v);
    }
  }

  private static void unarySqrt(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Math.sqrt(v);
    }
  }

  private static void unaryTanh(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = FastMath.tanh(v);
    }
  }

  private static void unarySigmoid(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = FastMath.sigmoid(v);
    }
  }

  private static void unaryRelu(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = Math.max(v, 0f);
    }
  }

  private static void unaryAbs(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = Math.abs(v);
    }
  }

  private static void unarySign(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = Math.signum(v);
    }
  }

  private static void binaryAdd(float[] a, float[] b, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] + b[i];
    }
  }

  private static void binarySub(float[] a, float[] b, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] - b[i];
    }
  }

  private static void binaryMul(float[] a, float[] b, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] * b[i];
    }
  }

  private static void binaryDiv(float[] a, float[] b, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] / b[i];
    }
  }

  private static void scalarAdd(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] + s;
    }
  }

  private static void scalarSub(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] - s;
    }
  }

  private static void scalarRsub(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = s - x[i];
    }
  }

  /** {@code o[i] = g[i] * f'(y[i])} for {@link Slope} {@code op}, each operation rounded as its own kernel would. */
  static void slope(Slope op, float[] g, float[] y, float[] o, int from, int to) {
    switch (op) {
      case TANH -> slopeTanh(g, y, o, from, to);
      case SIGMOID -> slopeSigmoid(g, y, o, from, to);
    }
  }

  private static void slopeTanh(float[] g, float[] y, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = g[i] * (1f - y[i] * y[i]);
    }
  }

  private static void slopeSigmoid(float[] g, float[] y, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = g[i] * (y[i] * (1f - y[i]));
    }
  }

  /** {@code o[i] = a[i] - s * b[i]}, the product rounded before the difference (as two kernels would). */
  static void subScaled(float[] a, float[] b, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = a[i] - s * b[i];
    }
  }

  private static void scalarMul(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] * s;
    }
  }

  private static void scalarDiv(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] / s;
    }
  }

  private static void scalarRdiv(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = s / x[i];
    }
  }

  private static void scalarGt(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] > s ? 1f : 0f;
    }
  }

  private static void scalarGe(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = x[i] >= s ? 1f : 0f;
    }
  }

  private static void unarySin(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Math.sin(v);
    }
  }

  private static void unaryCos(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Math.cos(v);
    }
  }

  private static void unaryLog1p(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Math.log1p(v);
    }
  }

  private static void unaryExpm1(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Math.expm1(v);
    }
  }

  private static void unaryErf(float[] x, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      o[i] = (float) Erf.erf(v);
    }
  }

  private static void scalarMax(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = Math.max(x[i], s); // NaN propagates, as in numpy
    }
  }

  private static void scalarMin(float[] x, float s, float[] o, int from, int to) {
    for (int i = from; i < to; i++) {
      o[i] = Math.min(x[i], s);
    }
  }

  private static float compare(Scalar op, float x, float s) {
    boolean r = switch (op) {
      case LT -> x < s;
      case LE -> x <= s;
      case NE -> x != s;
      default -> throw new IllegalArgumentException("not a comparison: " + op);
    };
    return r ? 1f : 0f;
  }

  /** Copies a run advancing by {@code sx} in the source and {@code so} in the destination. */
  static void copy(float[] x, int xo, int sx, float[] o, int oo, int so, int n) {
    if (sx == 1 && so == 1) {
      System.arraycopy(x, xo, o, oo, n);
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i * so] = x[xo + i * sx];
      }
    }
  }
}
