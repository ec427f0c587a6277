package zkynet;

/**
 * Anything an operator facade (or a sub-module's {@code apply}) accepts as a differentiable argument
 * inside a forward pass: a {@link Node} of the current graph, a module's {@link Parameter} (grounded
 * once per call), a constant made with {@link #constant(Object)}, or what a sub-module called with
 * values inside the forward pass returns (a {@link ModuleGraph} standing for its root node).
 */
public sealed interface Operand permits Node, Parameter, Operand.Const, ModuleGraph {
  /** A constant operand (no gradient): a Tensor, Number, array or INDArray, as {@link Tensor#from}. */
  static Operand constant(Object value) {
    return new Const(Tensor.from(value));
  }

  /** A constant value; it becomes a constant {@link InputNode} of the graph that uses it. */
  record Const(Tensor value) implements Operand {}
}
