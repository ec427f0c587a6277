package zkynet;

/**
 * A grounded value in one call's graph: an {@link InputNode} (leaf) or an {@link OperatorNode}.
 * Nodes are immutable; {@link #id()} is the node's position in its graph's creation order, which is
 * a topological order. In an inference call ({@code module.infer(...)}) values flow through the
 * forward pass as {@link ValueNode}s, which belong to no graph.
 */
public abstract sealed class Node implements Operand permits InputNode, OperatorNode, ValueNode {
  private final long callId;
  private final GraphLife life;
  private final int id;
  private final Tensor value;
  private final String modulePath;
  private final String instancePath;

  Node(long callId, GraphLife life, int id, Tensor value, String modulePath, String instancePath) {
    this.callId = callId;
    this.life = life;
    this.id = id;
    this.value = value;
    this.modulePath = modulePath;
    this.instancePath = instancePath;
  }

  /** The call this node belongs to. */
  public long callId() {
    return callId;
  }

  /** Position in the graph's creation order; -1 for a {@link ValueNode}, which is in no graph. */
  public int id() {
    return id;
  }

  /**
   * The node's value. A value read here stays valid after its graph is closed ({@link
   * ModuleGraph#close()}); reading it after the close is an error.
   */
  public Tensor value() {
    return life == null ? value : life.expose(value, this);
  }

  /** The value's shape (also after the graph is closed; reading it keeps nothing from recycling). */
  public int[] shape() {
    return value.shape();
  }

  /** The value's dtype. */
  public DType dtype() {
    return value.dtype();
  }

  /** The value for the graph's own code, which keeps it no longer than the graph. */
  Tensor raw() {
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
