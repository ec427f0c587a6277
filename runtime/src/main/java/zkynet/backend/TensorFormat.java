package zkynet.backend;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import zkynet.DType;

/**
 * Text of tensors, following numpy's {@code repr} on one line: {@code tensor([[1., 2.], [3., 4.]],
 * float32)}. Numbers use numpy's rules (shortest round-trip digits, at most 8 after the point;
 * scientific notation for the whole tensor when a magnitude is below 1e-4 or at least 1e8, or the
 * largest is over 1000 times the smallest). Tensors with more than {@value #THRESHOLD} elements show
 * the first and last {@value #EDGE} entries of every long axis, with "..." between. Internal: used by
 * {@link zkynet.Tensor#toString()} and {@link zkynet.Tensor#preview(int)}.
 */
public final class TensorFormat {
  /** Tensors with more elements than this are abbreviated (numpy's default threshold). */
  public static final int THRESHOLD = 1000;

  /** Entries shown at each end of an abbreviated axis (numpy's edgeitems). */
  public static final int EDGE = 3;

  private TensorFormat() {}

  /** The lower-case dtype name: {@code float32}, {@code float64}. */
  public static String name(DType dtype) {
    return dtype.name().toLowerCase(Locale.ROOT);
  }

  /** {@code [3, 2]}; {@code []} for rank 0. */
  public static String shape(int[] shape) {
    return Shapes.str(shape);
  }

  /** numpy-like text of row-major {@code data} with {@code shape}. */
  public static String format(double[] data, int[] shape, DType dtype) {
    boolean summarize = data.length > THRESHOLD;
    int[] strides = Shapes.strides(shape);
    // The values shown decide the number format, as in numpy.
    List<Double> shown = new ArrayList<>();
    collect(data, shape, strides, 0, 0, summarize, shown);
    double[] values = shown.stream().mapToDouble(Double::doubleValue).toArray();
    NumberFormat fmt = new NumberFormat(values, dtype);
    StringBuilder sb = new StringBuilder("tensor(");
    if (shape.length == 0) {
      sb.append(fmt.format(data[0]));
    } else {
      append(sb, data, shape, strides, 0, 0, summarize, fmt);
    }
    return sb.append(", ").append(name(dtype)).append(')').toString();
  }

  /**
   * A short line: shape, dtype and the first {@code maxValues} values, e.g. {@code [3] float32 [36, 80,
   * 150]} or {@code [64,10] float32 [0.1, -0.2, ... ]}.
   */
  public static String preview(double[] data, int[] shape, DType dtype, int maxValues) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ",").append(shape[i]);
    }
    sb.append("] ").append(name(dtype)).append(' ');
    if (shape.length == 0) {
      return sb.append(compact(data[0])).toString();
    }
    sb.append('[');
    int n = Math.min(data.length, Math.max(0, maxValues));
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(compact(data[i]));
    }
    if (n < data.length) {
      sb.append(n == 0 ? "... ]" : ", ... ]");
    } else {
      sb.append(']');
    }
    return sb.toString();
  }

  /** A value in a few characters: integers without a point, others with 4 significant digits. */
  public static String compact(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (v == 0 && 1 / v < 0) ? "-0" : Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }

  private static void collect(double[] data, int[] shape, int[] strides, int axis, int offset,
      boolean summarize, List<Double> out) {
    if (axis == shape.length) {
      out.add(data[offset]);
      return;
    }
    for (int i : indices(shape[axis], summarize)) {
      if (i >= 0) {
        collect(data, shape, strides, axis + 1, offset + i * strides[axis], summarize, out);
      }
    }
  }

  private static void append(StringBuilder sb, double[] data, int[] shape, int[] strides, int axis,
      int offset, boolean summarize, NumberFormat fmt) {
    sb.append('[');
    boolean first = true;
    for (int i : indices(shape[axis], summarize)) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      if (i < 0) {
        sb.append("...");
      } else if (axis == shape.length - 1) {
        sb.append(fmt.format(data[offset + i]));
      } else {
        append(sb, data, shape, strides, axis + 1, offset + i * strides[axis], summarize, fmt);
      }
    }
    sb.append(']');
  }

  /** The indices shown along an axis of length n; -1 stands for "...". */
  private static int[] indices(int n, boolean summarize) {
    if (!summarize || n <= 2 * EDGE) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] some = new int[2 * EDGE + 1];
    for (int i = 0; i < EDGE; i++) {
      some[i] = i;
      some[EDGE + 1 + i] = n - EDGE + i;
    }
    some[EDGE] = -1;
    return some;
  }

  /** numpy's FloatingFormat with floatmode "maxprec", precision 8, no padding. */
  private static final class NumberFormat {
    private static final int PRECISION = 8;
    private final DType dtype;
    private final boolean scientific;
    private int fractionDigits;
    private int exponentDigits = 2;

    NumberFormat(double[] shown, DType dtype) {
      this.dtype = dtype;
      double max = 0;
      double min = Double.POSITIVE_INFINITY;
      for (double v : shown) {
        double a = Math.abs(v);
        if (Double.isFinite(v) && a != 0) {
          max = Math.max(max, a);
          min = Math.min(min, a);
        }
      }
      scientific = max > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
      if (scientific) {
        for (double v : shown) {
          if (Double.isFinite(v)) {
            Sci s = sci(v);
            fractionDigits = Math.max(fractionDigits, s.digits.length() - 1);
            exponentDigits = Math.max(exponentDigits, Integer.toString(Math.abs(s.exponent)).length());
          }
        }
      }
    }

    String format(double v) {
      if (Double.isNaN(v)) {
        return "nan";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "inf" : "-inf";
      }
      String sign = (v < 0 || (v == 0 && 1 / v < 0)) ? "-" : "";
      if (scientific) {
        Sci s = sci(v);
        StringBuilder m = new StringBuilder(s.digits.substring(0, 1)).append('.').append(s.digits.substring(1));
        while (m.length() - 2 < fractionDigits) {
          m.append('0');
        }
        String e = Integer.toString(Math.abs(s.exponent));
        while (e.length() < exponentDigits) {
          e = "0" + e;
        }
        return sign + m + "e" + (s.exponent < 0 ? "-" : "+") + e;
      }
      BigDecimal bd = shortest(Math.abs(v));
      if (bd.scale() > PRECISION) {
        bd = bd.setScale(PRECISION, RoundingMode.HALF_EVEN);
      }
      bd = bd.stripTrailingZeros();
      String s = bd.signum() == 0 ? "0" : bd.toPlainString();
      return sign + (s.contains(".") ? s : s + ".");
    }

    private record Sci(String digits, int exponent) {}

    private Sci sci(double v) {
      BigDecimal bd = shortest(Math.abs(v));
      if (bd.signum() == 0) {
        return new Sci("0", 0);
      }
      bd = bd.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN)).stripTrailingZeros();
      String digits = bd.unscaledValue().toString();
      int exponent = digits.length() - 1 - bd.scale();
      return new Sci(digits, exponent);
    }

    /** The shortest decimal that reads back as the same float32 or float64. */
    private BigDecimal shortest(double a) {
      return new BigDecimal(dtype == DType.FLOAT32 ? Float.toString((float) a) : Double.toString(a));
    }
  }
}
