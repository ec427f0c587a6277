package zkynet.processor;

import static zkynet.processor.Testing.assertErrors;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.error;
import static zkynet.processor.Testing.source;

import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;
import zkynet.processor.diagnostics.Diagnostic;

/**
 * One negative test per {@code @Operator} declaration and body diagnostic (ZK1xx, ZK2xx): each
 * asserts the exact message with its [ZKnnn] id, the file and the line.
 */
class OperatorDiagnosticsTest {
  private static final String ACTIVATIONS = "zkynet.examples.Activations";

  /** A class {@code zkynet.examples.Activations} with the usual imports and the given members. */
  static Source activations(String members) {
    return source(ACTIVATIONS, """
        package zkynet.examples;

        import java.util.List;
        import zkynet.Derivative;
        import zkynet.NoGrad;
        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Activations {
        """ + members.indent(2) + "}\n");
  }

  // ---------------------------------------------------------------- declarations (ZK1xx)

  @Test
  @Covers(Diagnostic.OPERATOR_NOT_STATIC)
  void operatorMustBeStatic() {
    Source src = activations("""
        @Operator
        public Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }
        """);
    assertErrors(compile(src),
        error("[ZK101] @Operator methods must be static: make softplus static",
            src, "public Tensor softplus("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_PRIVATE)
  void operatorMustNotBePrivate() {
    Source src = activations("""
        @Operator
        private static Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }
        """);
    assertErrors(compile(src),
        error("[ZK102] @Operator methods must not be private: the generated ActivationsOps calls "
            + "softplus", src, "private static Tensor softplus("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_TYPE_PARAMETERS)
  void operatorMustNotBeGeneric() {
    Source src = activations("""
        @Operator
        public static <T> Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }
        """);
    assertErrors(compile(src),
        error("[ZK103] @Operator method softplus must not have type parameters",
            src, "Tensor softplus("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_RETURN_TYPE)
  void operatorMustReturnTensor() {
    Source src = activations("""
        @Operator
        public static double total(Tensor x) {
          return 0.0;
        }
        """);
    assertErrors(compile(src),
        error("[ZK104] @Operator method total must return zkynet.Tensor, not double",
            src, "double total("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_PARAMETER_TYPE)
  void operatorParameterTypeIsReportedOnTheParameter() {
    Source src = activations("""
        @Operator
        public static Tensor sumAll(
            Tensor first,
            List<Tensor> rest) {
          return first.sum();
        }
        """);
    assertErrors(compile(src),
        error("[ZK105] parameter rest of @Operator method sumAll has type "
            + "java.util.List<zkynet.Tensor>: use Tensor (differentiated), a Tensor marked @NoGrad, "
            + "a primitive, a String or an array of primitives", src, "List<Tensor> rest"));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_NO_TENSOR_INPUT)
  void operatorNeedsADifferentiableInput() {
    Source src = activations("""
        @Operator
        public static Tensor scaledMask(@NoGrad Tensor mask, double scale) {
          return mask.mul(scale);
        }
        """);
    assertErrors(compile(src),
        error("[ZK106] @Operator method scaledMask has no differentiable input: add a Tensor "
            + "parameter not marked @NoGrad", src, "Tensor scaledMask("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_OVERLOADED)
  void operatorMustNotBeOverloaded() {
    Source src = activations("""
        @Operator
        public static Tensor scale(Tensor x) {
          return x.mul(2.0);
        }

        public static Tensor scale(Tensor x, double by) {
          return x.mul(by);
        }
        """);
    assertErrors(compile(src),
        error("[ZK107] @Operator method scale is overloaded: operators in one class need distinct "
            + "names", src, "Tensor scale(Tensor x)"));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_ENCLOSING)
  void operatorMustBeInAReachableClass() {
    Source src = activations("""
        private static final class Hidden {
          @Operator
          static Tensor softplus(Tensor x) {
            return x.exp().add(1.0).log();
          }
        }
        """);
    assertErrors(compile(src),
        error("[ZK108] @Operator method softplus must be declared in a top-level or static nested "
            + "class that is not private", src, "static Tensor softplus("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_ENCLOSING)
  void operatorMustNotBeInAnInnerClass() {
    Source src = activations("""
        final class Inner {
          @Operator
          static Tensor softplus(Tensor x) {
            return x.exp().add(1.0).log();
          }
        }
        """);
    assertErrors(compile(src),
        error("[ZK108] @Operator method softplus must be declared in a top-level or static nested "
            + "class that is not private", src, "static Tensor softplus("));
  }

  @Test
  @Covers(Diagnostic.OPERATOR_VARARGS)
  void operatorMustNotBeVarargs() {
    Source src = activations("""
        @Operator
        public static Tensor sumOver(Tensor x, int... axes) {
          return x.sum(axes, false);
        }
        """);
    assertErrors(compile(src),
        error("[ZK109] @Operator method sumOver must not be varargs", src, "Tensor sumOver("));
  }

  // ---------------------------------------------------------------- bodies (ZK2xx)

  private static final String STRAIGHT_LINE = " is not allowed in an @Operator body: write "
      + "straight-line code (local declarations and a final return), or supply the derivative with "
      + "@Derivative";

  @Test
  @Covers(Diagnostic.BODY_STATEMENT)
  void loopIsReportedOnTheLoop() {
    Source src = activations("""
        @Operator
        public static Tensor expTwice(Tensor x) {
          Tensor y = x;
          for (int i = 0; i < 2; i++) {
            y = y.exp();
          }
          return y;
        }
        """);
    assertErrors(compile(src), error("[ZK201] a for loop" + STRAIGHT_LINE, src, "for (int i"));
  }

  @Test
  @Covers(Diagnostic.BODY_STATEMENT)
  void ifStatementIsReportedOnTheStatement() {
    Source src = activations("""
        @Operator
        public static Tensor leaky(Tensor x, boolean leak) {
          Tensor y = x.relu();
          if (leak) {
            y = x.mul(0.01).add(y);
          }
          return y;
        }
        """);
    assertErrors(compile(src), error("[ZK201] an if statement" + STRAIGHT_LINE, src, "if (leak)"));
  }

  @Test
  @Covers({Diagnostic.BODY_NO_RETURN, Diagnostic.BODY_STATEMENT})
  void bodyMustEndWithReturn() {
    Source src = activations("""
        @Operator
        public static Tensor unfinished(Tensor x) {
          throw new UnsupportedOperationException("todo");
        }
        """);
    assertErrors(compile(src),
        error("[ZK201] a throw statement" + STRAIGHT_LINE, src, "throw new"),
        error("[ZK202] @Operator method unfinished must end with a return statement",
            src, "Tensor unfinished("));
  }

  @Test
  @Covers(Diagnostic.BODY_UNKNOWN_CALL)
  void unknownMethodOnADifferentiableValue() {
    Source src = activations("""
        @Operator
        public static Tensor probabilities(Tensor logits) {
          Tensor shifted = logits.sub(1.0);
          return shifted.softmax();
        }
        """);
    assertErrors(compile(src),
        error("[ZK203] shifted.softmax() is not differentiable: zkynet differentiates Tensor "
            + "primitives and @Operator methods; make it an @Operator or supply the derivative of "
            + "probabilities with @Derivative", src, "shifted.softmax()"));
  }

  @Test
  @Covers(Diagnostic.BODY_UNKNOWN_CALL)
  void plainStaticHelperOnADifferentiableValue() {
    Source src = activations("""
        static Tensor twice(Tensor t) {
          return t.mul(2.0);
        }

        @Operator
        public static Tensor expTwice(Tensor x) {
          return twice(x).exp();
        }
        """);
    assertErrors(compile(src),
        error("[ZK203] twice(x) is not differentiable: zkynet differentiates Tensor primitives and "
            + "@Operator methods; make it an @Operator or supply the derivative of expTwice with "
            + "@Derivative", src, "return twice(x)"));
  }

  @Test
  @Covers(Diagnostic.BODY_NON_DIFFERENTIABLE_METHOD)
  void readingItemOfADifferentiableValue() {
    Source src = activations("""
        @Operator
        public static Tensor normalized(Tensor x) {
          double total = x.sum().item();
          return x.div(total);
        }
        """);
    assertErrors(compile(src),
        error("[ZK204] Tensor.item() reads or changes the value of differentiable x.sum() outside "
            + "the graph: use Tensor primitives, or supply the derivative with @Derivative",
            src, "x.sum().item()"));
  }

  @Test
  @Covers(Diagnostic.BODY_NON_DIFFERENTIABLE_METHOD)
  void convertingADifferentiableValue() {
    Source src = activations("""
        @Operator
        public static Tensor precise(Tensor x) {
          return x.to(zkynet.DType.FLOAT64);
        }
        """);
    assertErrors(compile(src),
        error("[ZK204] Tensor.to() reads or changes the value of differentiable x outside the "
            + "graph: use Tensor primitives, or supply the derivative with @Derivative",
            src, "x.to("));
  }

  @Test
  @Covers(Diagnostic.BODY_ASSIGNMENT)
  void assigningAParameter() {
    Source src = activations("""
        @Operator
        public static Tensor softplus(Tensor x) {
          x = x.exp();
          return x.add(1.0).log();
        }
        """);
    assertErrors(compile(src),
        error("[ZK205] assignment to x is not allowed in an @Operator body: declare a new local "
            + "instead", src, "x = x.exp();"));
  }

  @Test
  @Covers(Diagnostic.BODY_ASSIGNMENT)
  void compoundAssignmentToALocal() {
    Source src = activations("""
        @Operator
        public static Tensor scaled(Tensor x, double s) {
          double factor = s;
          factor *= 2.0;
          return x.mul(factor);
        }
        """);
    assertErrors(compile(src),
        error("[ZK205] assignment to factor is not allowed in an @Operator body: declare a new "
            + "local instead", src, "factor *= 2.0;"));
  }

  @Test
  @Covers(Diagnostic.BODY_EXPRESSION)
  void conditionalOnADifferentiableValue() {
    Source src = activations("""
        @Operator
        public static Tensor signed(Tensor x, boolean positive) {
          Tensor y = positive ? x : x.neg();
          return y.exp();
        }
        """);
    assertErrors(compile(src),
        error("[ZK206] a conditional expression (?:) on a differentiable value is not supported in "
            + "an @Operator body: use Tensor primitives, or supply the derivative with @Derivative",
            src, "positive ? x : x.neg()"));
  }

  @Test
  @Covers(Diagnostic.BODY_INDARRAY)
  void inPlaceNd4jCall() {
    Source src = activations("""
        @Operator
        public static Tensor plusOne(Tensor x) {
          Tensor y = Tensor.of(x.toINDArray().addi(1.0));
          return y;
        }
        """);
    assertErrors(compile(src),
        error("[ZK207] x.toINDArray().addi(1.0) works on ND4J arrays outside zkynet's graph "
            + "(in-place or not, it has no derivative): use Tensor primitives, or supply the "
            + "derivative with @Derivative", src, "x.toINDArray().addi(1.0)"));
  }

  @Test
  @Covers(Diagnostic.BODY_AMBIGUOUS)
  void argumentWhoseTypeCannotBeTold() {
    // A static-imported constant has no type the processor can see (bodies are not attributed),
    // so add(Tensor) and add(double) both apply. A cast, x.add((double) PI), resolves it.
    Source src = source(ACTIVATIONS, """
        package zkynet.examples;

        import static java.lang.Math.PI;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Activations {
          @Operator
          public static Tensor shift(Tensor x) {
            return x.add(PI);
          }
        }
        """);
    assertErrors(compile(src),
        error("[ZK208] cannot tell which Tensor.add to call with arguments (?): cast the argument to "
            + "its type, e.g. (double) or (Tensor)", src, "x.add(PI)"));
  }

  // ---------------------------------------------------------------- recursion (ZK209)

  @Test
  @Covers(Diagnostic.BODY_RECURSION)
  void operatorCallingItselfIsRecursive() {
    Source src = activations("""
        @Operator
        public static Tensor repeat(Tensor x) {
          Tensor y = x.tanh();
          return repeat(y);
        }
        """);
    assertErrors(compile(src),
        error("[ZK209] @Operator repeat is recursive (Activations.repeat -> Activations.repeat): an "
            + "operator's derivative is derived from its body once, at compile time, so the body "
            + "cannot call itself; write the repetition out, or supply the derivative with "
            + "@Derivative", src, "return repeat(y);"));
  }

  @Test
  @Covers(Diagnostic.BODY_RECURSION)
  void recursionThroughAnotherClassNamesTheWholeCycle() {
    Source src = activations("""
        @Operator
        public static Tensor ping(Tensor x) {
          return zkynet.examples.Other.pong(x.exp());
        }

        @Operator
        public static Tensor unrelated(Tensor x) {
          return ping(x).add(1.0);
        }
        """);
    Source other = source("zkynet.examples.Other", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Other {
          @Operator
          public static Tensor pong(Tensor x) {
            Tensor half = x.mul(0.5);
            return Activations.ping(half);
          }
        }
        """);
    // One error for the cycle, on the call that enters it from its first operator; the operator
    // that merely calls into the cycle (unrelated) is not recursive.
    assertErrors(compile(src, other),
        error("[ZK209] @Operator ping is recursive (Activations.ping -> Other.pong -> "
            + "Activations.ping): an operator's derivative is derived from its body once, at compile "
            + "time, so the body cannot call itself; write the repetition out, or supply the "
            + "derivative with @Derivative", src, "zkynet.examples.Other.pong(x.exp())"));
  }
}
