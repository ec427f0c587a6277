package zkynet.processor.model;

import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * An {@code @Operator} method as read from source: its parameters and either its body in
 * straight-line form (to be differentiated) or the user's {@code @Derivative} methods.
 *
 * @param owner the class declaring the operator
 * @param method the operator method (for an elementwise region outlined from an operator's body,
 *     that operator's: see {@code differentiation.Regions})
 * @param params every parameter, in order
 * @param body the lowered body; null when the user supplies derivatives
 * @param derivatives per differentiable parameter (in order), the user's derivative method name;
 *     empty when the body is differentiated
 * @param names the name allocator of the operator's generated class: seeded with the user's names,
 *     holding the temporaries' names already, to hand out every further generated name
 */
public record OperatorModel(
    TypeElement owner,
    ExecutableElement method,
    List<Param> params,
    Body body,
    List<String> derivatives,
    Namer names) {

  public String name() {
    return method.getSimpleName().toString();
  }

  public List<Param> differentiableParams() {
    return params.stream().filter(Param::differentiable).toList();
  }

  /** A parameter of the operator. */
  public record Param(String name, TypeMirror type, boolean differentiable) {}

  /** The straight-line body: source lines, each lowered to steps, and the returned value. */
  public record Body(List<Line> lines, Value output) {}

  /** One source statement and the steps it lowers to (one step per primitive). */
  public record Line(String source, List<Step> steps) {}

  /** A value in a lowered body: a differentiable tensor held in a field, or a constant. */
  public sealed interface Value {
    /** How generated code writes the value. */
    String code();
  }

  /** A differentiable tensor, held in the field {@code name}. */
  public record Diff(String name) implements Value {
    @Override
    public String code() {
      return name;
    }
  }

  /** A constant: a literal, or a field holding a hoisted constant expression. */
  public record Const(String source) implements Value {
    @Override
    public String code() {
      return source;
    }
  }

  /** One forward step. Each defines the field {@code target}. */
  public sealed interface Step {
    String target();
  }

  /**
   * {@code target = receiver.method(args)} for a {@code @Primitive} Tensor method. {@code rules}
   * holds, for the receiver then each argument, the rule method in {@code zkynet.autodiff.Rules}, or
   * null where that input is constant, not differentiated, or receives no gradient by the table
   * ({@code stopGradient}).
   */
  public record PrimitiveStep(String target, String method, Value receiver, List<Value> args,
      List<String> rules) implements Step {}

  /**
   * {@code target = new OpClass(args).output()} for a call to another {@code @Operator}; the call
   * object is kept in field {@code callField}. {@code differentiable} flags the callee's
   * differentiable parameters, in order.
   */
  public record OperatorStep(String target, String callField, String facade, String opClass,
      List<Value> args, List<Boolean> differentiable) implements Step {}

  /** {@code target = expression} for a constant of type {@code type}. */
  public record ConstStep(String target, TypeMirror type, String expression) implements Step {}

  /** {@code target = source}: a new name for a differentiable value. */
  public record AliasStep(String target, Diff source) implements Step {}
}
