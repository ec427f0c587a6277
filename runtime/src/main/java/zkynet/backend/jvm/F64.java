package zkynet.backend.jvm;

import zkynet.backend.Backend.Binary;
import zkynet.backend.Backend.Scalar;
import zkynet.backend.Backend.Unary;

/**
 * float64 kernels: {@link F32}'s loops on {@code double[]}, with the exact {@link Math} functions
 * (and {@link FastMath#sigmoid(double)}, which is built on {@link Math#exp}).
 */
final class F64 {
  private F64() {}

  static void unary(Unary op, double[] x, int xo, double[] o, int oo, int n) {
    switch (op) {
      case NEG -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = -x[xo + i];
        }
      }
      case EXP -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.exp(x[xo + i]);
        }
      }
      case LOG -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.log(x[xo + i]);
        }
      }
      case SQRT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.sqrt(x[xo + i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.tanh(x[xo + i]);
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = FastMath.sigmoid(x[xo + i]);
        }
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.max(x[xo + i], 0.0); // NaN stays NaN
        }
      }
      case ABS -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.abs(x[xo + i]);
        }
      }
      case SIGN -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.signum(x[xo + i]);
        }
      }
    }
  }

  /** A unary run whose input advances by {@code sx} (0 for a broadcast input). */
  static void unary(Unary op, double[] x, int xo, int sx, double[] o, int oo, int n) {
    if (sx == 1) {
      unary(op, x, xo, o, oo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      unary(op, x, xo + i * sx, o, oo + i, 1);
    }
  }

  static void binary(Binary op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = a[ao + i] + b[bo + i];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = a[ao + i] - b[bo + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = a[ao + i] * b[bo + i];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = a[ao + i] / b[bo + i];
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = apply(op, a[ao + i], b[bo + i]);
        }
      }
    }
  }

  /** A binary run whose operands advance by {@code sa} and {@code sb} (0 for a broadcast operand). */
  static void binary(Binary op, double[] a, int ao, int sa, double[] b, int bo, int sb, double[] o, int oo, int n) {
    Scalar s;
    if (sa == 1 && sb == 1) {
      binary(op, a, ao, b, bo, o, oo, n);
    } else if (sa == 1 && sb == 0 && (s = op.scalarForm(false)) != null) {
      scalar(s, a, ao, b[bo], o, oo, n);
    } else if (sa == 0 && sb == 1 && (s = op.scalarForm(true)) != null) {
      scalar(s, b, bo, a[ao], o, oo, n);
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i] = apply(op, a[ao + i * sa], b[bo + i * sb]);
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
    };
  }

  static void scalar(Scalar op, double[] x, int xo, double s, double[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] + s;
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] - s;
        }
      }
      case RSUB -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = s - x[xo + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] * s;
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] / s;
        }
      }
      case RDIV -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = s / x[xo + i];
        }
      }
      case POW -> pow(x, xo, s, o, oo, n);
      case GT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] > s ? 1.0 : 0.0;
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] >= s ? 1.0 : 0.0;
        }
      }
    }
  }

  private static void pow(double[] x, int xo, double s, double[] o, int oo, int n) {
    if (s == 2.0) { // Math.pow(v, 2) is v * v exactly
      for (int i = 0; i < n; i++) {
        o[oo + i] = x[xo + i] * x[xo + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i] = Math.pow(x[xo + i], s);
      }
    }
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
