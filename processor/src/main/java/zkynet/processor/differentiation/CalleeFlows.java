package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import zkynet.processor.differentiation.Backward.Flow;
import zkynet.processor.model.Names;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.OperatorStep;

/**
 * The gradient flow of called operators, known at compile time: for a callee compiled in the same
 * round, from its own reverse pass (derived here once more, with a copy of its name allocator, so the
 * class written for it is unchanged); for one already compiled (the runtime's built-ins, a library,
 * an earlier round), from the {@code @GradientFlow} the processor wrote on its {@code backward}.
 * Unknown (null) when neither says.
 */
public final class CalleeFlows implements Callees {
  static final String GRADIENT_FLOW = "zkynet.autodiff.GradientFlow";

  private final Elements elements;
  private final Map<String, OperatorModel> inRound = new HashMap<>();
  private final Map<String, List<Flow>> known = new HashMap<>();
  private final Set<String> deriving = new HashSet<>();

  /** {@code operators}: the operators this round writes. */
  public CalleeFlows(Elements elements, List<OperatorModel> operators) {
    this.elements = elements;
    for (OperatorModel op : operators) {
      inRound.put(key(Names.facadeQualifiedName(elements, op.owner()), Names.operatorClass(op.name())), op);
    }
  }

  @Override
  public List<Flow> flows(OperatorStep step) {
    String key = key(step.facade(), step.opClass());
    if (known.containsKey(key)) {
      return known.get(key);
    }
    OperatorModel op = inRound.get(key);
    List<Flow> flows;
    if (op == null) {
      flows = compiled(step);
    } else if (!deriving.add(key)) {
      return null; // recursion, reported as an error elsewhere
    } else {
      flows = op.body() == null ? null : Differentiator.derived(op, op.names().copy(), this).flows();
      deriving.remove(key);
    }
    known.put(key, flows);
    return flows;
  }

  /** From the {@code @GradientFlow} of the compiled callee's {@code backward}; null without one. */
  private List<Flow> compiled(OperatorStep step) {
    TypeElement facade = elements.getTypeElement(step.facade());
    if (facade == null) {
      return null;
    }
    for (TypeElement type : ElementFilter.typesIn(facade.getEnclosedElements())) {
      if (type.getSimpleName().contentEquals(step.opClass())) {
        for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
          if (m.getSimpleName().contentEquals("backward")) {
            return annotated(m);
          }
        }
      }
    }
    return null;
  }

  private static List<Flow> annotated(Element backward) {
    for (AnnotationMirror a : backward.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(GRADIENT_FLOW)) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
            : a.getElementValues().entrySet()) {
          if (e.getKey().getSimpleName().contentEquals("value")) {
            return flows(e.getValue().getValue());
          }
        }
      }
    }
    return null;
  }

  /** An enum array's constants (or a single constant) as flows; null for anything else. */
  private static List<Flow> flows(Object value) {
    List<Object> items = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> items.add(((AnnotationValue) v).getValue()));
    } else {
      items.add(value);
    }
    List<Flow> flows = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof VariableElement constant)) {
        return null;
      }
      try {
        flows.add(Flow.valueOf(constant.getSimpleName().toString()));
      } catch (IllegalArgumentException e) {
        return null; // a flow this processor does not know: treat as unknown
      }
    }
    return List.copyOf(flows);
  }

  private static String key(String facade, String opClass) {
    return facade + "." + opClass;
  }
}
