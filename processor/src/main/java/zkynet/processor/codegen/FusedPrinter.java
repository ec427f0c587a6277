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
  static final ClassName FUSED_LOOP = ClassName.get("zkynet.backend.jvm", "FusedLoop");
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
        .addStatement("$L = $T.$L($L)", k.loop(), FUSED, k.rows() ? "planRows" : "plan",
            String.join(", ", names))
        .addStatement("$L = $L != null", k.fused(), k.loop())
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
    if (k.sum()) {
      m.addCode("return $L.$L($T.$L, ($L, $L, $L) -> {$>\n", k.loop(), k.closer(), FUSED, cost(),
          k.start(), k.end(), k.names().chunk());
      m.addStatement("$T $L = $L.sum()", FLOATS, k.out(), k.names().chunk());
      loop(m, k.forward(), CodeBlock.of("$L[$L] = $L;\n", k.out(), k.index(), k.result()));
      m.addCode("$<});\n");
    } else {
      m.addStatement("$T $L = new float[$L.size]", FLOATS, k.out(), k.loop());
      m.addCode("$L.forRange($T.$L, ($L, $L, $L) -> {$>\n", k.loop(), FUSED, cost(), k.start(),
          k.end(), k.names().chunk());
      loop(m, k.forward(), CodeBlock.of("$L[$L] = $L;\n", k.out(), k.index(), k.result()));
      m.addCode("$<});\n");
      m.addStatement("return $L.result($L)", k.loop(), k.out());
    }
    return m.build();
  }

  MethodSpec fusedBackward(String cotangent, String needed) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(k.fusedBackward()).addModifiers(Modifier.PRIVATE)
        .returns(ArrayTypeName.of(OperatorWriter.TENSOR))
        .addParameter(OperatorWriter.TENSOR, cotangent)
        .addParameter(ArrayTypeName.of(TypeName.BOOLEAN), needed)
        .addJavadoc("The vector-Jacobian product as one loop over the elements, recomputing the "
            + "forward values\n(the output's own are read); a broadcast input's gradient is summed "
            + "back to its shape\nblock by block.\n");
    arrays(m);
    if (k.rows()) {
      m.addComment("$L: the row's cotangent at each of its elements", k.mean()
          ? "mean(-1)" + " (divided by the row length)" : "sum(-1)");
      m.addStatement("$T $L = $L.perRow($L, $L)", FLOATS, k.cotangent(), k.loop(), cotangent, k.mean());
    } else if (k.sum()) {
      if (k.closer().equals("mean")) {
        m.addComment("mean(): each element's share of the cotangent");
        m.addStatement("float $L = $T.scalar($L) / $L.size", k.cotangent(), FUSED, cotangent, k.loop());
      } else {
        m.addStatement("float $L = $T.scalar($L)", k.cotangent(), FUSED, cotangent);
      }
    } else {
      m.addStatement("$T $L = $T.floats($L)", FLOATS, k.saved(), FUSED, k.output());
      m.addStatement("$T $L = $T.floats($L)", FLOATS, k.cotangent(), FUSED, cotangent);
    }
    List<CodeBlock> inputs = new ArrayList<>();
    CodeBlock.Builder declarations = CodeBlock.builder();
    CodeBlock.Builder stores = CodeBlock.builder();
    for (int i = 0; i < k.gradients().size(); i++) {
      Gradient g = k.gradients().get(i);
      if (g == null) {
        inputs.add(CodeBlock.of("null"));
        continue;
      }
      inputs.add(CodeBlock.of("$L", g.like()));
      declarations.addStatement("$T $L = $L.gradient($L)", FLOATS, g.array(), k.names().chunk(), i);
      // stored unconditionally (a branch in the loop would stop C2 from vectorising it): an unneeded
      // gradient goes to an array the runtime throws away
      stores.addStatement("$L[$L] = $L", g.array(), k.index(), g.adjoint());
    }
    m.addCode("return $L.backward($T.$L, new $T[] {$L}, $L, ($L, $L, $L) -> {$>\n", k.loop(), FUSED,
        cost(), OperatorWriter.TENSOR, CodeBlock.join(inputs, ", "), needed, k.start(), k.end(),
        k.names().chunk());
    m.addCode(declarations.build());
    List<Statement> body = new ArrayList<>(k.recomputed());
    body.add(new Comment("---------------- backward, last forward line first"));
    body.addAll(k.backward());
    loop(m, body, stores.build());
    m.addCode("$<});\n");
    return m.build();
  }

  /**
   * Whether the loop reads a one-element operand (a rank-0 one, broadcast) as a value read once,
   * chosen per operand at run time by a flag: C2 unswitches the loop on such loop-invariant flags
   * and vectorises each version, but unswitches at most 3 times ({@code -XX:LoopMaxUnswitching}), so
   * a loop with more operands reads every operand from an array of the loop's size.
   */
  private boolean readsOneElementOperands() {
    return k.operands().size() <= 3;
  }

  /**
   * The operands' arrays, each of the loop's size (a broadcast operand's elements repeated), except
   * (when {@link #readsOneElementOperands}) a one-element operand's, with its flag and value.
   */
  private void arrays(MethodSpec.Builder m) {
    boolean ones = readsOneElementOperands();
    for (Operand o : k.operands()) {
      m.addStatement("$T $L = $L.$L($L)", FLOATS, o.array(), k.loop(),
          ones ? "floatsOrOne" : "floats", o.field());
    }
    if (ones) {
      m.addComment("a one-element operand is read once: C2 makes a loop version per flag, each vectorised");
      for (Operand o : k.operands()) {
        m.addStatement("boolean $L = $L.length == 1", o.one(), o.array());
        m.addStatement("float $L = $L ? $L[0] : 0f", o.value(), o.one(), o.array());
      }
    }
  }

  /** The loop over a chunk's elements: every array at the same index, which C2 vectorises. */
  private void loop(MethodSpec.Builder m, List<Statement> body, CodeBlock tail) {
    m.beginControlFlow("for (int $L = $L; $L < $L; $L++)", k.index(), k.start(), k.index(), k.end(),
        k.index());
    for (Operand o : k.operands()) {
      if (readsOneElementOperands()) {
        m.addStatement("float $L = $L ? $L : $L[$L]", o.element(), o.one(), o.value(), o.array(),
            k.index());
      } else {
        m.addStatement("float $L = $L[$L]", o.element(), o.array(), k.index());
      }
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
