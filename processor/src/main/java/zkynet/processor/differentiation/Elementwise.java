package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zkynet.processor.differentiation.Fusion.ClassRef;
import zkynet.processor.differentiation.Fusion.Expr;

/**
 * The elementwise primitives of {@code Tensor} that fuse, with their forward value at one float32
 * element exactly as the JVM backend's float32 kernels ({@code F32}) compute it: {@code $0} is the
 * receiver's element, {@code $1} the other operand's (an element, or the scalar constant cast to
 * float). No derivative is here: those come from the rule table's scalar twins.
 */
final class Elementwise {
  private static final ClassRef FAST_MATH = new ClassRef("zkynet.backend.jvm.FastMath");
  private static final ClassRef FUSED = new ClassRef("zkynet.backend.jvm.Fused");
  private static final ClassRef MATH = new ClassRef("java.lang.Math");
  private static final ClassRef ERF = new ClassRef("zkynet.backend.Erf");

  /**
   * Unary primitives: the format with {@code $T} for the class and {@code $0} for the operand. sin,
   * cos, log1p, expm1 and erf are computed in float64 and rounded, as {@code F32} does (no float fast
   * path there).
   */
  private static final Map<String, Form> UNARY = Map.ofEntries(
      Map.entry("neg", new Form("-$0", null)),
      Map.entry("exp", new Form("$T.exp($0)", FAST_MATH)),
      Map.entry("log", new Form("$T.log($0)", FAST_MATH)),
      Map.entry("sqrt", new Form("(float) $T.sqrt($0)", MATH)),
      Map.entry("tanh", new Form("$T.tanh($0)", FAST_MATH)),
      Map.entry("sigmoid", new Form("$T.sigmoid($0)", FAST_MATH)),
      Map.entry("relu", new Form("$T.max($0, 0f)", MATH)),
      Map.entry("abs", new Form("$T.abs($0)", MATH)),
      Map.entry("sin", new Form("(float) $T.sin($0)", MATH)),
      Map.entry("cos", new Form("(float) $T.cos($0)", MATH)),
      Map.entry("log1p", new Form("(float) $T.log1p($0)", MATH)),
      Map.entry("expm1", new Form("(float) $T.expm1($0)", MATH)),
      Map.entry("erf", new Form("(float) $T.erf($0)", ERF)));

  /** Binary primitives (a tensor or a scalar other operand). */
  private static final Map<String, Form> BINARY = Map.of(
      "add", new Form("$0 + $1", null),
      "sub", new Form("$0 - $1", null),
      "rsub", new Form("$1 - $0", null),
      "mul", new Form("$0 * $1", null),
      "div", new Form("$0 / $1", null),
      "rdiv", new Form("$1 / $0", null),
      "pow", new Form("$T.pow($0, $1)", FUSED),
      "maximum", new Form("$T.max($0, $1)", MATH),
      "minimum", new Form("$T.min($0, $1)", MATH));

  /** Primitives whose element costs a transcendental function (see the backend's split costs). */
  private static final Set<String> COSTLY = Set.of("exp", "log", "tanh", "sigmoid", "pow", "sin",
      "cos", "log1p", "expm1", "erf");

  private record Form(String format, ClassRef type) {}

  private Elementwise() {}

  /** Whether primitive {@code method} with {@code args} arguments fuses. */
  static boolean has(String method, int args) {
    return args == 0 ? UNARY.containsKey(method) : args == 1 && BINARY.containsKey(method);
  }

  static boolean costly(String method) {
    return COSTLY.contains(method);
  }

  /** Whether {@code source} is a numeric literal. */
  static boolean isNumber(String source) {
    return source.matches("-?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?[dDfFlL]?");
  }

  /** The forward value of {@code method} at one element with operands {@code in} (receiver first). */
  static Expr forward(String method, List<String> in) {
    Form form = in.size() == 1 ? UNARY.get(method) : BINARY.get(method);
    StringBuilder format = new StringBuilder();
    List<Object> args = new ArrayList<>();
    String f = form.format();
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '$' && f.charAt(i + 1) == 'T') {
        format.append("$T");
        args.add(form.type());
        i++;
      } else if (c == '$') {
        format.append("$L");
        args.add(in.get(f.charAt(i + 1) - '0'));
        i++;
      } else {
        format.append(c);
      }
    }
    return new Expr(format.toString(), args);
  }
}
