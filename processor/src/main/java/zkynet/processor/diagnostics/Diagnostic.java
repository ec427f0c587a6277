package zkynet.processor.diagnostics;

/**
 * Every message the processor can report, in one place. Each has a stable ID, printed in brackets
 * at the start of the message, and a pattern with {@code %s} placeholders. One compile-testing test
 * per entry asserts its text, file and line.
 */
public enum Diagnostic {
  // ---------------------------------------------------------------- @Operator declarations
  OPERATOR_NOT_STATIC("ZK101", "@Operator methods must be static: make %s static"),
  OPERATOR_PRIVATE("ZK102", "@Operator methods must not be private: the generated %s calls %s"),
  OPERATOR_TYPE_PARAMETERS("ZK103", "@Operator method %s must not have type parameters"),
  OPERATOR_RETURN_TYPE("ZK104", "@Operator method %s must return zkynet.Tensor, not %s"),
  OPERATOR_PARAMETER_TYPE("ZK105",
      "parameter %s of @Operator method %s has type %s: use Tensor (differentiated), a Tensor "
          + "marked @NoGrad, a primitive, a String or an array of primitives"),
  OPERATOR_NO_TENSOR_INPUT("ZK106",
      "@Operator method %s has no differentiable input: add a Tensor parameter not marked @NoGrad"),
  OPERATOR_OVERLOADED("ZK107",
      "@Operator method %s is overloaded: operators in one class need distinct names"),
  OPERATOR_ENCLOSING("ZK108",
      "@Operator method %s must be declared in a top-level or static nested class that is not private"),
  OPERATOR_VARARGS("ZK109", "@Operator method %s must not be varargs"),

  // ---------------------------------------------------------------- @Operator bodies
  BODY_STATEMENT("ZK201",
      "%s is not allowed in an @Operator body: write straight-line code (local declarations and a "
          + "final return), or supply the derivative with @Derivative"),
  BODY_NO_RETURN("ZK202", "@Operator method %s must end with a return statement"),
  BODY_UNKNOWN_CALL("ZK203",
      "%s is not differentiable: zkynet differentiates Tensor primitives and @Operator methods; "
          + "make it an @Operator or supply the derivative of %s with @Derivative"),
  BODY_NON_DIFFERENTIABLE_METHOD("ZK204",
      "Tensor.%s reads or changes the value of differentiable %s outside the graph: use Tensor "
          + "primitives, or supply the derivative with @Derivative"),
  BODY_ASSIGNMENT("ZK205",
      "assignment to %s is not allowed in an @Operator body: declare a new local instead"),
  BODY_EXPRESSION("ZK206",
      "%s on a differentiable value is not supported in an @Operator body: use Tensor primitives, "
          + "or supply the derivative with @Derivative"),
  BODY_INDARRAY("ZK207",
      "%s works on ND4J arrays outside zkynet's graph (in-place or not, it has no derivative): use "
          + "Tensor primitives, or supply the derivative with @Derivative"),
  BODY_AMBIGUOUS("ZK208", "cannot tell which Tensor.%s to call with arguments (%s): cast the "
      + "argument to its type, e.g. (double) or (Tensor)"),
  BODY_RECURSION("ZK209",
      "@Operator %s is recursive (%s): an operator's derivative is derived from its body once, at "
          + "compile time, so the body cannot call itself; write the repetition out, or supply the "
          + "derivative with @Derivative"),

  // ---------------------------------------------------------------- @Derivative
  DERIVATIVE_UNKNOWN_OPERATOR("ZK301",
      "@Derivative(of = \"%s\") names no @Operator method of %s"),
  DERIVATIVE_UNKNOWN_INPUT("ZK302",
      "@Derivative(wrt = \"%s\") names no differentiable parameter of @Operator %s; expected one of %s"),
  DERIVATIVE_SIGNATURE("ZK303",
      "@Derivative %s has the wrong signature; expected: static Tensor %s(%s)"),
  DERIVATIVE_MISSING("ZK304",
      "@Operator %s has @Derivative methods but none for input %s: add one with signature "
          + "static Tensor %sGrad%s(%s)"),
  DERIVATIVE_DUPLICATE("ZK305", "@Operator %s has two @Derivative methods for input %s"),

  // ---------------------------------------------------------------- @Module
  MODULE_SUPERCLASS("ZK401",
      "@Module class %s must extend the generated %s (which extends zkynet.ModuleBase)"),
  MODULE_NO_FORWARD("ZK402",
      "@Module class %s has no forward method: declare Node call(Node ...) with one Node per input"),
  MODULE_FORWARD_SIGNATURE("ZK403", "the forward method %s must %s"),
  MODULE_FIELD_NOT_FINAL("ZK404",
      "%s field %s must be final: the module's structure is fixed at construction"),
  MODULE_FIELD_PRIVATE("ZK405",
      "%s field %s must not be private: the generated %s reads it"),
  MODULE_FORWARD_WRITES_FIELD("ZK406",
      "the forward method of %s writes field %s: a forward pass must not change the module; keep "
          + "values in locals"),
  MODULE_KIND("ZK407", "@Module %s must be a non-abstract, non-generic class that is top-level or "
      + "static nested, and not private"),

  // ---------------------------------------------------------------- internal
  INTERNAL_ERROR("ZK901",
      "zkynet processor failed on %s: %s (please report this with the source of the element)"),
  NO_TREE_API("ZK902",
      "zkynet's annotation processor needs javac's tree API (com.sun.source.util.Trees) to read "
          + "@Operator bodies, and this compiler (%s) does not provide it: compile with javac (Maven, "
          + "Gradle and IntelliJ IDEA's default builds use it; in Eclipse, delegate the build to "
          + "Maven or Gradle)");

  private final String id;
  private final String pattern;

  Diagnostic(String id, String pattern) {
    this.id = id;
    this.pattern = pattern;
  }

  public String id() {
    return id;
  }

  /** The full message: {@code [ID] pattern-with-arguments}. */
  public String format(Object... args) {
    return "[" + id + "] " + String.format(pattern, args);
  }
}
