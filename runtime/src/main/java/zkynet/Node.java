package zkynet;

/**
 * A grounded value in one call's graph: an {@link InputNode} (leaf) or an {@link OperatorNode}.
 * Nodes are immutable; {@link #id()} is the node's position in its graph's creation order, which is
 * a topological order.
 */
public abstract sealed class Node implements Operand permits InputNode, OperatorNode {
  private final long callId;
  private final int id;
  private final Tensor value;
  private final String modulePath;

  Node(long callId, int id, Tensor value, String modulePath) {
    this.callId = callId;
    this.id = id;
    this.value = value;
    this.modulePath = modulePath;
  }

  /** The call this node belongs to. */
  public long callId() {
    return callId;
  }

  /** Position in the graph's creation order. */
  public int id() {
    return id;
  }

  public Tensor value() {
    return value;
  }

  /**
   * The functional name of the module whose forward pass created this node, with the path of
   * enclosing modules, e.g. {@code "Composite/SimpleModel"}.
   */
  public String modulePath() {
    return modulePath;
  }

  /** A short label: the input's short name or the operator's name. */
  public abstract String label();

  @Override
  public String toString() {
    return label() + "#" + id + "@call" + callId + " = " + value.preview(6);
  }
}
