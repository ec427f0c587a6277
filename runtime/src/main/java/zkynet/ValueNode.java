package zkynet;

/**
 * A value of an inference call ({@code module.infer(...)}): it carries only its tensor and its
 * call's id, is recorded in no list and belongs to no graph, so an intermediate becomes garbage as
 * soon as the forward pass stops using it. It has no gradient: nothing about how it was computed is
 * kept.
 */
public final class ValueNode extends Node {
  ValueNode(long callId, Tensor value) {
    super(callId, null, -1, value, "", "");
  }

  /** Always {@code "value"}: an inference value keeps no operator or input name. */
  @Override
  public String label() {
    return "value";
  }
}
