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
  private final String instancePath;

  Node(long callId, int id, Tensor value, String modulePath, String instancePath) {
    this.callId = callId;
    this.id = id;
    this.value = value;
    this.modulePath = modulePath;
    this.instancePath = instancePath;
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

  /**
   * Which sub-module instance's forward pass created this node, as a path of fields from the top
   * module, like parameter paths: {@code ""} for the top module itself, {@code "m1"}, {@code
   * "layers.0"}, {@code "encoder.attn"}. A module called without being a field of its caller
   * appears under its name ({@code SimpleModel_3}). A parameter's node is created where the
   * parameter is first used.
   */
  public String instancePath() {
    return instancePath;
  }

  /** A short label: the input's short name or the operator's name. */
  public abstract String label();

  @Override
  public String toString() {
    return label() + "#" + id + "@call" + callId + " = " + value.preview(6);
  }
}
