package zkynet.processor.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import zkynet.processor.diagnostics.Diagnostic;
import zkynet.processor.diagnostics.Report;
import zkynet.processor.model.Env;
import zkynet.processor.model.Names;
import zkynet.processor.model.OperatorModel.Param;
import zkynet.processor.model.OperatorReader;

/** The declaration checks of an {@code @Operator} method and its {@code @Derivative}s, one small method each. */
public final class OperatorChecks {
  private final Env env;
  private final Report report;

  public OperatorChecks(Env env, Report report) {
    this.env = env;
    this.report = report;
  }

  /** Runs every declaration check on {@code op}. */
  public void check(ExecutableElement op) {
    isStatic(op);
    notPrivate(op);
    noTypeParameters(op);
    notVarargs(op);
    returnsTensor(op);
    parameterTypes(op);
    hasDifferentiableInput(op);
    notOverloaded(op);
    enclosingClassIsReachable(op);
  }

  private void isStatic(ExecutableElement op) {
    if (!op.getModifiers().contains(Modifier.STATIC)) {
      report.error(op, Diagnostic.OPERATOR_NOT_STATIC, op.getSimpleName());
    }
  }

  private void notPrivate(ExecutableElement op) {
    if (op.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(op, Diagnostic.OPERATOR_PRIVATE,
          Names.facadeSimpleName((TypeElement) op.getEnclosingElement()), op.getSimpleName());
    }
  }

  private void noTypeParameters(ExecutableElement op) {
    if (!op.getTypeParameters().isEmpty()) {
      report.error(op, Diagnostic.OPERATOR_TYPE_PARAMETERS, op.getSimpleName());
    }
  }

  private void notVarargs(ExecutableElement op) {
    if (op.isVarArgs()) {
      report.error(op, Diagnostic.OPERATOR_VARARGS, op.getSimpleName());
    }
  }

  private void returnsTensor(ExecutableElement op) {
    if (!env.isTensor(op.getReturnType())) {
      report.error(op, Diagnostic.OPERATOR_RETURN_TYPE, op.getSimpleName(), op.getReturnType());
    }
  }

  private void parameterTypes(ExecutableElement op) {
    for (VariableElement p : op.getParameters()) {
      if (!allowedParameterType(p.asType())) {
        report.error(p, Diagnostic.OPERATOR_PARAMETER_TYPE, p.getSimpleName(), op.getSimpleName(),
            p.asType());
      }
    }
  }

  private boolean allowedParameterType(TypeMirror t) {
    if (t.getKind().isPrimitive() || env.isTensor(t) || env.isNamed(t, "java.lang.String")) {
      return true;
    }
    return t.getKind() == TypeKind.ARRAY
        && ((javax.lang.model.type.ArrayType) t).getComponentType().getKind().isPrimitive();
  }

  private void hasDifferentiableInput(ExecutableElement op) {
    if (OperatorReader.params(env, op).stream().noneMatch(Param::differentiable)) {
      report.error(op, Diagnostic.OPERATOR_NO_TENSOR_INPUT, op.getSimpleName());
    }
  }

  private void notOverloaded(ExecutableElement op) {
    long same = ElementFilter.methodsIn(op.getEnclosingElement().getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().equals(op.getSimpleName())).count();
    if (same > 1) {
      report.error(op, Diagnostic.OPERATOR_OVERLOADED, op.getSimpleName());
    }
  }

  private void enclosingClassIsReachable(ExecutableElement op) {
    for (Element e = op.getEnclosingElement(); e instanceof TypeElement t;
        e = e.getEnclosingElement()) {
      boolean nestedInstance = t.getNestingKind() == NestingKind.MEMBER
          && !t.getModifiers().contains(Modifier.STATIC) && t.getKind() == ElementKind.CLASS;
      if (t.getModifiers().contains(Modifier.PRIVATE) || nestedInstance
          || t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
        report.error(op, Diagnostic.OPERATOR_ENCLOSING, op.getSimpleName());
        return;
      }
    }
  }

  // ------------------------------------------------------------------ @Derivative

  /**
   * Checks the {@code @Derivative} methods of one class against its operators and returns, per
   * operator name, the derivative method per differentiable parameter (in parameter order); only
   * operators that have derivatives appear.
   */
  public Map<String, List<String>> derivatives(TypeElement owner, List<ExecutableElement> operators) {
    Map<String, Map<String, ExecutableElement>> byOperator = new LinkedHashMap<>();
    for (ExecutableElement d : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      AnnotationMirror a = env.annotation(d, Names.DERIVATIVE);
      if (a == null) {
        continue;
      }
      String of = env.annotationValue(a, "of");
      String wrt = env.annotationValue(a, "wrt");
      ExecutableElement op = operators.stream()
          .filter(o -> o.getSimpleName().contentEquals(of)).findFirst().orElse(null);
      if (op == null) {
        report.error(d, Diagnostic.DERIVATIVE_UNKNOWN_OPERATOR, of, owner.getSimpleName());
        continue;
      }
      List<Param> params = OperatorReader.params(env, op);
      if (params.stream().noneMatch(p -> p.differentiable() && p.name().equals(wrt))) {
        report.error(d, Diagnostic.DERIVATIVE_UNKNOWN_INPUT, wrt, of,
            params.stream().filter(Param::differentiable).map(Param::name).toList());
        continue;
      }
      if (!signatureMatches(d, op)) {
        report.error(d, Diagnostic.DERIVATIVE_SIGNATURE, d.getSimpleName(), d.getSimpleName(),
            expectedParameters(op));
        continue;
      }
      if (byOperator.computeIfAbsent(of, k -> new LinkedHashMap<>()).put(wrt, d) != null) {
        report.error(d, Diagnostic.DERIVATIVE_DUPLICATE, of, wrt);
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ExecutableElement op : operators) {
      Map<String, ExecutableElement> given = byOperator.get(op.getSimpleName().toString());
      if (given == null) {
        continue;
      }
      List<String> names = new ArrayList<>();
      for (Param p : OperatorReader.params(env, op)) {
        if (!p.differentiable()) {
          continue;
        }
        ExecutableElement d = given.get(p.name());
        if (d == null) {
          report.error(op, Diagnostic.DERIVATIVE_MISSING, op.getSimpleName(), p.name(),
              op.getSimpleName(), Names.operatorClass(p.name()), expectedParameters(op));
        } else {
          names.add(d.getSimpleName().toString());
        }
      }
      out.put(op.getSimpleName().toString(), names);
    }
    return out;
  }

  private boolean signatureMatches(ExecutableElement d, ExecutableElement op) {
    List<? extends VariableElement> dp = d.getParameters();
    List<? extends VariableElement> opp = op.getParameters();
    if (!d.getModifiers().contains(Modifier.STATIC) || d.getModifiers().contains(Modifier.PRIVATE)
        || !env.isTensor(d.getReturnType()) || dp.size() != opp.size() + 2
        || !env.isTensor(dp.get(0).asType()) || !env.isTensor(dp.get(1).asType())) {
      return false;
    }
    for (int i = 0; i < opp.size(); i++) {
      if (!env.types().isSameType(dp.get(i + 2).asType(), opp.get(i).asType())) {
        return false;
      }
    }
    return true;
  }

  private static String expectedParameters(ExecutableElement op) {
    StringBuilder s = new StringBuilder("Tensor g, Tensor y");
    for (VariableElement p : op.getParameters()) {
      s.append(", ").append(simpleType(p.asType())).append(' ').append(p.getSimpleName());
    }
    return s.toString();
  }

  static String simpleType(TypeMirror t) {
    return t.toString().replaceAll("\\b[a-z][a-z0-9_]*\\.", "").replaceAll("^.*\\.", "");
  }
}
