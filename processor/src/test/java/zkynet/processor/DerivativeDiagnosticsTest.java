package zkynet.processor;

import static zkynet.processor.OperatorDiagnosticsTest.activations;
import static zkynet.processor.Testing.assertErrors;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.error;

import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;
import zkynet.processor.diagnostics.Diagnostic;

/** One negative test per {@code @Derivative} diagnostic (ZK3xx): exact message, file and line. */
class DerivativeDiagnosticsTest {
  private static final String CROSS_ENTROPY = """
      @Operator
      public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return logits.sum();
      }
      """;

  @Test
  @Covers(Diagnostic.DERIVATIVE_UNKNOWN_OPERATOR)
  void derivativeOfAMisspelledOperator() {
    Source src = activations(CROSS_ENTROPY + """

        @Derivative(of = "crossEntropi", wrt = "logits")
        public static Tensor crossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels) {
          return g;
        }
        """);
    assertErrors(compile(src),
        error("[ZK301] @Derivative(of = \"crossEntropi\") names no @Operator method of Activations",
            src, "Tensor crossEntropyGrad("));
  }

  @Test
  @Covers(Diagnostic.DERIVATIVE_UNKNOWN_OPERATOR)
  void derivativeInAClassWithoutOperatorsIsChecked() {
    // The operator lost its @Operator: the derivative must not be silently ignored.
    Source src = activations("""
        public static Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }

        @Derivative(of = "softplus", wrt = "x")
        public static Tensor softplusGrad(Tensor g, Tensor y, Tensor x) {
          return g.mul(x.sigmoid());
        }
        """);
    assertErrors(compile(src),
        error("[ZK301] @Derivative(of = \"softplus\") names no @Operator method of Activations",
            src, "Tensor softplusGrad("));
  }

  @Test
  @Covers(Diagnostic.DERIVATIVE_UNKNOWN_INPUT)
  void derivativeForAnInputThatIsNotDifferentiable() {
    Source src = activations(CROSS_ENTROPY + """

        @Derivative(of = "crossEntropy", wrt = "labels")
        public static Tensor crossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels) {
          return g;
        }
        """);
    assertErrors(compile(src),
        error("[ZK302] @Derivative(wrt = \"labels\") names no differentiable parameter of @Operator "
            + "crossEntropy; expected one of [logits]", src, "Tensor crossEntropyGrad("));
  }

  @Test
  @Covers(Diagnostic.DERIVATIVE_SIGNATURE)
  void derivativeWithTheWrongSignatureShowsTheExpectedOne() {
    Source src = activations(CROSS_ENTROPY + """

        @Derivative(of = "crossEntropy", wrt = "logits")
        public static Tensor crossEntropyGrad(Tensor g, Tensor logits, int[] labels) {
          return g;
        }
        """);
    assertErrors(compile(src),
        error("[ZK303] @Derivative crossEntropyGrad has the wrong signature; expected: static "
            + "Tensor crossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels)",
            src, "Tensor crossEntropyGrad("));
  }

  @Test
  @Covers(Diagnostic.DERIVATIVE_SIGNATURE)
  void derivativeThatIsNotStatic() {
    Source src = activations(CROSS_ENTROPY + """

        @Derivative(of = "crossEntropy", wrt = "logits")
        public Tensor crossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels) {
          return g;
        }
        """);
    assertErrors(compile(src),
        error("[ZK303] @Derivative crossEntropyGrad has the wrong signature; expected: static "
            + "Tensor crossEntropyGrad(Tensor g, Tensor y, Tensor logits, int[] labels)",
            src, "Tensor crossEntropyGrad("));
  }

  private static final String HINGE = """
      @Operator
      public static Tensor hinge(Tensor a, Tensor b) {
        return a.sub(b).relu();
      }

      @Derivative(of = "hinge", wrt = "a")
      public static Tensor hingeGradA(Tensor g, Tensor y, Tensor a, Tensor b) {
        return g;
      }
      """;

  @Test
  @Covers(Diagnostic.DERIVATIVE_MISSING)
  void derivativeMissingForOneInput() {
    Source src = activations(HINGE);
    assertErrors(compile(src),
        error("[ZK304] @Operator hinge has @Derivative methods but none for input b: add one with "
            + "signature static Tensor hingeGradB(Tensor g, Tensor y, Tensor a, Tensor b)",
            src, "Tensor hinge("));
  }

  @Test
  @Covers(Diagnostic.DERIVATIVE_DUPLICATE)
  void twoDerivativesForOneInput() {
    Source src = activations(HINGE + """

        @Derivative(of = "hinge", wrt = "b")
        public static Tensor hingeGradB(Tensor g, Tensor y, Tensor a, Tensor b) {
          return g.neg();
        }

        @Derivative(of = "hinge", wrt = "a")
        public static Tensor hingeGradAgain(Tensor g, Tensor y, Tensor a, Tensor b) {
          return g;
        }
        """);
    assertErrors(compile(src),
        error("[ZK305] @Operator hinge has two @Derivative methods for input a",
            src, "Tensor hingeGradAgain("));
  }
}
