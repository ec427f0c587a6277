package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zkynet.NoGrad;
import zkynet.Tensor;
import zkynet.autodiff.PrimitiveTable.Prim;

/**
 * The rule table is complete and well-formed: every differentiable input of every {@link Primitive}
 * of {@link Tensor} has exactly one {@link Vjp} rule with the right signature, and every rule names a
 * primitive and an input that exist.
 */
class RulesCoverageTest {

  @Test
  void tensorHasPrimitives() {
    List<Prim> prims = PrimitiveTable.primitives();
    assertTrue(prims.size() >= 30, "expected the documented primitives, found " + prims.size());
    // the annotations are visible at run time (RUNTIME retention), which everything below relies on
    assertTrue(PrimitiveTable.primitive("exp()").inputs().equals(List.of("self")));
    assertEquals(List.of("self", "other"), PrimitiveTable.primitive("where(Tensor, Tensor)").inputs(),
        "where's mask is @NoGrad");
  }

  @Test
  void everyDifferentiableInputOfEveryPrimitiveHasARule() {
    List<String> missing = new ArrayList<>();
    for (Prim p : PrimitiveTable.primitives()) {
      for (String wrt : p.inputs()) {
        if (!PrimitiveTable.rules().containsKey(PrimitiveTable.key(p.method(), wrt))) {
          missing.add(p.signature() + " wrt " + wrt);
        }
      }
    }
    assertTrue(missing.isEmpty(), "primitives without a @Vjp rule in Rules: " + missing
        + "\nadd `@Vjp(op = \"<name>\", wrt = \"<input>\") public static Tensor <name>Wrt<Input>(Tensor g,"
        + " Tensor y, Tensor self, <the primitive's parameters>)`");
  }

  @Test
  void everyRuleNamesAnExistingPrimitiveInputWithTheRightSignature() {
    Map<String, Prim> bySignature = new HashMap<>();
    for (Prim p : PrimitiveTable.primitives()) {
      bySignature.put(PrimitiveTable.key(p.method(), ""), p);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Method> seen = new HashMap<>();
    int count = 0;
    for (Method r : Rules.class.getDeclaredMethods()) {
      Vjp vjp = r.getAnnotation(Vjp.class);
      if (vjp == null) {
        continue;
      }
      count++;
      String where = "Rules." + r.getName() + " (@Vjp op=" + vjp.op() + ", wrt=" + vjp.wrt() + ")";
      if (!PrimitiveTable.isPublicStatic(r)) {
        problems.add(where + " is not public static");
      }
      if (r.getReturnType() != Tensor.class) {
        problems.add(where + " returns " + r.getReturnType().getSimpleName() + ", not Tensor");
      }
      Class<?>[] types = r.getParameterTypes();
      if (types.length < 3 || types[0] != Tensor.class || types[1] != Tensor.class || types[2] != Tensor.class) {
        problems.add(where + " does not start with (Tensor g, Tensor y, Tensor self)");
        continue;
      }
      Class<?>[] own = Arrays.copyOfRange(types, 3, types.length);
      List<Method> sameName = Arrays.stream(Tensor.class.getDeclaredMethods())
          .filter(m -> m.getName().equals(vjp.op())).toList();
      if (sameName.isEmpty()) {
        problems.add(where + ": Tensor has no method " + vjp.op());
        continue;
      }
      Method target = sameName.stream().filter(m -> Arrays.equals(m.getParameterTypes(), own)).findFirst().orElse(null);
      if (target == null) {
        problems.add(where + ": no Tensor." + vjp.op() + Arrays.toString(PrimitiveTable.simpleTypes(own))
            + "; the parameters after (g, y, self) must be the primitive's own, same types and order");
        continue;
      }
      if (!target.isAnnotationPresent(Primitive.class)) {
        problems.add(where + ": Tensor." + vjp.op() + " is not @Primitive");
        continue;
      }
      Prim p = bySignature.get(PrimitiveTable.key(target, ""));
      if (!p.inputs().contains(vjp.wrt())) {
        problems.add(where + ": " + p.signature() + " has no differentiable input \"" + vjp.wrt()
            + "\" (its differentiable inputs are " + p.inputs() + ")");
      }
      Method previous = seen.put(PrimitiveTable.key(target, vjp.wrt()), r);
      if (previous != null) {
        problems.add(where + " duplicates Rules." + previous.getName());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    int inputs = PrimitiveTable.primitives().stream().mapToInt(p -> p.inputs().size()).sum();
    assertEquals(inputs, count, "one rule per differentiable input");
  }

  @Test
  void everyPublicMethodOfRulesIsARule() {
    List<String> extra = new ArrayList<>();
    for (Method r : Rules.class.getDeclaredMethods()) {
      if (Modifier.isPublic(r.getModifiers()) && !r.isAnnotationPresent(Vjp.class)) {
        extra.add(r.getName());
      }
    }
    assertTrue(extra.isEmpty(), "public methods of Rules without @Vjp (keep helpers private): " + extra);
  }

  @Test
  void ruleNamesAreUnique() {
    Map<String, Integer> counts = new HashMap<>();
    for (Method r : Rules.class.getDeclaredMethods()) {
      if (r.isAnnotationPresent(Vjp.class)) {
        counts.merge(r.getName(), 1, Integer::sum);
      }
    }
    counts.forEach((name, n) -> assertEquals(1, n, "rule name " + name + " is overloaded; name each rule once"));
  }

  @Test
  void noGradParametersAreTensors() {
    for (Prim p : PrimitiveTable.primitives()) {
      Method m = p.method();
      for (int i = 0; i < m.getParameterCount(); i++) {
        boolean noGrad = Arrays.stream(m.getParameterAnnotations()[i]).anyMatch(a -> a instanceof NoGrad);
        if (noGrad && m.getParameterTypes()[i] != Tensor.class) {
          fail(p.signature() + ": @NoGrad on a parameter of type " + m.getParameterTypes()[i].getSimpleName());
        }
      }
      assertFalse(m.isAnnotationPresent(Constant.class), p.signature() + " is both @Primitive and @Constant");
      assertEquals(Tensor.class, m.getReturnType(), p.signature() + " must return Tensor");
    }
  }

  @Test
  void sourceParameterNamesMatchReflection() {
    for (Prim p : PrimitiveTable.primitives()) {
      assertEquals(p.method().getParameterCount(), p.paramNames().size(), p.signature());
    }
  }
}
