package zkynet;

import java.util.function.Supplier;
import zkynet.autodiff.Differentiable;

/**
 * Test stub of zkynet.CallSession with the two entry points generated facades call (signatures
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

  /** Evaluates an operator on {@code inputs} and records it. */
  public static OperatorNode apply(String operator, Supplier<Differentiable> forward,
      Node... inputs) {
    return null;
  }
}
