package zkynet.processor.validation;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import zkynet.processor.diagnostics.Diagnostic;
import zkynet.processor.diagnostics.Report;
import zkynet.processor.model.Env;
import zkynet.processor.model.ModuleModel;
import zkynet.processor.model.ModuleModel.Submodule;
import zkynet.processor.model.Names;

/** Reads a {@code @Module} class into a {@link ModuleModel}, checking it with small named checks. */
public final class ModuleChecks {
  static final String FORWARD = "call";

  private final Env env;
  private final Report report;

  public ModuleChecks(Env env, Report report) {
    this.env = env;
    this.report = report;
  }

  /** The model, or null when a check failed (the errors are in the report). */
  public ModuleModel read(TypeElement type) {
    int before = report.size();
    kind(type);
    superclass(type);
    ExecutableElement forward = forwardMethod(type);
    List<String> parameters = new ArrayList<>();
    List<Submodule> submodules = new ArrayList<>();
    fields(type, parameters, submodules);
    if (forward != null) {
      forwardWritesNoField(type, forward);
    }
    if (report.size() > before || forward == null) {
      return null;
    }
    List<String> inputs = forward.getParameters().stream()
        .map(p -> p.getSimpleName().toString()).toList();
    List<String> noGrad = forward.getParameters().stream()
        .filter(p -> env.hasAnnotation(p, Names.NO_GRAD))
        .map(p -> p.getSimpleName().toString()).toList();
    return new ModuleModel(type, FORWARD, inputs, noGrad, parameters, submodules);
  }

  /**
   * The parameter names of the module's one forward method, whatever else is wrong with it; empty
   * when there is none or several (then no typed entry points can be generated).
   */
  public static List<String> forwardInputs(TypeElement type) {
    List<ExecutableElement> calls = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(FORWARD)).toList();
    return calls.size() != 1 ? List.of() : calls.get(0).getParameters().stream()
        .map(p -> p.getSimpleName().toString()).toList();
  }

  private void kind(TypeElement type) {
    boolean ok = type.getKind() == ElementKind.CLASS
        && !type.getModifiers().contains(Modifier.ABSTRACT)
        && !type.getModifiers().contains(Modifier.PRIVATE)
        && type.getTypeParameters().isEmpty()
        && (type.getNestingKind() == NestingKind.TOP_LEVEL
            || (type.getNestingKind() == NestingKind.MEMBER
                && type.getModifiers().contains(Modifier.STATIC)));
    if (!ok) {
      report.error(type, Diagnostic.MODULE_KIND, type.getSimpleName());
    }
  }

  private void superclass(TypeElement type) {
    String expected = Names.moduleBaseSimpleName(type);
    TypeMirror sup = type.getSuperclass();
    String actual = sup.toString();
    if (!(actual.equals(expected) || actual.endsWith("." + expected))) {
      report.error(type, Diagnostic.MODULE_SUPERCLASS, type.getSimpleName(), expected);
    }
  }

  private ExecutableElement forwardMethod(TypeElement type) {
    List<ExecutableElement> calls = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(FORWARD)).toList();
    if (calls.isEmpty()) {
      report.error(type, Diagnostic.MODULE_NO_FORWARD, type.getSimpleName());
      return null;
    }
    if (calls.size() > 1) {
      report.error(calls.get(1), Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD,
          "be declared once: overloads are not supported");
      return null;
    }
    ExecutableElement f = calls.get(0);
    int before = report.size();
    if (f.getModifiers().contains(Modifier.STATIC)) {
      report.error(f, Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD, "not be static");
    }
    if (f.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(f, Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD,
          "not be private: the generated " + Names.moduleBaseSimpleName(type) + " calls it");
    }
    if (!f.getTypeParameters().isEmpty() || f.isVarArgs()) {
      report.error(f, Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD,
          "have no type parameters and no varargs");
    }
    if (!env.isNamed(f.getReturnType(), Names.NODE)) {
      report.error(f, Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD,
          "return zkynet.Node, not " + f.getReturnType());
    }
    for (VariableElement p : f.getParameters()) {
      if (!env.isNamed(p.asType(), Names.NODE)) {
        report.error(p, Diagnostic.MODULE_FORWARD_SIGNATURE, FORWARD,
            "take only Node parameters, one per input; parameter " + p.getSimpleName() + " is "
                + p.asType());
      }
    }
    return report.size() > before ? null : f;
  }

  private void fields(TypeElement type, List<String> parameters, List<Submodule> submodules) {
    for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getModifiers().contains(Modifier.STATIC)) {
        continue;
      }
      String what;
      if (env.isNamed(f.asType(), Names.PARAMETER)) {
        what = "Parameter";
        parameters.add(f.getSimpleName().toString());
      } else if (isModule(f.asType())) {
        what = "Sub-module";
        submodules.add(new Submodule(f.getSimpleName().toString(), false));
      } else if (isModuleList(f.asType())) {
        what = "Sub-module list";
        submodules.add(new Submodule(f.getSimpleName().toString(), true));
      } else {
        continue;
      }
      if (!f.getModifiers().contains(Modifier.FINAL)) {
        report.error(f, Diagnostic.MODULE_FIELD_NOT_FINAL, what, f.getSimpleName());
      }
      if (f.getModifiers().contains(Modifier.PRIVATE)) {
        report.error(f, Diagnostic.MODULE_FIELD_PRIVATE, what, f.getSimpleName(),
            Names.moduleBaseSimpleName(type));
      }
    }
  }

  private boolean isModule(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return false;
    }
    TypeElement e = (TypeElement) env.types().asElement(t);
    return env.hasAnnotation(e, Names.MODULE) || env.isSubtypeOf(t, Names.MODULE_BASE);
  }

  private boolean isModuleList(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED || !env.isNamed(env.types().erasure(t), "java.util.List")) {
      return false;
    }
    List<? extends TypeMirror> args = ((DeclaredType) t).getTypeArguments();
    return args.size() == 1 && isModule(args.get(0));
  }

  /** Reports every write to a field (assignment, compound assignment, ++/--) in the forward body. */
  private void forwardWritesNoField(TypeElement type, ExecutableElement forward) {
    TreePath path = env.trees().getPath(forward);
    if (path == null) {
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    MethodTree tree = (MethodTree) path.getLeaf();
    Set<String> locals = new HashSet<>();
    forward.getParameters().forEach(p -> locals.add(p.getSimpleName().toString()));
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        locals.add(node.getName().toString());
        return super.visitVariable(node, unused);
      }

      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        check(node.getVariable(), node);
        return super.visitAssignment(node, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        check(node.getVariable(), node);
        return super.visitCompoundAssignment(node, unused);
      }

      @Override
      public Void visitUnary(UnaryTree node, Void unused) {
        switch (node.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
              check(node.getExpression(), node);
          default -> { }
        }
        return super.visitUnary(node, unused);
      }

      private void check(ExpressionTree target, Tree at) {
        String field = null;
        if (target instanceof IdentifierTree id && !locals.contains(id.getName().toString())) {
          field = id.getName().toString();
        } else if (target instanceof MemberSelectTree ms
            && ms.getExpression() instanceof IdentifierTree recv
            && (recv.getName().contentEquals("this") || !locals.contains(recv.getName().toString()))) {
          field = ms.toString();
        }
        if (field != null) {
          report.error(unit, at, Diagnostic.MODULE_FORWARD_WRITES_FIELD, type.getSimpleName(), field);
        }
      }
    }.scan(tree.getBody(), null);
  }
}
