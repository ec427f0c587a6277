package zkynet;

/** A leaf of a call's graph: a module input (variable), a parameter, or a constant. */
public final class InputNode extends Node {
  /** What kind of leaf. */
  public enum Kind { VARIABLE, PARAMETER, CONSTANT }

  private final Kind kind;
  private final Object slot;
  private final String name;
  private final String functionalName;

  InputNode(long callId, GraphLife life, int id, Tensor value, String modulePath,
      String instancePath, Kind kind, Object slot, String name, String functionalName) {
    super(callId, life, id, value, modulePath, instancePath);
    this.kind = kind;
    this.slot = slot;
    this.name = name;
    this.functionalName = functionalName;
  }

  public Kind kind() {
    return kind;
  }

  /** The {@link Input} or {@link Parameter} grounded by this node; null for a constant. */
  public Object slot() {
    return slot;
  }

  /** The entity's name, e.g. {@code SimpleModel_2.w}. */
  public String name() {
    return name;
  }

  /** The role's name, e.g. {@code SimpleModel.w}. */
  public String functionalName() {
    return functionalName;
  }

  @Override
  public String label() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }
}
