package zkynet.processor.model;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The compiler's view for the processor: elements, types, trees, and the small amount of name and
 * type resolution that un-attributed method bodies need.
 */
public final class Env {
  private final Elements elements;
  private final Types types;
  private final Trees trees;
  private RuleTable rules;

  public Env(ProcessingEnvironment processing) {
    this.elements = processing.getElementUtils();
    this.types = processing.getTypeUtils();
    this.trees = Trees.instance(processing);
  }

  public Elements elements() {
    return elements;
  }

  public Types types() {
    return types;
  }

  public Trees trees() {
    return trees;
  }

  public TypeElement tensorElement() {
    return elements.getTypeElement(Names.TENSOR);
  }

  public TypeMirror tensorType() {
    return tensorElement().asType();
  }

  /** The runtime's rule table, read once. */
  public RuleTable rules() {
    if (rules == null) {
      rules = new RuleTable(this);
    }
    return rules;
  }

  public boolean isTensor(TypeMirror type) {
    return type != null && type.getKind() == TypeKind.DECLARED
        && types.isSameType(types.erasure(type), types.erasure(tensorType()));
  }

  public boolean isNamed(TypeMirror type, String qualifiedName) {
    if (type == null || type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    TypeElement e = (TypeElement) types.asElement(type);
    return e.getQualifiedName().contentEquals(qualifiedName);
  }

  public boolean hasAnnotation(Element e, String qualifiedName) {
    return annotation(e, qualifiedName) != null;
  }

  public AnnotationMirror annotation(Element e, String qualifiedName) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(qualifiedName)) {
        return a;
      }
    }
    return null;
  }

  /** The string value of an annotation member, or null. */
  public String annotationValue(AnnotationMirror a, String member) {
    for (var entry : elements.getElementValuesWithDefaults(a).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(member)) {
        return String.valueOf(entry.getValue().getValue());
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ methods

  /**
   * The methods of {@code owner} named {@code name} applicable to arguments of the given types
   * (null = unknown, matches anything); narrowed to exact matches when several apply.
   */
  public List<ExecutableElement> resolve(TypeElement owner, String name, List<TypeMirror> args,
      boolean wantStatic) {
    List<ExecutableElement> applicable = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      if (m.getSimpleName().contentEquals(name)
          && m.getModifiers().contains(Modifier.STATIC) == wantStatic && applicable(m, args)) {
        applicable.add(m);
      }
    }
    if (applicable.size() > 1) {
      List<ExecutableElement> exact = applicable.stream().filter(m -> exact(m, args)).toList();
      if (exact.size() == 1) {
        return exact;
      }
    }
    return applicable;
  }

  private boolean applicable(ExecutableElement m, List<TypeMirror> args) {
    List<? extends VariableElement> ps = m.getParameters();
    if (!m.isVarArgs()) {
      if (ps.size() != args.size()) {
        return false;
      }
      for (int i = 0; i < ps.size(); i++) {
        if (!assignable(args.get(i), ps.get(i).asType())) {
          return false;
        }
      }
      return true;
    }
    int fixed = ps.size() - 1;
    if (args.size() < fixed) {
      return false;
    }
    for (int i = 0; i < fixed; i++) {
      if (!assignable(args.get(i), ps.get(i).asType())) {
        return false;
      }
    }
    TypeMirror array = ps.get(fixed).asType();
    if (args.size() == ps.size() && assignable(args.get(fixed), array) && args.get(fixed) != null) {
      return true;
    }
    TypeMirror component = ((javax.lang.model.type.ArrayType) array).getComponentType();
    for (int i = fixed; i < args.size(); i++) {
      if (!assignable(args.get(i), component)) {
        return false;
      }
    }
    return true;
  }

  private boolean exact(ExecutableElement m, List<TypeMirror> args) {
    List<? extends VariableElement> ps = m.getParameters();
    if (ps.size() != args.size()) {
      return false;
    }
    for (int i = 0; i < ps.size(); i++) {
      if (args.get(i) != null && !types.isSameType(args.get(i), ps.get(i).asType())) {
        return false;
      }
    }
    return true;
  }

  private boolean assignable(TypeMirror arg, TypeMirror param) {
    return arg == null || types.isAssignable(arg, param);
  }

  /**
   * The class providing an unqualified static method {@code name}: the enclosing classes first,
   * then single and on-demand static imports.
   */
  public TypeElement staticOwnerOf(CompilationUnitTree unit, TypeElement enclosing, String name) {
    return memberOwner(unit, enclosing, name, ElementKind.METHOD);
  }

  /**
   * The class providing an unqualified static field {@code name}: the enclosing classes first
   * (with inherited fields), then single and on-demand static imports.
   */
  public TypeElement staticFieldOwnerOf(CompilationUnitTree unit, TypeElement enclosing,
      String name) {
    return memberOwner(unit, enclosing, name, ElementKind.FIELD);
  }

  private TypeElement memberOwner(CompilationUnitTree unit, TypeElement enclosing, String name,
      ElementKind kind) {
    for (Element e = enclosing; e != null && (e.getKind().isClass() || e.getKind().isInterface());
        e = e.getEnclosingElement()) {
      for (Element m : elements.getAllMembers((TypeElement) e)) {
        if (m.getKind() == kind && m.getSimpleName().contentEquals(name)
            && (kind == ElementKind.METHOD || m.getModifiers().contains(Modifier.STATIC))) {
          return (TypeElement) m.getEnclosingElement();
        }
      }
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree ms)) {
        continue;
      }
      String member = ms.getIdentifier().toString();
      if (member.equals(name) || member.equals("*")) {
        TypeElement t = elements.getTypeElement(ms.getExpression().toString());
        if (t != null && elements.getAllMembers(t).stream()
            .anyMatch(m -> m.getKind() == kind && m.getSimpleName().contentEquals(name))) {
          return t;
        }
      }
    }
    return null;
  }

  /** Resolves a simple type name as javac would: nested, imported, same package, java.lang. */
  public TypeElement resolveTypeName(CompilationUnitTree unit, TypeElement enclosing, String name) {
    for (Element e = enclosing; e != null && (e.getKind().isClass() || e.getKind().isInterface());
        e = e.getEnclosingElement()) {
      if (e.getSimpleName().contentEquals(name)) {
        return (TypeElement) e;
      }
      for (TypeElement nested : ElementFilter.typesIn(e.getEnclosedElements())) {
        if (nested.getSimpleName().contentEquals(name)) {
          return nested;
        }
      }
    }
    List<String> onDemand = new ArrayList<>();
    for (ImportTree imp : unit.getImports()) {
      if (imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree ms)) {
        continue;
      }
      if (ms.getIdentifier().contentEquals(name)) {
        return elements.getTypeElement(ms.toString());
      }
      if (ms.getIdentifier().contentEquals("*")) {
        onDemand.add(ms.getExpression().toString());
      }
    }
    String pkg = elements.getPackageOf(enclosing).getQualifiedName().toString();
    TypeElement t = elements.getTypeElement(pkg.isEmpty() ? name : pkg + "." + name);
    if (t != null) {
      return t;
    }
    for (String p : onDemand) {
      t = elements.getTypeElement(p + "." + name);
      if (t != null) {
        return t;
      }
    }
    return elements.getTypeElement("java.lang." + name);
  }

  /** The type written in a declaration ({@code int}, {@code int[]}, {@code Tensor}), or null. */
  public TypeMirror resolveTypeTree(Tree t, CompilationUnitTree unit, TypeElement enclosing) {
    if (t instanceof PrimitiveTypeTree p) {
      return types.getPrimitiveType(p.getPrimitiveTypeKind());
    }
    if (t instanceof ArrayTypeTree a) {
      TypeMirror c = resolveTypeTree(a.getType(), unit, enclosing);
      return c == null ? null : types.getArrayType(c);
    }
    if (t instanceof IdentifierTree id) {
      TypeElement e = resolveTypeName(unit, enclosing, id.getName().toString());
      return e == null ? null : types.erasure(e.asType());
    }
    if (t instanceof MemberSelectTree ms) {
      TypeElement e = elements.getTypeElement(ms.toString());
      return e == null ? null : types.erasure(e.asType());
    }
    return null;
  }

  /** A best-effort static type of a constant expression; null when unknown. */
  public TypeMirror typeOf(ExpressionTree e, Function<String, TypeMirror> locals,
      CompilationUnitTree unit, TypeElement enclosing) {
    if (e instanceof ParenthesizedTree p) {
      return typeOf(p.getExpression(), locals, unit, enclosing);
    }
    if (e instanceof LiteralTree lit) {
      return switch (lit.getKind()) {
        case INT_LITERAL -> types.getPrimitiveType(TypeKind.INT);
        case LONG_LITERAL -> types.getPrimitiveType(TypeKind.LONG);
        case FLOAT_LITERAL -> types.getPrimitiveType(TypeKind.FLOAT);
        case DOUBLE_LITERAL -> types.getPrimitiveType(TypeKind.DOUBLE);
        case BOOLEAN_LITERAL -> types.getPrimitiveType(TypeKind.BOOLEAN);
        case CHAR_LITERAL -> types.getPrimitiveType(TypeKind.CHAR);
        case STRING_LITERAL -> elements.getTypeElement("java.lang.String").asType();
        default -> null;
      };
    }
    if (e instanceof IdentifierTree id) {
      TypeMirror local = locals.apply(id.getName().toString());
      if (local != null) {
        return local;
      }
      for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(enclosing))) {
        if (f.getSimpleName().contentEquals(id.getName())) {
          return f.asType();
        }
      }
      return null;
    }
    if (e instanceof UnaryTree u) {
      return typeOf(u.getExpression(), locals, unit, enclosing);
    }
    if (e instanceof TypeCastTree c) {
      return resolveTypeTree(c.getType(), unit, enclosing);
    }
    if (e instanceof NewArrayTree na && na.getType() != null) {
      TypeMirror c = resolveTypeTree(na.getType(), unit, enclosing);
      if (c == null) {
        return null;
      }
      TypeMirror t = c;
      int dims = Math.max(1, na.getDimensions().size());
      for (int i = 0; i < dims; i++) {
        t = types.getArrayType(t);
      }
      return t;
    }
    if (e instanceof ConditionalExpressionTree c) {
      return typeOf(c.getTrueExpression(), locals, unit, enclosing);
    }
    if (e instanceof BinaryTree b) {
      switch (b.getKind()) {
        case LESS_THAN, LESS_THAN_EQUAL, GREATER_THAN, GREATER_THAN_EQUAL, EQUAL_TO, NOT_EQUAL_TO,
            CONDITIONAL_AND, CONDITIONAL_OR -> {
          return types.getPrimitiveType(TypeKind.BOOLEAN);
        }
        default -> {
          TypeMirror l = typeOf(b.getLeftOperand(), locals, unit, enclosing);
          TypeMirror r = typeOf(b.getRightOperand(), locals, unit, enclosing);
          if (l == null || r == null) {
            return null;
          }
          if (!l.getKind().isPrimitive() || !r.getKind().isPrimitive()) {
            return l.getKind().isPrimitive() ? r : l;
          }
          return rank(l) >= rank(r) ? promote(l) : promote(r);
        }
      }
    }
    if (e instanceof MemberSelectTree ms) {
      TypeElement owner = elements.getTypeElement(ms.getExpression().toString());
      if (owner == null && ms.getExpression() instanceof IdentifierTree id) {
        owner = resolveTypeName(unit, enclosing, id.getName().toString());
      }
      if (owner != null) {
        for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
          if (f.getSimpleName().contentEquals(ms.getIdentifier())) {
            return f.asType();
          }
        }
      }
      if (ms.getIdentifier().contentEquals("length")) {
        return types.getPrimitiveType(TypeKind.INT);
      }
      return null;
    }
    if (e instanceof ArrayAccessTree access) {
      TypeMirror array = typeOf(access.getExpression(), locals, unit, enclosing);
      return array instanceof ArrayType a ? a.getComponentType() : null;
    }
    if (e instanceof MethodInvocationTree call && call.getMethodSelect() instanceof MemberSelectTree ms
        && ms.getExpression() instanceof IdentifierTree id && locals.apply(id.getName().toString()) != null) {
      return returnType(locals.apply(id.getName().toString()), ms.getIdentifier().toString(),
          call.getArguments().size());
    }
    if (e instanceof MethodInvocationTree call && call.getMethodSelect() instanceof MemberSelectTree ms
        && ms.getExpression() instanceof IdentifierTree id) {
      TypeElement owner = resolveTypeName(unit, enclosing, id.getName().toString());
      if (owner != null) {
        for (ExecutableElement m : OperatorReader.methodsNamed(owner, ms.getIdentifier().toString())) {
          return m.getReturnType();
        }
      }
    }
    return null;
  }

  /** The return type of {@code receiver}'s methods named {@code name} with {@code arity} parameters, if they agree. */
  private TypeMirror returnType(TypeMirror receiver, String name, int arity) {
    if (receiver.getKind() != TypeKind.DECLARED) {
      return null;
    }
    TypeMirror found = null;
    for (ExecutableElement m : ElementFilter.methodsIn(
        elements.getAllMembers((TypeElement) types.asElement(receiver)))) {
      if (m.getSimpleName().contentEquals(name) && (m.getParameters().size() == arity || m.isVarArgs())) {
        if (found != null && !types.isSameType(found, m.getReturnType())) {
          return null;
        }
        found = m.getReturnType();
      }
    }
    return found;
  }

  private static int rank(TypeMirror t) {
    return switch (t.getKind()) {
      case DOUBLE -> 4;
      case FLOAT -> 3;
      case LONG -> 2;
      default -> 1;
    };
  }

  private TypeMirror promote(TypeMirror t) {
    return rank(t) == 1 ? types.getPrimitiveType(TypeKind.INT) : t;
  }

  /** Whether {@code type} is (a subclass of) the named class. */
  public boolean isSubtypeOf(TypeMirror type, String qualifiedName) {
    TypeElement target = elements.getTypeElement(qualifiedName);
    return target != null && type != null && type.getKind() == TypeKind.DECLARED
        && types.isSubtype(types.erasure(type), types.erasure(target.asType()));
  }
}
