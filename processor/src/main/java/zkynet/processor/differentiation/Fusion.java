package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zkynet.processor.model.Namer;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.AliasStep;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorModel.ConstStep;
import zkynet.processor.model.OperatorModel.Diff;
import zkynet.processor.model.OperatorModel.Line;
import zkynet.processor.model.OperatorModel.OperatorStep;
import zkynet.processor.model.OperatorModel.Param;
import zkynet.processor.model.OperatorModel.PrimitiveStep;
import zkynet.processor.model.OperatorModel.Step;
import zkynet.processor.model.OperatorModel.Value;

/**
 * Compile-time fusion of an operator body that is one elementwise region (elementwise primitives over
 * operands of one shape, rank-0 tensors and scalar constants), optionally closed by a full {@code
 * sum()} or {@code mean()}, or by one over the last axis ({@code sum(-1)}, {@code mean(-1)}): the forward
 * pass as one loop over the elements, and the backward as one loop that recomputes the element's
 * forward values and applies, per element and in reverse, the scalar twins of the rule table's rules
 * ({@code zkynet.autodiff.ScalarRules}, named like the tensor rules). The forward expression of each
 * primitive is the backend's float32 kernel at one element ({@link Elementwise}); the calculus all
 * comes from the table. A body that is not one such region keeps only its op-by-op code, and {@link
 * #reason} says why; its elementwise regions are outlined into operators of their own ({@link
 * Regions}), each fused here.
 *
 * @param reason why the body did not fuse; null when it did
 * @param kernel the fused loops; null when the body did not fuse
 */
public record Fusion(String reason, Kernel kernel) {

  /** A class of the runtime named in an element expression. */
  public record ClassRef(String qualifiedName) {}

  /**
   * A float expression at one element: a JavaPoet format whose {@code $T} arguments are {@link
   * ClassRef}s and whose {@code $L} arguments are names or literal code.
   */
  public record Expr(String format, List<Object> args) {}

  /** One statement of a fused loop body. */
  public sealed interface Statement {}

  /** {@code // text}. */
  public record Comment(String text) implements Statement {}

  /** {@code float name = expr;} ({@code declare}) or {@code name += expr;}. */
  public record Assign(String name, boolean declare, Expr expr) implements Statement {}

  /**
   * A tensor read element by element.
   *
   * @param field the field holding it
   * @param array the local holding its elements (a broadcast one's repeated to the loop's size, a
   *     one-element one's single element)
   * @param element the name of its element inside the loop
   * @param one the local saying whether it has one element (read once, before the loop)
   * @param value the local holding that one element
   */
  public record Operand(String field, String array, String element, String one, String value) {}

  /**
   * The fused loops of one operator: loops over the elements ({@code index}), which the runtime's
   * {@code FusedLoop} plans (shape, broadcast operands) and splits across threads.
   *
   * @param operands the tensors read per element (differentiable inputs and constant tensors)
   * @param loop the field holding the loop's plan (null when the forward ran op by op)
   * @param fused the {@code boolean} field: whether the forward ran fused
   * @param opByOp the private method holding the op-by-op forward pass
   * @param fusedForward the method holding the fused forward, returning the output
   * @param fusedBackward the method holding the fused backward
   * @param index the element's index
   * @param start the first element of a chunk
   * @param end the end of a chunk
   * @param forward the forward statements at one element (recomputed by the backward)
   * @param result the element value that is the output, or that the closing sum adds
   * @param closer {@code "sum"} or {@code "mean"} when a full {@code sum()} or {@code mean()} closes
   *     the region (the output is a scalar), {@code "sumRows"} or {@code "meanRows"} when a {@code
   *     sum(-1)} or {@code mean(-1)} does (one value per row; also {@code sum(new int[] {-1}, false)}),
   *     {@code "sumRowsKeepDims"} or {@code "meanRowsKeepDims"} for {@code sum(new int[] {-1}, true)}
   *     (the row's value with a last axis of 1); null otherwise; the name of the loop's method
   * @param output the output field
   * @param out the local holding the output array (or the closing sum's values)
   * @param cotangent the local holding the cotangent's array (or its value, for a full sum; for a
   *     last-axis one, the row's value repeated at each of the row's elements)
   * @param backward the reverse statements at one element, starting from the element's cotangent
   * @param gradients per differentiable input: the adjoint local holding its gradient at the element
   *     and the array it is stored in; null where no gradient flows
   * @param costly whether the loop calls a transcendental function (for the split decision)
   * @param names the other locals of the loop
   * @param recomputed the forward statements as the backward loop runs them: the output's value is
   *     read from the output ({@code saved}) instead of computed again (measured: recomputing W4's
   *     tanh made its fused backward 4x slower)
   * @param saved the local holding the output's array in the backward; null for a closing sum
   */
  public record Kernel(List<Operand> operands, String loop, String fused, String opByOp, String fusedForward,
      String fusedBackward, String index, String start, String end, List<Statement> forward,
      String result, String closer, String output, String out, String cotangent,
      List<Statement> backward, List<Gradient> gradients, boolean costly, LoopNames names,
      List<Statement> recomputed, String saved) {

    /** Whether a sum or mean closes the region (a full one or one over the last axis). */
    public boolean sum() {
      return closer != null;
    }

    /** Whether a sum or mean over the last axis closes the region (one value per row). */
    public boolean rows() {
      return closer != null && closer.contains("Rows");
    }

    /** Whether a mean closes the region. */
    public boolean mean() {
      return closer != null && closer.startsWith("mean");
    }
  }

  /**
   * Locals of a fused loop.
   *
   * @param chunk the lambda's chunk (the arrays it stores into)
   */
  public record LoopNames(String chunk) {}

  /** The gradient of one differentiable input: the element's adjoint, the array it goes to, the input's field. */
  public record Gradient(String adjoint, String array, String like) {}

  private static final String SCALAR_RULES = "zkynet.autodiff.ScalarRules";

  /**
   * The fusion of {@code op}'s body (not null), with the names of the rule table's scalar rules
   * ({@code scalarRules}, empty when the runtime has none). Names come from {@code namer}, after the
   * op-by-op code took its own, so that code is the same with or without fusion.
   */
  public static Fusion of(OperatorModel op, Set<String> scalarRules, Namer namer) {
    String why = whyNot(op, scalarRules);
    if (why != null) {
      return new Fusion(why, null);
    }
    return new Fusion(null, new Builder(op, namer).build());
  }

  /** Why {@code op}'s body is not one elementwise region; null if it is. */
  static String whyNot(OperatorModel op, Set<String> scalarRules) {
    Body body = op.body();
    if (scalarRules.isEmpty()) {
      return "the runtime has no scalar rule table (" + SCALAR_RULES + ")";
    }
    if (!(body.output() instanceof Diff)) {
      return "the result is a constant";
    }
    Map<String, String> types = new HashMap<>();
    op.params().forEach(p -> types.put(p.name(), p.type().toString()));
    List<Step> steps = steps(body);
    Map<String, String> constants = constants(steps);
    int primitives = 0;
    // a constant computed in the body (e.g. the axes of a reduction) is named only when nothing more
    // telling (a primitive that is not elementwise, a call) stands in the way
    String constant = null;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step instanceof OperatorStep o) {
        return "calls operator " + o.opClass() + " (fusion does not cross operator calls)";
      }
      if (step instanceof ConstStep k) {
        constant = constant != null ? constant : "constant expression " + k.target() + " is computed in the body";
        types.put(k.target(), k.type().toString()); // a number, for the primitives that read it
        continue;
      }
      if (!(step instanceof PrimitiveStep p)) {
        continue;
      }
      primitives++;
      boolean last = i == steps.size() - 1;
      if (isCloser(p, constants)) {
        if (!last) {
          return p.method() + "(" + String.join(", ", p.args().stream().map(Value::code).toList())
              + ") is not elementwise (only a final sum or mean, full or over the "
              + "last axis, closes a region)";
        }
        continue; // its derivative in the loop: the cotangent (divided by the count for a mean)
      }
      String why = whyNotElementwise(p, scalarRules, types);
      if (why != null) {
        return why;
      }
    }
    if (constant != null) {
      return constant;
    }
    String unused = unused(steps, body.output());
    if (unused != null) {
      // a loop over the shape of every operand would give the output the shape of a value not used
      return unused + " is computed but not used";
    }
    if (primitives < 2) {
      // measured: a lone primitive gains nothing from a fused loop (it is one loop already), and its
      // fused backward recomputes the value the op-by-op one reads (W4 with built-ins: 1.5x slower)
      return primitives == 0 ? "the body has no primitive" : "a single primitive is one loop already";
    }
    return null;
  }

  /** The first value of {@code steps} (primitives and aliases) that no step reads and is not {@code output}. */
  private static String unused(List<Step> steps, Value output) {
    Set<String> read = new HashSet<>();
    read.add(output.code());
    for (Step step : steps) {
      if (step instanceof PrimitiveStep p) {
        Activity.inputs(p).forEach(v -> read.add(v.code()));
      } else if (step instanceof AliasStep a) {
        read.add(a.source().name());
      }
    }
    return steps.stream().map(Step::target).filter(t -> !read.contains(t)).findFirst().orElse(null);
  }

  /**
   * Why primitive {@code p}, not a closer, cannot be a step of a fused loop; null if it can. {@code
   * types}: the type of each named constant the body reads (parameters, hoisted constants).
   */
  static String whyNotElementwise(PrimitiveStep p, Set<String> scalarRules, Map<String, String> types) {
    if (isReduction(p)) {
      return p.method() + "(" + String.join(", ", p.args().stream().map(Value::code).toList())
          + ") is not a full or last-axis (-1) reduction closing the body";
    } else if (!Elementwise.has(p.method(), p.args().size())) {
      return p.method() + " is not elementwise";
    }
    for (String rule : p.rules()) {
      if (rule != null && !scalarRules.contains(rule)) {
        return "rule " + rule + " has no scalar twin in " + SCALAR_RULES;
      }
    }
    for (Value v : Activity.inputs(p)) {
      if (v instanceof OperatorModel.Const c && !Elementwise.isNumber(c.source())
          && !isScalarParam(types.get(c.source())) && !"zkynet.Tensor".equals(types.get(c.source()))) {
        return "operand " + c.source() + " of " + p.method() + " is neither a tensor nor a number";
      }
    }
    return null;
  }

  /**
   * A full {@code sum()} or {@code mean()}, or one over the last axis: {@code sum(-1)}, or {@code
   * sum(axes, keepDims)} with {@code axes} the array literal {@code new int[] {-1}} (written in the
   * call or a constant of the body, {@code constants}: target to expression) and {@code keepDims} the
   * literal {@code true} or {@code false}. Closes a region when it is the region's last step. A
   * positive axis never does: the operands' rank is not known at compile time, so no such axis is
   * provably the last.
   */
  static boolean isCloser(PrimitiveStep p, Map<String, String> constants) {
    return closes(p, constants) != null;
  }

  /**
   * The loop's method for closer {@code p} ({@code sum}, {@code meanRows}, {@code sumRowsKeepDims},
   * see {@link Kernel#closer}); null when {@code p} is no closer ({@link #isCloser}).
   */
  static String closes(PrimitiveStep p, Map<String, String> constants) {
    if (!isReduction(p)) {
      return null;
    }
    List<Value> args = p.args();
    if (args.isEmpty()) {
      return p.method();
    }
    if (args.size() == 1) {
      return literal(args.get(0)).equals("-1") ? p.method() + "Rows" : null;
    }
    String keep = literal(args.get(1));
    if (!lastAxisArray(args.get(0), constants) || !keep.equals("true") && !keep.equals("false")) {
      return null;
    }
    return p.method() + "Rows" + (keep.equals("true") ? "KeepDims" : "");
  }

  /** Whether {@code axes} is {@code new int[] {-1}}, written as it is or as a constant of the body. */
  static boolean lastAxisArray(Value axes, Map<String, String> constants) {
    String code = constants.getOrDefault(literal(axes), literal(axes));
    return code.replaceAll("\\s", "").equals(LAST_AXIS_ARRAY);
  }

  /** The array literal of the last axis, without spaces. */
  static final String LAST_AXIS_ARRAY = "newint[]{-1}";

  /** The code of constant {@code v} without spaces; empty for a differentiable value. */
  private static String literal(Value v) {
    return v instanceof OperatorModel.Const c ? c.source().replaceAll("\\s", "") : "";
  }

  /** The constants computed in {@code steps}: target to expression. */
  static Map<String, String> constants(List<Step> steps) {
    Map<String, String> out = new HashMap<>();
    steps.forEach(s -> {
      if (s instanceof ConstStep k) {
        out.put(k.target(), k.expression());
      }
    });
    return out;
  }

  private static boolean isReduction(PrimitiveStep p) {
    return p.method().equals("sum") || p.method().equals("mean");
  }

  static boolean isScalarParam(String type) {
    return type != null && Set.of("double", "float", "int", "long", "short", "byte").contains(type);
  }

  static List<Step> steps(Body body) {
    List<Step> steps = new ArrayList<>();
    body.lines().forEach(line -> steps.addAll(line.steps()));
    return steps;
  }

  /** Builds the kernel of a body that {@link #whyNot} accepted. */
  private static final class Builder {
    private final OperatorModel op;
    private final Namer namer;
    private final Map<String, String> elementOf = new LinkedHashMap<>();
    private final Map<String, Operand> operands = new LinkedHashMap<>();
    private final Set<String> tensorParams = new HashSet<>();
    private final Map<String, String> adjoints = new HashMap<>();
    private boolean costly;
    private String cotangent;
    private String index;
    private LoopNames names;

    Builder(OperatorModel op, Namer namer) {
      this.op = op;
      this.namer = namer;
      for (Param p : op.params()) {
        if (p.differentiable() || "zkynet.Tensor".equals(p.type().toString())) {
          tensorParams.add(p.name());
        }
      }
    }

    Kernel build() {
      String loop = namer.name("loop");
      String fused = namer.name("fused");
      String opByOp = namer.name("forward");
      String fusedForward = namer.name("fusedForward");
      String fusedBackward = namer.name("fusedBackward");
      index = namer.name("i");
      String start = namer.name("start");
      String end = namer.name("end");
      names = new LoopNames(namer.name("chunk"));
      Body body = op.body();
      String output = ((Diff) body.output()).name();
      List<Step> steps = steps(body);
      // a body with a constant step does not fuse as a whole: a closer's axes are written in the call
      PrimitiveStep closer = steps.get(steps.size() - 1) instanceof PrimitiveStep p
          && isCloser(p, Map.of()) ? p : null;
      List<Statement> forward = new ArrayList<>();
      for (Line line : body.lines()) {
        forward.add(new Comment(line.source()));
        for (Step step : line.steps()) {
          if (step != closer) {
            forward.add(new Assign(step.target(), true, forwardOf(step)));
            elementOf.put(step.target(), step.target());
          }
        }
      }
      String saved = closer == null ? namer.name(output + "s") : null;
      List<Statement> recomputed = new ArrayList<>();
      for (Statement st : forward) {
        recomputed.add(saved != null && st instanceof Assign a && a.name().equals(output)
            ? new Assign(output, true, at(saved)) : st);
      }
      String result = closer == null ? output : element(closer.receiver());
      String closes = closer == null ? null : closes(closer, Map.of());
      boolean rows = closes != null && closes.contains("Rows");
      cotangent = namer.name(closer != null && !rows ? "g" : "gOuts");
      List<Statement> backward = backward(body, closer, rows);
      List<Gradient> gradients = new ArrayList<>();
      for (Param p : op.differentiableParams()) {
        String adjoint = adjoints.get(p.name());
        String g = adjoint == null ? null : adjoint.replaceFirst("^d", "g");
        gradients.add(adjoint == null ? null : new Gradient(adjoint, namer.name(g + "s"), p.name()));
      }
      return new Kernel(List.copyOf(operands.values()), loop, fused, opByOp, fusedForward, fusedBackward,
          index, start, end, forward, result, closes, output,
          namer.name(closer != null ? "sums" : "out"), cotangent, backward, gradients, costly, names,
          recomputed, saved);
    }

    /** The element of array {@code array} at the loop's index. */
    private Expr at(String array) {
      return new Expr("$L[$L]", List.of(array, index));
    }

    /** The element expression of a forward step. */
    private Expr forwardOf(Step step) {
      if (step instanceof AliasStep a) {
        return new Expr("$L", List.of(element(a.source())));
      }
      PrimitiveStep p = (PrimitiveStep) step;
      List<String> in = Activity.inputs(p).stream().map(this::element).toList();
      costly |= Elementwise.costly(p.method());
      return Elementwise.forward(p.method(), in);
    }

    /** The per-element reverse pass, last forward line first, starting from the cotangent. */
    private List<Statement> backward(Body body, PrimitiveStep closer, boolean rows) {
      Activity activity = new Activity(op.differentiableParams(), body);
      List<Statement> out = new ArrayList<>();
      String output = ((Diff) body.output()).name();
      if (!activity.active(output)) {
        return out;
      }
      List<Line> lines = body.lines();
      boolean first = true;
      for (int i = lines.size() - 1; i >= 0; i--) {
        List<Step> steps = lines.get(i).steps();
        if (steps.stream().noneMatch(s -> activity.active(s.target()))) {
          continue;
        }
        out.add(new Comment(lines.get(i).source()));
        if (first) {
          adjoints.put(output, namer.name("d" + capitalized(output)));
          out.add(new Assign(adjoints.get(output), true, closer != null && !rows
              ? new Expr("$L", List.of(cotangent)) : at(cotangent)));
          first = false;
        }
        for (int j = steps.size() - 1; j >= 0; j--) {
          if (activity.active(steps.get(j).target())) {
            contributions(steps.get(j), activity, out);
          }
        }
      }
      return out;
    }

    private void contributions(Step step, Activity activity, List<Statement> out) {
      String g = adjoints.get(step.target());
      if (step instanceof AliasStep a) {
        add(a.source().name(), new Expr("$L", List.of(g)), out);
        return;
      }
      PrimitiveStep p = (PrimitiveStep) step;
      // a closer's axis (-1) is no operand of the loop
      boolean closes = isCloser(p, Map.of());
      List<Value> inputs = closes ? List.of(p.receiver()) : Activity.inputs(p);
      List<Object> args = new ArrayList<>();
      args.add(g);
      args.add(new ClassRef(SCALAR_RULES));
      args.add(null);
      args.add(elementOf.getOrDefault(p.target(), "0f")); // a closer's rule needs no y
      inputs.forEach(v -> args.add(element(v)));
      String format = "$L * $T.$L($L, " + String.join(", ", inputs.stream().map(v -> "$L").toList()) + ")";
      for (int i = 0; i < inputs.size(); i++) {
        if (p.rules().get(i) != null && inputs.get(i) instanceof Diff in && activity.active(in.name())) {
          List<Object> a = new ArrayList<>(args);
          // a closing mean's cotangent is divided by the count before the loop: then it is a sum's
          a.set(2, closes ? "sumWrtSelf" : p.rules().get(i));
          add(in.name(), new Expr(format, a), out);
        }
      }
    }

    /** {@code dIn = expr} for the first contribution to {@code in}, {@code dIn += expr} after. */
    private void add(String in, Expr expr, List<Statement> out) {
      String adjoint = adjoints.get(in);
      if (adjoint == null) {
        adjoint = namer.name("d" + capitalized(in));
        adjoints.put(in, adjoint);
        out.add(new Assign(adjoint, true, expr));
      } else {
        out.add(new Assign(adjoint, false, expr));
      }
    }

    /** How the loop body writes value {@code v} at one element. */
    private String element(Value v) {
      String code = v.code();
      if (elementOf.containsKey(code)) {
        return elementOf.get(code);
      }
      if (tensorParams.contains(code)) {
        Operand o = new Operand(code, namer.name(code + "s"), code, namer.name(code + "One"),
            namer.name(code + "Scalar"));
        operands.put(code, o);
        elementOf.put(code, code);
        return code;
      }
      return "(float) " + code;
    }

    private static String capitalized(String name) {
      return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
  }
}
