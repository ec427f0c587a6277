package zkynet.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import zkynet.processor.differentiation.Fusion.Assign;
import zkynet.processor.differentiation.Fusion.ClassRef;
import zkynet.processor.differentiation.Fusion.Comment;
import zkynet.processor.differentiation.Fusion.Expr;
import zkynet.processor.differentiation.Fusion.Gradient;
import zkynet.processor.differentiation.Fusion.Kernel;
import zkynet.processor.differentiation.Fusion.Operand;
import zkynet.processor.differentiation.Fusion.Statement;

/** Prints a fused {@link Kernel}: the fused forward and backward methods and the switches to them. */
final class FusedPrinter {
  static final ClassName FUSED = ClassName.get("zkynet.backend.jvm", "Fused");
  static final ClassName FAST_MATH = ClassName.get("zkynet.backend.jvm", "FastMath");
  static final ClassName SCALAR_RULES = ClassName.get("zkynet.autodiff", "ScalarRules");
  static final ClassName MATH = ClassName.get("java.lang", "Math");
  private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

  private final Kernel k;

  FusedPrinter(Kernel k) {
    this.k = k;
  }

  /** The constructor's forward: fused when every operand is float32 on the JVM backend. */
  CodeBlock constructorForward() {
    List<String> names = k.operands().stream().map(Operand::field).toList();
    return CodeBlock.builder()
        .add("// fused: one loop over the elements when all operands are float32 on the JVM backend\n")
        .addStatement("$L = $T.applies($L)", k.fused(), FUSED, String.join(", ", names))
        .beginControlFlow("if ($L)", k.fused())
        .addStatement("$L = $L()", k.output(), k.fusedForward())
        .nextControlFlow("else")
        .addStatement("$L()", k.opByOp())
        .endControlFlow()
        .build();
  }

  /** The op-by-op forward pass as a method of its own ({@code body}: its statements). */
  MethodSpec opByOp(CodeBlock body) {
    return MethodSpec.methodBuilder(k.opByOp()).addModifiers(Modifier.PRIVATE)
        .addJavadoc("The forward pass one primitive at a time, keeping what the derivative needs.\n")
        .addCode(body).build();
  }

  /** The start of {@code backward}: the fused loop when it applies, else the op-by-op pass. */
  CodeBlock backwardPrologue(String cotangent, String needed) {
    CodeBlock applies = CodeBlock.of("$T.matches($L, $L)", FUSED, cotangent, k.output());
    return CodeBlock.builder()
        .beginControlFlow("if ($L && $L)", k.fused(), applies)
        .addStatement("return $L($L, $L)", k.fusedBackward(), cotangent, needed)
        .endControlFlow()
        .beginControlFlow("if ($L)", k.fused())
        .add("// a cotangent with batch axes (a Jacobian), or of another dtype or backend: the op-by-op\n"
            + "// pass, which needs the intermediates of the op-by-op forward\n")
        .addStatement("$L()", k.opByOp())
        .addStatement("$L = false", k.fused())
        .endControlFlow()
        .build();
  }

  MethodSpec fusedForward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.fusedForward()).addModifiers(Modifier.PRIVATE)
        .returns(OperatorWriter.TENSOR)
        .addJavadoc("The forward pass as one loop over the elements (float32, JVM backend).\n");
    arrays(m);
    String n = k.size();
    if (k.sum()) {
      m.addCode("return $T.sum($L, $T.$L, ($L, $L) -> {$>\n", FUSED, n, FUSED, cost(), k.start(), k.end());
      m.addStatement("double $L = 0", k.out());
      loop(m, k.forward(), CodeBlock.of("$L += $L;\n", k.out(), k.result()));
      m.addStatement("return $L", k.out());
      m.addCode("$<});\n");
    } else {
      m.addStatement("$T $L = new float[$L]", FLOATS, k.out(), n);
      m.addCode("$T.forRange($L, $T.$L, ($L, $L) -> {$>\n", FUSED, n, FUSED, cost(), k.start(), k.end());
      loop(m, k.forward(), CodeBlock.of("$L[$L] = $L;\n", k.out(), k.index(), k.result()));
      m.addCode("$<});\n");
      m.addStatement("return $T.result($L, $L)", FUSED, k.out(), k.like());
    }
    return m.build();
  }

  MethodSpec fusedBackward(String cotangent, String needed) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.fusedBackward()).addModifiers(Modifier.PRIVATE)
        .returns(ArrayTypeName.of(OperatorWriter.TENSOR))
        .addParameter(OperatorWriter.TENSOR, cotangent)
        .addParameter(ArrayTypeName.of(TypeName.BOOLEAN), needed)
        .addJavadoc("The vector-Jacobian product as one loop over the elements, recomputing the "
            + "forward values\n(the output's own are read).\n");
    arrays(m);
    String n = k.size();
    if (k.sum()) {
      m.addStatement("float $L = $T.scalar($L)", k.cotangent(), FUSED, cotangent);
    } else {
      m.addStatement("$T $L = $T.floats($L)", FLOATS, k.saved(), FUSED, k.output());
      m.addStatement("$T $L = $T.floats($L)", FLOATS, k.cotangent(), FUSED, cotangent);
    }
    List<CodeBlock> results = new ArrayList<>();
    CodeBlock.Builder stores = CodeBlock.builder();
    for (int i = 0; i < k.gradients().size(); i++) {
      Gradient g = k.gradients().get(i);
      if (g == null) {
        results.add(CodeBlock.of("null"));
        continue;
      }
      // written unconditionally (a branch in the loop would stop C2 from vectorising it)
      m.addStatement("$T $L = new float[$L]", FLOATS, g.array(), n);
      stores.addStatement("$L[$L] = $L", g.array(), k.index(), g.adjoint());
      results.add(CodeBlock.of("$L[$L] ? $T.gradient($L, $L) : null", needed, i, FUSED, g.array(),
          g.like()));
    }
    m.addCode("$T.forRange($L, $T.$L, ($L, $L) -> {$>\n", FUSED, n, FUSED, cost(), k.start(), k.end());
    List<Statement> body = new ArrayList<>(k.recomputed());
    body.add(new Comment("---------------- backward, last forward line first"));
    body.addAll(k.backward());
    loop(m, body, stores.build());
    m.addCode("$<});\n");
    m.addStatement("return new $T[] {$L}", OperatorWriter.TENSOR, CodeBlock.join(results, ", "));
    return m.build();
  }

  /** The loop's shape ({@code like}), its size, and the operands' arrays (rank-0 ones broadcast). */
  private void arrays(MethodSpec.Builder m) {
    List<String> names = k.operands().stream().map(Operand::field).toList();
    m.addStatement("$T $L = $T.widest($L)", OperatorWriter.TENSOR, k.like(), FUSED, String.join(", ", names));
    m.addStatement("int $L = (int) $L.size()", k.size(), k.like());
    for (Operand o : k.operands()) {
      m.addStatement("$T $L = $T.floats($L, $L)", FLOATS, o.array(), FUSED, o.field(), k.size());
    }
  }

  private void loop(MethodSpec.Builder m, List<Statement> body, CodeBlock tail) {
    m.beginControlFlow("for (int $L = $L; $L < $L; $L++)", k.index(), k.start(), k.index(), k.end(),
        k.index());
    for (Operand o : k.operands()) {
      m.addStatement("float $L = $L[$L]", o.element(), o.array(), k.index());
    }
    for (Statement s : body) {
      if (s instanceof Comment c) {
        m.addCode("// $L\n", c.text());
      } else if (s instanceof Assign a) {
        m.addStatement(a.declare() ? "float $L = $L" : "$L += $L", a.name(), expr(a.expr()));
      }
    }
    m.addCode(tail);
    m.endControlFlow();
  }

  private String cost() {
    return k.costly() ? "COSTLY" : "CHEAP";
  }

  private static CodeBlock expr(Expr e) {
    Object[] args = e.args().stream()
        .map(a -> a instanceof ClassRef c ? ClassName.bestGuess(c.qualifiedName()) : a).toArray();
    return CodeBlock.of(e.format(), args);
  }
}
