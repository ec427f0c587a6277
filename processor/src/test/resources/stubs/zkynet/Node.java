package zkynet;

/** Test stub of zkynet.Node: a grounded value in one call's graph. */
public abstract class Node implements Operand {
  public long callId() {
    return 0;
  }

  public int id() {
    return 0;
  }

  public Tensor value() {
    return null;
  }

  public abstract String label();
}
