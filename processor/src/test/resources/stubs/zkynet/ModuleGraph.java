package zkynet;

/** Test stub of zkynet.ModuleGraph: the flat graph of one module call. */
public final class ModuleGraph implements Operand {
  private ModuleGraph() {}

  public Node root() {
    return null;
  }

  public Tensor value() {
    return null;
  }

  public void back() {}

  public Tensor grad(Parameter p) {
    return null;
  }
}
