package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Tensor;

/**
 * The scalar twins ({@link ScalarRules}) of the elementwise rules of {@link Rules}, which fused loops
 * call, cannot drift from the tensor rules: every elementwise rule has a twin, every twin names a rule,
 * and at every point of a grid of edge and ordinary values the twin's local derivative times a
 * cotangent equals the tensor rule's result (float32, within 2 ulp: the twin of {@code g / b} is {@code
 * g * (1 / b)}; NaN matching NaN).
 */
class ScalarRulesTest {
  /** The primitives whose rules fused code uses (the processor fuses these and a closing sum()). */
  private static final Set<String> ELEMENTWISE = Set.of("neg", "add", "sub", "rsub", "mul", "div",
      "rdiv", "pow", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "maximum", "minimum", "sin",
      "cos", "log1p", "expm1", "erf");

  /**
   * Edge and ordinary points; among them for sin/cos a multiple of pi and a huge argument, for log1p
   * its pole -1, points near it and a tiny argument, for expm1 the overflow threshold, for erf the
   * tails (e^(-x^2) underflowing to 0) and the origin.
   */
  private static final float[] POINTS = {0f, -0f, 1f, -1f, 0.5f, -2.5f, 3f, 1e4f, -1e4f, 1e-20f, 88f,
      -90f, Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY, -0.999f, -0.75f, 1e-7f,
      (float) Math.PI, 1e30f, 89f, 4f, -6.5f, 10f};

  private static final double[] CONSTANTS = {0, 1, 2, 3, -1.5, 0.5};

  @Test
  void everyElementwiseRuleHasATwinAndEveryTwinARule() {
    Set<String> rules = new TreeSet<>();
    for (Method r : Rules.class.getDeclaredMethods()) {
      Vjp vjp = r.getAnnotation(Vjp.class);
      if (vjp != null && (ELEMENTWISE.contains(vjp.op()) || isFullSum(r, vjp))) {
        rules.add(r.getName());
      }
    }
    Set<String> twins = new TreeSet<>();
    Arrays.stream(ScalarRules.class.getMethods()).filter(m -> m.getDeclaringClass() == ScalarRules.class)
        .forEach(m -> twins.add(m.getName()));
    assertTrue(rules.size() >= 32, "found only " + rules);
    assertEquals(rules, twins, "Rules' elementwise rules and ScalarRules' twins differ");
  }

  private static boolean isFullSum(Method r, Vjp vjp) {
    return vjp.op().equals("sum") && r.getParameterCount() == 3;
  }

  @Test
  void twinsAgreeWithTheTensorRulesAtEveryPoint() throws Exception {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Method twin : ScalarRules.class.getMethods()) {
      if (twin.getDeclaringClass() != ScalarRules.class) {
        continue;
      }
      Method rule = ruleNamed(twin.getName());
      Vjp vjp = rule.getAnnotation(Vjp.class);
      Class<?>[] types = rule.getParameterTypes();
      boolean binary = types.length == 4;
      boolean scalarOther = binary && types[3] == double.class;
      double[] others = scalarOther ? CONSTANTS : binary ? toDoubles(POINTS) : new double[] {0};
      for (double other : others) {
        Tensor self = Tensor.of(POINTS);
        Tensor otherT = binary && !scalarOther ? Tensor.full(other, DType.FLOAT32, POINTS.length) : null;
        Object arg = scalarOther ? (Object) other : otherT;
        Tensor y = binary ? (Tensor) Tensor.class.getMethod(vjp.op(), types[3]).invoke(self, arg)
            : (Tensor) Tensor.class.getMethod(vjp.op()).invoke(self);
        Tensor g = Tensor.full(0.75, DType.FLOAT32, y.shape());
        Tensor out = binary ? (Tensor) rule.invoke(null, g, y, self, arg) : (Tensor) rule.invoke(null, g, y, self);
        double[] expected = out.broadcastTo(POINTS.length).toDoubleArray();
        double[] ys = y.broadcastTo(POINTS.length).toDoubleArray();
        for (int i = 0; i < POINTS.length; i++) {
          float local = binary
              ? (float) twin.invoke(null, (float) ys[i], POINTS[i], (float) other)
              : (float) twin.invoke(null, (float) ys[i], POINTS[i]);
          float actual = 0.75f * local;
          checked++;
          float e = (float) expected[i];
          boolean same = Float.compare(actual, e) == 0 || actual == e
              || Math.abs(actual - e) <= 2 * Math.ulp(e); // g * (1/b) against the tensor rule's g / b
          if (!same) {
            problems.add(twin.getName() + " at self=" + POINTS[i] + ", other=" + other + ": tensor rule "
                + expected[i] + ", scalar twin " + actual);
          }
        }
      }
    }
    assertTrue(checked > 1000, "checked only " + checked + " points");
    assertTrue(problems.isEmpty(), problems.size() + " disagreements:\n" + String.join("\n", problems));
  }

  private static Method ruleNamed(String name) {
    return Arrays.stream(Rules.class.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("ScalarRules." + name + " has no rule of that name in Rules"));
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
