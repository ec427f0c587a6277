package zkynet.autodiff;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zkynet.BuiltinsOps;
import zkynet.NoGrad;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Tensor;
import zkynet.autodiff.PrimitiveTable.Prim;

/**
 * Every differentiable primitive of {@link Tensor} is reachable inside a module's {@code call}: the
 * generated {@link BuiltinsOps} has a graph operator for it, named like the primitive (or as listed in
 * {@link #RENAMED}, since operators cannot be overloaded), taking an {@link Operand} for the receiver
 * and for each differentiable Tensor argument and the primitive's other arguments unchanged. A new
 * {@code @Primitive} without its {@code @Operator} in {@code Builtins} fails here.
 */
class GraphOperatorCoverageTest {

  /** Operator names that differ from the primitive's: overloads and the seed's {@code mult}. */
  private static final Map<String, String> RENAMED = Map.ofEntries(
      entry("mul(Tensor)", "mult"),
      entry("add(double)", "addScalar"),
      entry("sub(double)", "subScalar"),
      entry("mul(double)", "mulScalar"),
      entry("div(double)", "divScalar"),
      entry("pow(double)", "powScalar"),
      entry("maximum(double)", "maximumScalar"),
      entry("minimum(double)", "minimumScalar"),
      entry("sum(int[], boolean)", "sumAxes"),
      entry("sum(int)", "sumAxis"),
      entry("mean(int[], boolean)", "meanAxes"),
      entry("mean(int)", "meanAxis"),
      entry("max(int[], boolean)", "maxAxes"),
      entry("max(int)", "maxAxis"),
      entry("min(int[], boolean)", "minAxes"),
      entry("min(int)", "minAxis"));

  @Test
  void everyPrimitiveHasAGraphOperator() {
    List<String> missing = new ArrayList<>();
    for (Prim p : PrimitiveTable.primitives()) {
      String name = RENAMED.getOrDefault(p.signature(), p.name());
      Class<?>[] expected = facadeParameters(p.method());
      boolean found = Arrays.stream(BuiltinsOps.class.getDeclaredMethods())
          .anyMatch(m -> m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
              && Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Node.class
              && Arrays.equals(m.getParameterTypes(), expected));
      if (!found) {
        missing.add(p.signature() + " -> BuiltinsOps." + name
            + Arrays.toString(PrimitiveTable.simpleTypes(expected)));
      }
    }
    assertTrue(missing.isEmpty(), "primitives without a graph operator (add an @Operator to Builtins"
        + " that calls the primitive; name it in RENAMED if it differs): " + missing);
  }

  @Test
  void renamedEntriesNameExistingPrimitives() {
    List<String> signatures = PrimitiveTable.primitives().stream().map(Prim::signature).toList();
    for (String s : RENAMED.keySet()) {
      assertTrue(signatures.contains(s), "RENAMED lists " + s + ", which is not a @Primitive of Tensor");
    }
  }

  /** The facade's parameters: an Operand for self and each differentiable Tensor, the rest as declared. */
  private static Class<?>[] facadeParameters(Method primitive) {
    Class<?>[] own = primitive.getParameterTypes();
    Class<?>[] out = new Class<?>[own.length + 1];
    out[0] = Operand.class;
    for (int i = 0; i < own.length; i++) {
      boolean noGrad = Arrays.stream(primitive.getParameterAnnotations()[i]).anyMatch(a -> a instanceof NoGrad);
      out[i + 1] = own[i] == Tensor.class && !noGrad ? Operand.class : own[i];
    }
    return out;
  }
}
