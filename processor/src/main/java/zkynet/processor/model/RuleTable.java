package zkynet.processor.model;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The runtime's rule table ({@code zkynet.autodiff.Rules}) as the processor sees it: for a
 * {@code @Primitive} Tensor method and one of its inputs, the name of the {@code @Vjp} rule
 * method. The processor composes these rules; it holds no calculus of its own.
 */
public final class RuleTable {
  private final Env env;
  private final List<ExecutableElement> rules;

  RuleTable(Env env) {
    this.env = env;
    TypeElement table = env.elements().getTypeElement(Names.RULES);
    this.rules = table == null ? List.of()
        : ElementFilter.methodsIn(table.getEnclosedElements()).stream()
            .filter(m -> env.hasAnnotation(m, Names.VJP)).toList();
  }

  /**
   * The rule for input {@code wrt} ({@code "self"} or a parameter name) of {@code primitive}: a
   * {@code @Vjp(op, wrt)} method whose parameters after {@code (g, y)} are the receiver and then
   * the primitive's own parameter types. Null if the table has none.
   */
  public Rule find(ExecutableElement primitive, String wrt) {
    for (ExecutableElement rule : rules) {
      AnnotationMirror vjp = env.annotation(rule, Names.VJP);
      if (primitive.getSimpleName().contentEquals(env.annotationValue(vjp, "op"))
          && wrt.equals(env.annotationValue(vjp, "wrt")) && matches(rule, primitive)) {
        return new Rule(rule.getSimpleName().toString(),
            "true".equals(env.annotationValue(vjp, "noGradient")));
      }
    }
    return null;
  }

  /**
   * A rule of the table: its method name, and whether it is marked {@code noGradient} (no gradient
   * ever flows to that input, so the rule need not be called).
   */
  public record Rule(String method, boolean noGradient) {}

  private boolean matches(ExecutableElement rule, ExecutableElement primitive) {
    List<? extends VariableElement> rp = rule.getParameters();
    List<? extends VariableElement> pp = primitive.getParameters();
    if (rp.size() != pp.size() + 3) {
      return false;
    }
    for (int i = 0; i < pp.size(); i++) {
      TypeMirror a = env.types().erasure(rp.get(i + 3).asType());
      TypeMirror b = env.types().erasure(pp.get(i).asType());
      if (!env.types().isSameType(a, b)) {
        return false;
      }
    }
    return true;
  }
}
