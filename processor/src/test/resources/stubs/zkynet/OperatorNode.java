package zkynet;

/** Test stub of zkynet.OperatorNode (the return type of CallSession.apply). */
public final class OperatorNode extends Node {
  @Override
  public String label() {
    return null;
  }
}
