package zkynet.processor.differentiation;

import java.util.List;

/**
 * The reverse pass of one operator, as straight-line statements for codegen to print. Every name in
 * it comes from the operator class's {@link zkynet.processor.model.Namer}.
 *
 * @param cotangent the name of the {@code Tensor} parameter holding the output's cotangent
 * @param needed the name of the {@code boolean[]} parameter: which inputs need a gradient
 * @param statements the body, in order
 * @param results per differentiable input, the adjoint returned for it; null where none can flow
 * @param flows per differentiable input, whether what is returned for it can be null (printed as
 *     the method's {@code @GradientFlow}, read when compiling callers)
 */
public record Backward(String cotangent, String needed, List<Statement> statements,
    List<String> results, List<Flow> flows) {

  /** What the reverse pass returns for one input: the runtime's {@code GradientFlow.Flow}. */
  public enum Flow {
    /** Always null: no gradient flows to the input. */
    NONE,
    /** Never null when the input's needed flag is true. */
    WHEN_NEEDED,
    /** May be null: unknown at compile time. */
    MAYBE
  }

  /** One statement of a reverse pass. */
  public sealed interface Statement {}

  /** {@code // text}: the forward line the following statements come from. */
  public record Comment(String text) implements Statement {}

  /** {@code int name = cotangent.rank() - output.rank();}: the cotangent's batch axes. */
  public record BatchRank(String name, String output) implements Statement {}

  /** {@code Tensor adjoint = init;} with {@code init} the cotangent or {@code null}. */
  public record Declare(String adjoint, String init) implements Statement {}

  /**
   * {@code if (needed[i] || ...) { body }}: work that serves only the inputs {@code inputs}
   * (positions among the differentiable inputs), skipped when none of them needs a gradient.
   */
  public record Guard(List<Integer> inputs, List<Statement> body) implements Statement {}

  /**
   * {@code if (adjoint != null) { body }}: only where that is unknown at compile time, for the
   * adjoint of a value whose only contributions come from called operators that may return null
   * for it ({@link Flow#MAYBE}: a user's {@code @Derivative}, or a callee whose flow is unknown).
   */
  public record IfPresent(String adjoint, List<Statement> body) implements Statement {}

  /**
   * {@code adjoint = Grad.accumulate(adjoint, Owner.method(args), input, batch);}: a rule of the
   * runtime's table ({@code Rules}), or the user's {@code @Derivative} method ({@code supplied}, in
   * the operator's own class), applied to the cotangent of a step.
   */
  public record Contribution(String adjoint, boolean supplied, String method, List<String> args,
      String input, String batch) implements Statement {}

  /**
   * {@code Tensor[] parts = call.backward(cotangent, new boolean[] {flags});}: the reverse pass of a
   * called operator, asked only for the inputs whose gradient leads somewhere needed. A flag is
   * {@code true}, {@code false} or a guard over {@code needed} (a {@link Guard}'s inputs).
   */
  public record CallBackward(String parts, String call, String cotangent, List<Flag> flags)
      implements Statement {}

  /**
   * A needed-flag passed to a called operator: {@code true} when {@code always}, otherwise whether
   * any of the inputs {@code anyOf} needs a gradient ({@code false} when empty).
   */
  public record Flag(boolean always, List<Integer> anyOf) {}

  /**
   * {@code adjoint = Grad.accumulate(adjoint, value, input, batch);} for a cotangent that needs no
   * rule: a part returned by a called operator ({@code parts[k]}) or the adjoint of an alias.
   */
  public record Accumulate(String adjoint, String value, String input, String batch)
      implements Statement {}
}
