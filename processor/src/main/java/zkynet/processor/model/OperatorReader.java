package zkynet.processor.model;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import zkynet.processor.diagnostics.Diagnostic;
import zkynet.processor.diagnostics.Report;
import zkynet.processor.model.OperatorModel.AliasStep;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorModel.Const;
import zkynet.processor.model.OperatorModel.ConstStep;
import zkynet.processor.model.OperatorModel.Diff;
import zkynet.processor.model.OperatorModel.Line;
import zkynet.processor.model.OperatorModel.OperatorStep;
import zkynet.processor.model.OperatorModel.Param;
import zkynet.processor.model.OperatorModel.PrimitiveStep;
import zkynet.processor.model.OperatorModel.Step;
import zkynet.processor.model.OperatorModel.Value;

/**
 * Reads one {@code @Operator} method's body (through the public {@code com.sun.source} API) into
 * straight-line form: one step per primitive, constants hoisted, every non-differentiable
 * construct reported on the exact expression. Method bodies are not attributed while processors
 * run, so the few types this needs (locals, literals, Tensor methods, static calls) are resolved
 * here from declarations, imports and {@link Names}.
 */
public final class OperatorReader {
  private final Env env;
  private final Report report;
  private final ExecutableElement method;
  private final CompilationUnitTree unit;
  private final Map<String, Symbol> symbols = new LinkedHashMap<>();
  private final Namer namer;
  private final List<OperatorCall> calls = new ArrayList<>();
  private List<Step> steps;

  /** A call from an operator's body to an {@code @Operator} method (differentiated or constant). */
  public record OperatorCall(ExecutableElement caller, ExecutableElement callee,
      CompilationUnitTree unit, Tree at) {}

  /** What a name in the body refers to: its type, and whether it holds a differentiable value. */
  private record Symbol(TypeMirror type, boolean differentiable) {}

  /** A lowered expression with its (best-effort) type; type null when unknown. */
  private record Typed(Value value, TypeMirror type) {}

  /** A reader that names the temporaries it introduces through {@code namer}. */
  public OperatorReader(Env env, Report report, ExecutableElement method, Namer namer) {
    this.env = env;
    this.report = report;
    this.method = method;
    this.namer = namer;
    TreePath path = env.trees().getPath(method);
    this.unit = path == null ? null : path.getCompilationUnit();
  }

  /**
   * Every identifier {@code method} uses: its parameters, and in its body the locals it declares and
   * every simple name it mentions (fields it reads, classes and methods it names). The seed of the
   * generated class's {@link Namer}.
   */
  public static Set<String> userNames(Env env, ExecutableElement method) {
    Set<String> names = new LinkedHashSet<>();
    method.getParameters().forEach(p -> names.add(p.getSimpleName().toString()));
    MethodTree tree = env.trees().getTree(method);
    if (tree == null || tree.getBody() == null) {
      return names;
    }
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        names.add(node.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree node, Void unused) {
        names.add(node.getName().toString());
        return super.visitVariable(node, unused);
      }
    }.scan(tree.getBody(), null);
    return names;
  }

  /** The calls to {@code @Operator} methods found by {@link #readBody()}, in source order. */
  public List<OperatorCall> operatorCalls() {
    return List.copyOf(calls);
  }

  /** The parameters of an operator (or of any method), with differentiability. */
  public static List<Param> params(Env env, ExecutableElement method) {
    List<Param> params = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      boolean diff = env.isTensor(p.asType()) && !env.hasAnnotation(p, Names.NO_GRAD);
      params.add(new Param(p.getSimpleName().toString(), p.asType(), diff));
    }
    return params;
  }

  /** Lowers the body; returns null (with errors in the report) when it cannot be differentiated. */
  public Body readBody() {
    MethodTree tree = env.trees().getTree(method);
    if (tree == null || tree.getBody() == null || unit == null) {
      return null;
    }
    for (Param p : params(env, method)) {
      symbols.put(p.name(), new Symbol(p.type(), p.differentiable()));
    }
    int errorsBefore = report.size();
    BlockTree body = tree.getBody();
    List<Line> lines = new ArrayList<>();
    Value output = null;
    List<? extends StatementTree> statements = body.getStatements();
    for (int i = 0; i < statements.size(); i++) {
      StatementTree st = statements.get(i);
      steps = new ArrayList<>();
      if (st instanceof VariableTree v && v.getInitializer() != null) {
        readDeclaration(v);
      } else if (st instanceof ReturnTree r && i == statements.size() - 1 && r.getExpression() != null) {
        Typed t = lower(r.getExpression());
        output = t == null ? null : t.value();
      } else if (st instanceof ExpressionStatementTree es
          && (es.getExpression() instanceof AssignmentTree
              || es.getExpression() instanceof CompoundAssignmentTree)) {
        lower(es.getExpression());
        continue;
      } else {
        report.error(unit, st, Diagnostic.BODY_STATEMENT, describe(st));
        continue;
      }
      lines.add(new Line(sourceLine(st), List.copyOf(steps)));
    }
    if (statements.isEmpty() || !(statements.get(statements.size() - 1) instanceof ReturnTree)) {
      report.error(method, Diagnostic.BODY_NO_RETURN, method.getSimpleName());
    }
    if (report.size() > errorsBefore || output == null) {
      return null;
    }
    if (output instanceof Const c && !isField(c.source())) {
      String name = fresh("result");
      steps = new ArrayList<>();
      steps.add(new ConstStep(name, env.tensorType(), c.source()));
      lines.add(new Line("// constant result", List.copyOf(steps)));
      output = new Const(name);
    }
    return new Body(List.copyOf(lines), output);
  }

  private boolean isField(String source) {
    return symbols.containsKey(source);
  }

  private void readDeclaration(VariableTree v) {
    String name = v.getName().toString();
    ExpressionTree init = v.getInitializer();
    Typed t = lower(init, name);
    if (t == null) {
      symbols.put(name, new Symbol(env.tensorType(), true));
      return;
    }
    TypeMirror declared = v.getType() == null || v.getType().toString().equals("var")
        ? t.type() : resolveTypeTree(v.getType());
    if (t.value() instanceof Diff d) {
      if (!d.name().equals(name)) {
        steps.add(new AliasStep(name, d));
      }
      symbols.put(name, new Symbol(env.tensorType(), true));
    } else {
      Const c = (Const) t.value();
      TypeMirror type = declared != null ? declared : t.type();
      if (type == null) {
        report.error(unit, v, Diagnostic.BODY_STATEMENT, "a declaration whose type cannot be "
            + "determined (" + name + ")");
        return;
      }
      steps.add(new ConstStep(name, type, c.source()));
      symbols.put(name, new Symbol(type, false));
    }
  }

  // ------------------------------------------------------------------ expressions

  private Typed lower(ExpressionTree e) {
    return lower(e, null);
  }

  /**
   * Lowers an expression. A differentiable result is a {@link Diff} naming the field that holds
   * it ({@code target} when given and the expression is a step); a constant result is a {@link
   * Const} carrying Java source. Returns null after reporting an error.
   */
  private Typed lower(ExpressionTree e, String target) {
    if (e instanceof ParenthesizedTree p) {
      return lower(p.getExpression(), target);
    }
    if (e instanceof IdentifierTree id) {
      Symbol s = symbols.get(id.getName().toString());
      if (s != null) {
        return new Typed(s.differentiable() ? new Diff(id.getName().toString())
            : new Const(id.getName().toString()), s.type());
      }
      return constant(e);
    }
    if (e instanceof MethodInvocationTree call) {
      return lowerCall(call, target);
    }
    if (e instanceof LiteralTree || e instanceof NewArrayTree || e instanceof TypeCastTree
        || e instanceof ArrayAccessTree
        || e instanceof UnaryTree || e instanceof MemberSelectTree
        || e instanceof com.sun.source.tree.BinaryTree
        || e instanceof com.sun.source.tree.ConditionalExpressionTree) {
      Tree diffUse = firstDifferentiableUse(e);
      if (diffUse != null) {
        report.error(unit, e, Diagnostic.BODY_EXPRESSION, describe(e));
        return null;
      }
      return constant(e);
    }
    if (e instanceof AssignmentTree a) {
      report.error(unit, e, Diagnostic.BODY_ASSIGNMENT, a.getVariable());
      return null;
    }
    if (e instanceof CompoundAssignmentTree a) {
      report.error(unit, e, Diagnostic.BODY_ASSIGNMENT, a.getVariable());
      return null;
    }
    report.error(unit, e, Diagnostic.BODY_STATEMENT, describe(e));
    return null;
  }

  /** A constant expression (no differentiable value inside); errors if it uses one. */
  private Typed constant(ExpressionTree e) {
    Tree diffUse = firstDifferentiableUse(e);
    if (diffUse != null) {
      report.error(unit, e, Diagnostic.BODY_EXPRESSION, describe(e));
      return null;
    }
    return new Typed(new Const(source(e)), typeOf(e));
  }

  /**
   * Lowers a call. A constant result is re-evaluated from the call's own source, so the constants
   * hoisted while lowering its receiver and arguments are dropped again (no unused fields).
   */
  private Typed lowerCall(MethodInvocationTree call, String target) {
    int mark = steps.size();
    Typed t = lowerCallSteps(call, target);
    if (t != null && t.value() instanceof Const c) {
      List<Step> added = steps.subList(mark, steps.size());
      added.removeIf(step -> !step.target().equals(c.source()));
    }
    return t;
  }

  private Typed lowerCallSteps(MethodInvocationTree call, String target) {
    ExpressionTree select = call.getMethodSelect();
    String name;
    TypeElement staticOwner = null;
    Typed receiver = null;
    if (select instanceof MemberSelectTree ms) {
      name = ms.getIdentifier().toString();
      ExpressionTree recv = ms.getExpression();
      staticOwner = asTypeName(recv);
      if (staticOwner == null) {
        // ND4J arrays pulled out of a differentiable tensor: in place or not, no derivative.
        if (recv instanceof MethodInvocationTree inner
            && inner.getMethodSelect() instanceof MemberSelectTree ims
            && ims.getIdentifier().contentEquals("toINDArray")
            && firstDifferentiableUse(ims.getExpression()) != null) {
          report.error(unit, call, Diagnostic.BODY_INDARRAY, call.toString());
          return null;
        }
        receiver = lower(recv);
        if (receiver == null) {
          return null;
        }
      }
    } else if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
      staticOwner = env.staticOwnerOf(unit, (TypeElement) method.getEnclosingElement(), name);
    } else {
      report.error(unit, call, Diagnostic.BODY_STATEMENT, describe(call));
      return null;
    }

    // Lower the arguments first (left to right, as Java evaluates them).
    List<Typed> args = new ArrayList<>();
    boolean anyDiff = receiver != null && receiver.value() instanceof Diff;
    for (ExpressionTree a : call.getArguments()) {
      Typed t = lower(a);
      if (t == null) {
        return null;
      }
      args.add(t);
      anyDiff |= t.value() instanceof Diff;
    }
    List<TypeMirror> argTypes = args.stream().map(Typed::type).toList();

    if (receiver != null) {
      if (!env.isTensor(receiver.type())) {
        if (anyDiff) {
          report.error(unit, call, Diagnostic.BODY_UNKNOWN_CALL, call.toString(),
              method.getSimpleName());
          return null;
        }
        return constant(call);
      }
      List<ExecutableElement> found = env.resolve(env.tensorElement(), name, argTypes, false);
      if (found.size() != 1) {
        return unresolved(call, name, found, argTypes);
      }
      ExecutableElement m = found.get(0);
      if (env.hasAnnotation(m, Names.CONSTANT)) {
        return constantCall(call, m);
      }
      if (!env.hasAnnotation(m, Names.PRIMITIVE)) {
        if (anyDiff) {
          report.error(unit, call, Diagnostic.BODY_NON_DIFFERENTIABLE_METHOD, name + "()",
              select instanceof MemberSelectTree ms2 ? ms2.getExpression().toString() : "value");
          return null;
        }
        return constantCall(call, m);
      }
      if (!anyDiff) {
        return constantCall(call, m);
      }
      return primitive(call, m, receiver.value(), args, target);
    }

    if (staticOwner == null) {
      if (anyDiff) {
        report.error(unit, call, Diagnostic.BODY_UNKNOWN_CALL, call.toString(),
            method.getSimpleName());
        return null;
      }
      return new Typed(new Const(source(call)), null);
    }
    List<ExecutableElement> found = env.resolve(staticOwner, name, argTypes, true);
    if (found.size() == 1 && env.hasAnnotation(found.get(0), Names.OPERATOR)) {
      ExecutableElement op = found.get(0);
      calls.add(new OperatorCall(method, op, unit, call));
      if (!anyDiff) {
        return new Typed(new Const(hoist(source(call), op.getReturnType(), name)),
            op.getReturnType());
      }
      return operatorCall(op, args, target);
    }
    if (anyDiff) {
      report.error(unit, call, Diagnostic.BODY_UNKNOWN_CALL, call.toString(),
          method.getSimpleName());
      return null;
    }
    return new Typed(new Const(source(call)),
        found.size() == 1 ? found.get(0).getReturnType() : null);
  }

  private Typed unresolved(MethodInvocationTree call, String name, List<ExecutableElement> found,
      List<TypeMirror> argTypes) {
    if (found.size() > 1) {
      report.error(unit, call, Diagnostic.BODY_AMBIGUOUS, name, describeTypes(argTypes));
    } else {
      report.error(unit, call, Diagnostic.BODY_UNKNOWN_CALL, call.toString(),
          method.getSimpleName());
    }
    return null;
  }

  /** A call with a constant result (metadata, comparisons, factories): hoisted into a field. */
  private Typed constantCall(MethodInvocationTree call, ExecutableElement m) {
    return new Typed(new Const(hoist(source(call), m.getReturnType(), m.getSimpleName().toString())),
        m.getReturnType());
  }

  private Typed primitive(MethodInvocationTree call, ExecutableElement m, Value receiver,
      List<Typed> args, String target) {
    String name = m.getSimpleName().toString();
    List<? extends VariableElement> params = m.getParameters();
    args = packVarargs(m, args);
    List<Value> argValues = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      argValues.add(argument(args.get(i).value(), params.get(Math.min(i, params.size() - 1))));
    }
    receiver = argument(receiver, null);
    List<String> rules = new ArrayList<>();
    rules.add(receiver instanceof Diff ? rule(call, m, "self") : null);
    for (int i = 0; i < params.size(); i++) {
      VariableElement p = params.get(i);
      boolean diffInput = env.isTensor(p.asType()) && !env.hasAnnotation(p, Names.NO_GRAD);
      rules.add(diffInput && argValues.get(i) instanceof Diff
          ? rule(call, m, p.getSimpleName().toString()) : null);
    }
    if (rules.stream().anyMatch(r -> r != null && r.isEmpty())) {
      return null;
    }
    String out = target != null ? target : fresh(name);
    steps.add(new PrimitiveStep(out, name, receiver, argValues, rules));
    return new Typed(new Diff(out), env.tensorType());
  }

  /**
   * A varargs primitive called with elements ({@code x.reshape(2, 3)}) gets one array argument
   * ({@code new int[] {2, 3}}), so that arguments match parameters one to one, as rules expect.
   */
  private List<Typed> packVarargs(ExecutableElement m, List<Typed> args) {
    int fixed = m.getParameters().size() - 1;
    if (!m.isVarArgs() || args.size() < fixed) {
      return args;
    }
    if (args.size() == fixed + 1) {
      TypeMirror last = args.get(fixed).type();
      if (last == null || last.getKind() == javax.lang.model.type.TypeKind.ARRAY) {
        return args;
      }
    }
    List<Typed> elements = args.subList(fixed, args.size());
    if (!elements.stream().allMatch(t -> t.value() instanceof Const)) {
      return args;
    }
    TypeMirror array = m.getParameters().get(fixed).asType();
    String source = "new " + array + " {" + String.join(", ", elements.stream()
        .map(t -> ((Const) t.value()).source()).toList()) + "}";
    List<Typed> packed = new ArrayList<>(args.subList(0, fixed));
    packed.add(new Typed(new Const(source), array));
    return packed;
  }

  /**
   * The rule method for input {@code wrt} of primitive {@code m}; null when the table says no
   * gradient flows there ({@code stopGradient}); "" after reporting that the table has none.
   */
  private String rule(MethodInvocationTree call, ExecutableElement m, String wrt) {
    RuleTable.Rule rule = env.rules().find(m, wrt);
    if (rule == null) {
      report.error(unit, call, Diagnostic.INTERNAL_ERROR, call.toString(),
          "the rule table zkynet.autodiff.Rules has no @Vjp(op = \"" + m.getSimpleName()
              + "\", wrt = \"" + wrt + "\") for this overload");
      return "";
    }
    return rule.noGradient() ? null : rule.method();
  }

  private Typed operatorCall(ExecutableElement op, List<Typed> args, String target) {
    List<Param> params = params(env, op);
    List<Value> values = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      values.add(argument(args.get(i).value(), op.getParameters().get(i)));
    }
    String name = op.getSimpleName().toString();
    String callField = fresh(name + "Call");
    String out = target != null ? target : fresh(name);
    TypeElement owner = (TypeElement) op.getEnclosingElement();
    steps.add(new OperatorStep(out, callField, Names.facadeQualifiedName(env.elements(), owner),
        Names.operatorClass(name), values,
        params.stream().map(Param::differentiable).toList()));
    return new Typed(new Diff(out), env.tensorType());
  }

  /** Literals stay inline; other constants are evaluated once, in the forward pass, into a field. */
  private Value argument(Value v, VariableElement param) {
    if (v instanceof Const c && !isLiteral(c.source()) && !isField(c.source())) {
      TypeMirror type = param == null ? env.tensorType() : param.asType();
      return new Const(hoist(c.source(), type, param == null ? "constant"
          : param.getSimpleName().toString()));
    }
    return v;
  }

  private String hoist(String source, TypeMirror type, String hint) {
    if (isField(source)) {
      return source;
    }
    String name = fresh(hint);
    steps.add(new ConstStep(name, type, source));
    symbols.put(name, new Symbol(type, false));
    return name;
  }

  private static boolean isLiteral(String source) {
    return source.matches("-?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?[dDfFlL]?")
        || source.matches("-?\\.[0-9]+([eE][-+]?[0-9]+)?[dDfF]?")
        || source.equals("true") || source.equals("false") || source.startsWith("\"");
  }

  private String fresh(String hint) {
    return namer.numbered(hint);
  }

  /**
   * The source of a constant expression as the generated class must write it. That class does not
   * share the operator's scope, so names that resolve there are qualified: static fields and methods
   * of the operator's class (and its enclosing classes), static imports, and types (other than
   * Tensor and java.lang). Javac's rendering of the expression when nothing needs qualifying;
   * otherwise the original source text with the names replaced.
   */
  private String source(ExpressionTree e) {
    TypeElement enclosing = (TypeElement) method.getEnclosingElement();
    Map<Tree, String> qualified = new LinkedHashMap<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        if (node.getMethodSelect() instanceof IdentifierTree id) {
          TypeElement owner = env.staticOwnerOf(unit, enclosing, id.getName().toString());
          if (owner != null) {
            qualified.put(id, qualifiedName(owner) + "." + id.getName());
          }
          return scan(node.getArguments(), null);
        }
        return super.visitMethodInvocation(node, unused);
      }

      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        String name = node.getName().toString();
        if (symbols.containsKey(name)) {
          return null;
        }
        TypeElement owner = env.staticFieldOwnerOf(unit, enclosing, name);
        if (owner != null) {
          qualified.put(node, qualifiedName(owner) + "." + name);
          return null;
        }
        TypeElement type = env.resolveTypeName(unit, enclosing, name);
        if (type != null && !type.getQualifiedName().contentEquals(Names.TENSOR)) {
          String q = qualifiedName(type);
          if (!q.equals(name)) {
            qualified.put(node, q);
          }
        }
        return null;
      }
    }.scan(e, null);
    if (qualified.isEmpty()) {
      return e.toString();
    }
    var positions = env.trees().getSourcePositions();
    long start = positions.getStartPosition(unit, e);
    long end = positions.getEndPosition(unit, e);
    CharSequence text;
    try {
      text = unit.getSourceFile().getCharContent(true);
    } catch (java.io.IOException ex) {
      return e.toString();
    }
    StringBuilder out = new StringBuilder();
    long at = start;
    List<Map.Entry<Tree, String>> edits = new ArrayList<>(qualified.entrySet());
    edits.sort(java.util.Comparator.comparingLong(x -> positions.getStartPosition(unit, x.getKey())));
    for (Map.Entry<Tree, String> edit : edits) {
      long s = positions.getStartPosition(unit, edit.getKey());
      long t = positions.getEndPosition(unit, edit.getKey());
      if (start < 0 || s < at || t > end) {
        return e.toString();
      }
      out.append(text, (int) at, (int) s).append(edit.getValue());
      at = t;
    }
    return out.append(text, (int) at, (int) end).toString();
  }

  /**
   * How generated code names {@code type}: by its canonical name (generated classes may shadow a
   * simple name, e.g. {@code LeakyOps.Leaky} hides class {@code Leaky}), simple for java.lang.
   */
  private String qualifiedName(TypeElement type) {
    String name = type.getQualifiedName().toString();
    boolean topLevel = type.getNestingKind() == javax.lang.model.element.NestingKind.TOP_LEVEL;
    return topLevel && name.equals("java.lang." + type.getSimpleName())
        ? type.getSimpleName().toString() : name;
  }

  // ------------------------------------------------------------------ types

  /** The first identifier inside {@code e} that names a differentiable value, or null. */
  private Tree firstDifferentiableUse(Tree e) {
    Tree[] found = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree node, Void unused) {
        Symbol s = symbols.get(node.getName().toString());
        if (found[0] == null && s != null && s.differentiable()) {
          found[0] = node;
        }
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        // Metadata reads such as x.shape(0) are constants even on differentiable x.
        if (node.getMethodSelect() instanceof MemberSelectTree ms
            && Names.METADATA.contains(ms.getIdentifier().toString())) {
          return scan(node.getArguments(), null);
        }
        return super.visitMethodInvocation(node, unused);
      }
    }.scan(e, null);
    return found[0];
  }

  private TypeElement asTypeName(ExpressionTree recv) {
    if (recv instanceof IdentifierTree id) {
      if (symbols.containsKey(id.getName().toString())) {
        return null;
      }
      return env.resolveTypeName(unit, (TypeElement) method.getEnclosingElement(),
          id.getName().toString());
    }
    if (recv instanceof MemberSelectTree) {
      return env.elements().getTypeElement(recv.toString());
    }
    return null;
  }

  private TypeMirror typeOf(ExpressionTree e) {
    return env.typeOf(e, name -> {
      Symbol s = symbols.get(name);
      return s == null ? null : s.type();
    }, unit, (TypeElement) method.getEnclosingElement());
  }

  private TypeMirror resolveTypeTree(Tree t) {
    return env.resolveTypeTree(t, unit, (TypeElement) method.getEnclosingElement());
  }

  private static String describeTypes(List<TypeMirror> types) {
    return String.join(", ", types.stream().map(t -> t == null ? "?" : t.toString()).toList());
  }

  private String sourceLine(Tree st) {
    long line = unit.getLineMap().getLineNumber(
        env.trees().getSourcePositions().getStartPosition(unit, st));
    String text = st.toString().replaceAll("\\s+", " ").trim();
    if (!text.endsWith(";")) {
      text += ";";
    }
    return unit.getSourceFile().getName().replaceAll(".*[/\\\\]", "") + ":" + line + ": " + text;
  }

  static String describe(Tree t) {
    return switch (t.getKind()) {
      case FOR_LOOP, ENHANCED_FOR_LOOP -> "a for loop";
      case WHILE_LOOP, DO_WHILE_LOOP -> "a while loop";
      case IF -> "an if statement";
      case SWITCH, SWITCH_EXPRESSION -> "a switch";
      case TRY -> "a try statement";
      case THROW -> "a throw statement";
      case EXPRESSION_STATEMENT -> "an expression statement";
      case LAMBDA_EXPRESSION -> "a lambda";
      case CONDITIONAL_EXPRESSION -> "a conditional expression (?:)";
      case NEW_CLASS -> "object creation (new)";
      case VARIABLE -> "a declaration without initializer";
      case RETURN -> "a return before the end";
      case BLOCK -> "a nested block";
      case ARRAY_ACCESS -> "array access";
      default -> {
        String k = t.getKind().toString().toLowerCase().replace('_', ' ');
        yield (k.matches("^[aeiou].*") ? "an " : "a ") + k;
      }
    };
  }

  /** Every method of {@code type} named {@code name}. */
  static List<ExecutableElement> methodsNamed(TypeElement type, String name) {
    return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().contentEquals(name)).toList();
  }
}
