package zkynet;

import java.util.function.Supplier;
import zkynet.autodiff.Differentiable;

/**
 * Test stub of zkynet.CallSession with the entry points generated facades call (signatures
 * copied from runtime/src/main/java/zkynet/CallSession.java).
 */
public final class CallSession {
  private CallSession() {}

  public static boolean active() {
    return false;
  }

  /** The node of the current call for an operand. */
  public static Node node(Operand operand) {
    return null;
  }

  /** Whether an inference call is in progress on this thread. */
  public static boolean inferring() {
    return false;
  }

  /** The value of an operand of the current call. */
  public static Tensor value(Operand operand) {
    return null;
  }

  /** In an inference call: evaluates an operator's eager method. */
  public static Node infer(String operator, Supplier<Tensor> eager, Tensor... inputs) {
    return null;
  }

  /** Evaluates an operator on {@code inputs} and records it. */
  public static OperatorNode apply(String operator, Supplier<Differentiable> forward,
      Node... inputs) {
    return null;
  }
}
