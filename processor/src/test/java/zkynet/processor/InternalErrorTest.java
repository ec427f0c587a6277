package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static zkynet.processor.OperatorDiagnosticsTest.activations;
import static zkynet.processor.Testing.assertErrors;
import static zkynet.processor.Testing.compileWith;
import static zkynet.processor.Testing.error;
import static zkynet.processor.Testing.source;

import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;
import zkynet.processor.diagnostics.Diagnostic;

/**
 * ZK901 is the processor's internal error: user code cannot trigger it against a complete runtime.
 * Its one deliberate use is a primitive without a rule in the runtime's rule table (a runtime
 * defect): it is reported on the expression, never thrown. Simulated with a rule table stub that
 * lacks {@code expWrtSelf}.
 */
class InternalErrorTest {
  private static final String RULES = "zkynet/autodiff/Rules.java";

  @Test
  @Covers(Diagnostic.INTERNAL_ERROR)
  void primitiveWithoutRuleIsReportedOnTheExpression() {
    String rules = Stubs.text(RULES);
    String withoutExp = rules.replaceFirst(
        "(?s)  @Vjp\\(op = \"exp\", wrt = \"self\"\\)\n  public static Tensor expWrtSelf\\(.*?\n  }\n", "");
    assertNotEquals(rules, withoutExp, "the exp rule was not found in the stub rule table");
    Source src = activations("""
        @Operator
        public static Tensor softplus(Tensor x) {
          Tensor e = x.exp();
          return e.add(1.0).log();
        }
        """);
    assertErrors(compileWith(Stubs.allExcept(RULES), source("zkynet.autodiff.Rules", withoutExp), src),
        error("[ZK901] zkynet processor failed on x.exp(): the rule table zkynet.autodiff.Rules has no "
            + "@Vjp(op = \"exp\", wrt = \"self\") for this overload (please report this with the "
            + "source of the element)", src, "x.exp()"));
  }
}
