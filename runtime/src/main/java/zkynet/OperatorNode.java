package zkynet;

import java.util.List;
import zkynet.autodiff.Differentiable;

/** An operator applied to nodes of the same call; holds the evaluated {@link Differentiable}. */
public final class OperatorNode extends Node {
  private final String operator;
  private final List<Node> inputs;
  private final Differentiable call;

  OperatorNode(long callId, GraphLife life, int id, String modulePath, String instancePath,
      String operator, List<Node> inputs, Differentiable call) {
    super(callId, life, id, call.output(), modulePath, instancePath);
    this.operator = operator;
    this.inputs = List.copyOf(inputs);
    this.call = call;
  }

  /** The operator's name, e.g. {@code add} or {@code Activations.softplus}. */
  public String operator() {
    return operator;
  }

  /** The differentiable inputs, in the order the operator declares them (repeats allowed). */
  public List<Node> inputs() {
    return inputs;
  }

  Differentiable call() {
    return call;
  }

  @Override
  public String label() {
    return operator;
  }
}
