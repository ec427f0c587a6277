package zkynet.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.Modifier;
import zkynet.processor.differentiation.Backward;
import zkynet.processor.differentiation.Backward.Accumulate;
import zkynet.processor.differentiation.Backward.BatchRank;
import zkynet.processor.differentiation.Backward.CallBackward;
import zkynet.processor.differentiation.Backward.Comment;
import zkynet.processor.differentiation.Backward.Contribution;
import zkynet.processor.differentiation.Backward.Declare;
import zkynet.processor.differentiation.Backward.Flag;
import zkynet.processor.differentiation.Backward.Guard;
import zkynet.processor.differentiation.Backward.IfPresent;
import zkynet.processor.differentiation.Backward.Statement;

/**
 * Prints a {@link Backward} as the {@code backward} method of an operator class: nothing to decide.
 * The method carries {@code @GradientFlow}, what it returns per input, for compiling its callers.
 */
final class BackwardPrinter {
  static final ClassName GRADIENT_FLOW = ClassName.get("zkynet.autodiff", "GradientFlow");
  private final ClassName owner;
  private String needed;

  /** {@code owner}: the class whose {@code @Derivative} methods supplied contributions call. */
  BackwardPrinter(ClassName owner) {
    this.owner = owner;
  }

  /** The {@code backward} method: {@code prologue}, then the op-by-op reverse pass. */
  MethodSpec print(Backward b, CodeBlock prologue) {
    needed = b.needed();
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addAnnotation(Override.class)
        .addAnnotation(gradientFlow(b))
        .addModifiers(Modifier.PUBLIC).returns(ArrayTypeName.of(OperatorWriter.TENSOR))
        .addParameter(OperatorWriter.TENSOR, b.cotangent())
        .addParameter(ArrayTypeName.of(TypeName.BOOLEAN), b.needed())
        .addCode(prologue);
    b.statements().forEach(s -> print(s, b.cotangent(), m));
    m.addStatement("return new $T[] {$L}", OperatorWriter.TENSOR, String.join(", ",
        b.results().stream().map(r -> r == null ? "null" : r).toList()));
    return m.build();
  }

  /**
   * {@code @GradientFlow({GradientFlow.Flow.WHEN_NEEDED, ...})}, wrapped at the line width. The enum
   * is written through its top-level class, which is qualified where a user's variable has its name.
   */
  private static AnnotationSpec gradientFlow(Backward b) {
    List<CodeBlock> flows = b.flows().stream()
        .map(f -> CodeBlock.of("$T.Flow.$L", GRADIENT_FLOW, f.name())).toList();
    CodeBlock value = flows.size() == 1 ? flows.get(0)
        : CodeBlock.of("{$L}", CodeBlock.join(flows, ",$W"));
    return AnnotationSpec.builder(GRADIENT_FLOW).addMember("value", value).build();
  }

  private void print(Statement s, String cotangent, MethodSpec.Builder m) {
    if (s instanceof Comment c) {
      m.addCode("// $L\n", c.text());
    } else if (s instanceof BatchRank r) {
      m.addStatement("int $L = $L.rank() - $L.rank()", r.name(), cotangent, r.output());
    } else if (s instanceof Declare d) {
      m.addStatement("$T $L = $L", OperatorWriter.TENSOR, d.adjoint(), d.init());
    } else if (s instanceof Guard g) {
      m.beginControlFlow("if ($L)", anyNeeded(g.inputs()));
      g.body().forEach(inner -> print(inner, cotangent, m));
      m.endControlFlow();
    } else if (s instanceof IfPresent p) {
      m.beginControlFlow("if ($L != null)", p.adjoint());
      p.body().forEach(inner -> print(inner, cotangent, m));
      m.endControlFlow();
    } else if (s instanceof Contribution c) {
      m.addStatement("$L = $T.accumulate($L, $T.$L($L), $L, $L)", c.adjoint(), OperatorWriter.GRAD,
          c.adjoint(), c.supplied() ? owner : OperatorWriter.RULES, c.method(),
          String.join(", ", c.args()), c.input(), c.batch());
    } else if (s instanceof CallBackward c) {
      m.addStatement("$T[] $L = $L.backward($L, new boolean[] {$L})", OperatorWriter.TENSOR, c.parts(),
          c.call(), c.cotangent(), String.join(", ", c.flags().stream().map(this::flag).toList()));
    } else if (s instanceof Accumulate a) {
      m.addStatement("$L = $T.accumulate($L, $L, $L, $L)", a.adjoint(), OperatorWriter.GRAD,
          a.adjoint(), a.value(), a.input(), a.batch());
    }
  }

  private String flag(Flag f) {
    if (f.always()) {
      return "true";
    }
    return f.anyOf().isEmpty() ? "false" : anyNeeded(f.anyOf());
  }

  private String anyNeeded(List<Integer> inputs) {
    return String.join(" || ", inputs.stream().map(i -> needed + "[" + i + "]").toList());
  }
}
