package zkynet.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a check compares: a workload's scalar value (f, a loss) and named arrays (gradients,
 * updated parameters), from a peer (float32, widened) or from {@link Reference} (float64).
 */
final class Outcome {
  final double value;
  final Map<String, double[]> arrays = new LinkedHashMap<>();

  Outcome(double value) {
    this.value = value;
  }

  Outcome with(String name, double... a) {
    arrays.put(name, a);
    return this;
  }

  Outcome with(String name, float[] a) {
    return with(name, widen(a));
  }

  static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /**
   * Throws an {@link AssertionError} unless this matches {@code expected}: the value within
   * relative error {@code valueTol}, and every array element within {@code arrayTol} times the
   * largest magnitude of the expected array. With a {@code baseline} (the parameters before the
   * steps), arrays are compared as changes from it, so that an update much smaller than the
   * parameter is still checked. Returns the errors found, for the log.
   */
  String assertMatches(Outcome expected, double valueTol, double arrayTol, Outcome baseline) {
    StringBuilder report = new StringBuilder();
    if (!Double.isNaN(expected.value)) { // NaN: the workload has no value to compare
      double ve = Math.abs(value - expected.value) / Math.max(1e-30, Math.abs(expected.value));
      report.append(String.format("value %.9g (reference %.9g, rel. error %.2e)", value, expected.value, ve));
      if (!(ve <= valueTol)) {
        throw new AssertionError("value " + value + " differs from the reference " + expected.value
            + " by " + ve + " (relative), more than " + valueTol);
      }
    }
    if (!arrays.keySet().equals(expected.arrays.keySet())) {
      throw new AssertionError("arrays " + arrays.keySet() + ", reference has " + expected.arrays.keySet());
    }
    for (String name : expected.arrays.keySet()) {
      double[] a = arrays.get(name);
      double[] e = expected.arrays.get(name);
      double[] base = baseline == null ? null : baseline.arrays.get(name);
      if (a.length != e.length) {
        throw new AssertionError(name + ": " + a.length + " elements, reference has " + e.length);
      }
      double scale = 0;
      for (int i = 0; i < e.length; i++) {
        scale = Math.max(scale, Math.abs(e[i] - (base == null ? 0 : base[i])));
      }
      double worst = -1;
      int at = -1;
      for (int i = 0; i < e.length; i++) {
        double err = Math.abs(a[i] - e[i]); // the baseline cancels in a difference of changes
        if (!(err <= worst)) { // also catches NaN
          worst = err;
          at = i;
        }
      }
      double rel = worst / Math.max(scale, Float.MIN_NORMAL); // absolute where the reference is ~0
      report.append(String.format("%s%s max error %.2e of %.2e", report.length() == 0 ? "" : "; ", name, worst, scale));
      if (!(rel <= arrayTol)) {
        throw new AssertionError(String.format("%s[%d] = %.9g, reference %.9g: error %.3g is %.3g of the"
            + " largest reference %s, more than %.1g", name, at, a[at], e[at], worst, rel,
            base == null ? "magnitude" : "change", arrayTol));
      }
    }
    return report.toString();
  }
}
