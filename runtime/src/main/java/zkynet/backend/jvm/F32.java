package zkynet.backend.jvm;

import zkynet.backend.Backend.Binary;
import zkynet.backend.Backend.Scalar;
import zkynet.backend.Backend.Unary;

/**
 * float32 kernels on runs of {@code float[]} elements: one plain loop per operation, with the switch
 * outside the loop, so that C2 compiles each loop on its own (and vectorises the arithmetic ones).
 * Transcendental functions use {@link FastMath}. {@link F64} is the float64 twin.
 */
final class F32 {
  private F32() {}

  static void unary(Unary op, float[] x, int xo, float[] o, int oo, int n) {
    switch (op) {
      case NEG -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = -x[xo + i];
        }
      }
      case EXP -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = FastMath.exp(x[xo + i]);
        }
      }
      case LOG -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = FastMath.log(x[xo + i]);
        }
      }
      case SQRT -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = (float) Math.sqrt(x[xo + i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = FastMath.tanh(x[xo + i]);
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = FastMath.sigmoid(x[xo + i]);
        }
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = Math.max(x[xo + i], 0f); // NaN stays NaN
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
  static void unary(Unary op, float[] x, int xo, int sx, float[] o, int oo, int n) {
    if (sx == 1) {
      unary(op, x, xo, o, oo, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      unary(op, x, xo + i * sx, o, oo + i, 1);
    }
  }

  static void binary(Binary op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
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
  static void binary(Binary op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
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
    };
  }

  static void scalar(Scalar op, float[] x, int xo, float s, float[] o, int oo, int n) {
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
          o[oo + i] = x[xo + i] > s ? 1f : 0f;
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          o[oo + i] = x[xo + i] >= s ? 1f : 0f;
        }
      }
    }
  }

  private static void pow(float[] x, int xo, float s, float[] o, int oo, int n) {
    if (s == 2f) { // Math.pow(v, 2) is v * v exactly
      for (int i = 0; i < n; i++) {
        o[oo + i] = x[xo + i] * x[xo + i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        o[oo + i] = (float) Math.pow(x[xo + i], s);
      }
    }
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
