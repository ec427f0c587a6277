package zkynet;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import zkynet.backend.Arena;
import zkynet.train.Optimizer;

/**
 * The flat graph of one module call: input and operator nodes only, in creation order, and its
 * root. {@link #back()} runs one reverse sweep; {@link #grad} reads the result.
 *
 * <p>A reverse sweep computes only the gradients someone can read: those of nodes that lead to a
 * leaf needing one. Parameters and module inputs need gradients; constants never do, and neither
 * does an input declared {@code @NoGrad} on the module's {@code call} method (a data batch, labels).
 * Asking for a gradient that was not computed ({@link #grad}) is an error, never silent zeros.
 *
 * <p>Gradients follow JAX's {@code jacrev} layout: {@code grad(leaf)} has shape
 * {@code root.shape ++ leaf.shape} after {@link #back()} (for a scalar root, the leaf's own shape),
 * and {@code cotangentBatch ++ leaf.shape} after {@link #back(Tensor)}.
 *
 * <p>A module called with values inside another module's forward pass ({@code sub.apply(3.0)})
 * joins the call in progress and returns a <em>nested</em> result: an {@link Operand} standing for
 * its root node in the outer graph, with no graph of its own ({@link #nodes()}, {@link #back()} and
 * {@link #grad} are errors on it).
 *
 * <p><b>Closing.</b> A graph holds its intermediate values and gradients until it becomes garbage.
 * {@link #close()} (or try-with-resources) ends it sooner: the results nobody outside the graph
 * can read go back to the backend, and the next call's kernels reuse their memory (in a training
 * loop, the same shapes each step, so a step allocates almost nothing new). What was read before
 * the close stays valid: {@link #value()}, {@link #grad}, {@link Node#value()} hand out values that
 * are kept from recycling; reading anything of the graph after the close is an error.
 */
public final class ModuleGraph implements Operand, AutoCloseable {
  private final ModuleBase module;
  private final long callId;
  private final List<Node> nodes;
  private final Node root;
  private Tensor[] grads;
  private boolean[] needed;
  private boolean inputGradients = true;
  private int[] batchShape;
  private final GraphLife life;

  ModuleGraph(ModuleBase module, long callId, List<Node> nodes, Node root, GraphLife life) {
    this.module = module;
    this.callId = callId;
    this.nodes = nodes;
    this.root = root;
    this.life = life;
  }

  /** The result of {@code module} called with values inside the forward pass of a call. */
  static ModuleGraph nested(ModuleBase module, Node root) {
    return new ModuleGraph(module, root.callId(), null, root, null);
  }

  /** Whether this is the result of a call inside another call's forward pass (no graph of its own). */
  public boolean nested() {
    return nodes == null;
  }

  private void requireGraph(String what) {
    if (nodes == null) {
      throw new IllegalStateException(module.name() + " was called inside the forward pass of call "
          + callId + (root instanceof ValueNode ? " (an inference call, module.infer)" : "")
          + ": its result is a node of that call, with no graph of its own, so " + what
          + " is not available on it; use the graph the top-level apply returns");
    }
    life.requireOpen(module.name() + "." + what);
  }

  /**
   * Ends the graph: its operators' results and its gradients that were not read (through {@link
   * #value()}, {@link #grad} or {@link Node#value()}) go back to the backend for reuse, and every
   * later use of the graph or of its nodes' values is an error. Closing again does nothing. Call it
   * when a step is done (after {@code optimizer.step(graph)}), e.g. with try-with-resources.
   */
  @Override
  public void close() {
    if (nodes == null) {
      requireGraph("close()");
    }
    if (!life.close()) {
      return;
    }
    // An input's or a constant's value is the user's: never recycled, also where an operator's
    // result is a view of it. (A parameter's value was made by no kernel of this graph, and its
    // lease is released last.) Then the operators' results, and everything the sweeps made. The
    // forward passes' other arrays are not listed: the operators' code may initialise a class
    // there, whose static constants outlive the graph.
    for (Node n : nodes) {
      if (n instanceof InputNode in && in.kind() != InputNode.Kind.PARAMETER) {
        n.raw().storage().pin();
      }
    }
    Arena arena = life.arena;
    for (Node n : nodes) {
      if (n instanceof OperatorNode) {
        n.raw().storage().recycle(arena);
      }
    }
    arena.recycleAll();
    grads = null;
    life.releaseLeases();
  }

  /** Whether {@link #close()} has run. */
  public boolean closed() {
    return life != null && life.closed();
  }

  public ModuleBase module() {
    return module;
  }

  public long callId() {
    return callId;
  }

  public Node root() {
    return root;
  }

  /** The root's value. */
  public Tensor value() {
    if (life != null) {
      life.requireOpen(module.name() + ".value()");
    }
    return root.value();
  }

  /** Every node of the call in creation order (a topological order). */
  public List<Node> nodes() {
    requireGraph("nodes()");
    return nodes;
  }

  /**
   * Reverse sweep from the root. For a scalar root the seed is 1; otherwise the seed is the
   * identity of shape {@code root.shape ++ root.shape}, so that one batched pass gives full
   * Jacobians. Calling it again recomputes, it never accumulates across calls.
   */
  public void back() {
    requireGraph("back()");
    int[] shape = root.shape();
    back(identity(shape, root.raw()), shape, true);
  }

  /**
   * Like {@link #back()}, but computes the gradients of the parameters only: every input is
   * treated as if it were {@code @NoGrad}, so no work leads to a data input (a training step
   * through a loss module whose inputs are not marked computes no {@code d loss / d x}). The
   * optimizers read nothing else; {@code grad(input)} afterwards is an error.
   */
  public void backParameters() {
    requireGraph("backParameters()");
    int[] shape = root.shape();
    back(identity(shape, root.raw()), shape, false);
  }

  /**
   * A vector-Jacobian product: {@code cotangent} has shape {@code batch ++ root.shape}; afterwards
   * {@code grad(leaf)} has shape {@code batch ++ leaf.shape}.
   */
  public void back(Tensor cotangent) {
    requireGraph("back(cotangent)");
    int[] rootShape = root.shape();
    int[] shape = cotangent.shape();
    int batch = shape.length - rootShape.length;
    if (batch < 0 || !Arrays.equals(Arrays.copyOfRange(shape, batch, shape.length), rootShape)) {
      throw new IllegalArgumentException(module.name() + ": cotangent shape "
          + Arrays.toString(shape) + " must end with the root's shape " + Arrays.toString(rootShape));
    }
    if (cotangent.dtype() != root.dtype()) {
      throw new IllegalArgumentException(module.name() + ": cotangent dtype " + cotangent.dtype()
          + " differs from the root's " + root.dtype());
    }
    // The cotangent is the caller's: the sweep keeps it as the root's gradient (and as the
    // gradient of nodes it flows to unchanged), and closing must not recycle it.
    Parameter.keep(cotangent, module.name() + ".back(cotangent)");
    back(cotangent, Arrays.copyOf(shape, batch), true);
  }

  private void back(Tensor seed, int[] batch, boolean withInputs) {
    // Everything the sweep's kernels make is the derivative code's (or a gradient that is pinned
    // when read): listed for recycling at close().
    Arena previous = life.arena.enter();
    life.arena.record(true);
    try {
      sweep(seed, batch, withInputs);
    } finally {
      life.arena.record(false);
      Arena.restore(previous);
    }
  }

  private void sweep(Tensor seed, int[] batch, boolean withInputs) {
    boolean[] need = neededNodes(withInputs);
    Tensor[] g = new Tensor[nodes.size()];
    // owned[j]: g[j] is a sum this sweep allocated and nobody else has seen yet (node j's backward
    // has not run: creation order puts every consumer of j after it), so further contributions are
    // added into its memory instead of allocating a new sum each time.
    boolean[] owned = new boolean[nodes.size()];
    g[root.id()] = seed;
    // Creation order is topological: one backward walk from the root visits every node after all
    // of its consumers. Nodes that do not reach the root never receive a gradient; nodes that lead
    // to no leaf needing one are skipped, and operators are asked only for the inputs that do.
    for (int i = root.id(); i >= 0; i--) {
      if (g[i] == null || !need[i] || !(nodes.get(i) instanceof OperatorNode op)) {
        continue;
      }
      List<Node> inputs = op.inputs();
      boolean[] flags = new boolean[inputs.size()];
      for (int k = 0; k < flags.length; k++) {
        flags[k] = need[inputs.get(k).id()];
      }
      Tensor[] contributions = op.call().backward(g[i], flags);
      if (Anomaly.armed()) {
        Anomaly.checkBackward(op, g[i], contributions);
      }
      for (int k = 0; k < flags.length; k++) {
        Tensor c = flags[k] ? contributions[k] : null;
        if (c != null) {
          int j = inputs.get(k).id();
          if (g[j] == null) {
            g[j] = c;
          } else if (owned[j]) {
            g[j] = g[j].addInPlace(c);
          } else {
            g[j] = g[j].add(c);
            owned[j] = true;
          }
        }
      }
    }
    grads = g;
    needed = need;
    batchShape = batch;
    inputGradients = withInputs;
  }

  /**
   * Which nodes need a gradient, in one forward walk: a parameter or an input not marked
   * {@code @NoGrad} does (unless {@code inputs} is false), a constant never, an operator node when
   * one of its inputs does.
   */
  private boolean[] neededNodes(boolean inputs) {
    boolean[] need = new boolean[nodes.size()];
    for (Node n : nodes) {
      if (n instanceof InputNode in) {
        need[n.id()] = switch (in.kind()) {
          case PARAMETER -> true;
          case VARIABLE -> inputs && ((Input) in.slot()).needsGrad();
          case CONSTANT -> false;
        };
      } else {
        for (Node in : ((OperatorNode) n).inputs()) {
          need[n.id()] |= need[in.id()];
        }
      }
    }
    return need;
  }

  private static Tensor identity(int[] shape, Tensor like) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] data = new double[n * n];
    for (int i = 0; i < n; i++) {
      data[i * n + i] = 1.0;
    }
    int[] full = new int[shape.length * 2];
    System.arraycopy(shape, 0, full, 0, shape.length);
    System.arraycopy(shape, 0, full, shape.length, shape.length);
    return Tensor.of(data, like.dtype(), full);
  }

  /** The gradient of the root with respect to a parameter used in this call. */
  public Tensor grad(Parameter p) {
    requireGraph("grad(parameter)");
    for (Node n : nodes) {
      if (n instanceof InputNode in && in.slot() == p) {
        return grad(n);
      }
    }
    throw new IllegalArgumentException(p.name() + " is not a leaf of this graph (call " + callId
        + " of " + module.name() + "): the forward pass did not use it");
  }

  /** The gradient of the root with respect to a module input of this call. */
  public Tensor grad(Input input) {
    requireGraph("grad(input)");
    for (Node n : nodes) {
      if (n instanceof InputNode in && in.slot() == input) {
        return grad(n);
      }
    }
    throw new IllegalArgumentException(input.name() + " is not a leaf of this graph (call "
        + callId + " of " + module.name() + "); its inputs are " + module.inputNames());
  }

  /**
   * The gradient of the root with respect to any node of this graph (zeros if it does not reach the
   * root). An error for a node whose gradient was not computed: see {@link #hasGradient}.
   */
  public Tensor grad(Node node) {
    return life.pin(gradient(node), module.name() + ".grad(" + node.label() + ")");
  }

  /** The gradient of {@code node}, not pinned: for the graph's own use and the optimizers'. */
  private Tensor gradient(Node node) {
    if (!hasGradient(node)) {
      throw new IllegalStateException(module.name() + ": no gradient was computed for " + describe(node)
          + " (call " + callId + ")");
    }
    Tensor g = grads[node.id()];
    if (g != null) {
      return g;
    }
    int[] shape = node.shape();
    int[] full = Arrays.copyOf(batchShape, batchShape.length + shape.length);
    System.arraycopy(shape, 0, full, batchShape.length, shape.length);
    return Tensor.zeros(node.dtype(), full);
  }

  /**
   * The gradient of every parameter of this graph, for zkynet's own optimizers ({@code key} is
   * theirs alone), which keep none of them beyond the step: so these are not kept from recycling
   * when the graph is closed. Anyone else reads {@link #grad(Parameter)}.
   */
  public Map<Parameter, Tensor> parameterGradients(Optimizer.Key key) {
    Objects.requireNonNull(key, "key");
    requireGraph("parameterGradients");
    Map<Parameter, Tensor> out = new IdentityHashMap<>();
    for (Node n : nodes) {
      if (n instanceof InputNode in && in.kind() == InputNode.Kind.PARAMETER
          && in.slot() instanceof Parameter p) {
        out.put(p, gradient(n));
      }
    }
    return out;
  }

  /**
   * Whether the last reverse sweep computed the gradient of {@code node} (which may be zeros when the
   * node does not reach the root): false for constants, for inputs marked {@code @NoGrad} and for
   * operator nodes that lead to neither a parameter nor another input. An error before
   * {@link #back()}.
   */
  public boolean hasGradient(Node node) {
    requireGraph("grad(node)");
    if (node instanceof ValueNode) {
      throw new IllegalArgumentException("node " + node.label() + " was computed in an inference "
          + "call (module.infer, call " + node.callId() + "): it has no gradient");
    }
    if (node.callId() != callId || node.id() >= nodes.size() || nodes.get(node.id()) != node) {
      throw new IllegalArgumentException("node " + node.label() + " belongs to call "
          + node.callId() + ", not to this graph (call " + callId + " of " + module.name() + ")");
    }
    if (grads == null) {
      throw new IllegalStateException(module.name() + ": call back() before grad(...)");
    }
    return needed[node.id()];
  }

  private String describe(Node node) {
    if (node instanceof InputNode in) {
      return switch (in.kind()) {
        case CONSTANT -> "constant " + in.label() + ": constants never get one";
        case VARIABLE -> "input " + in.name() + (inputGradients
            ? ": it is declared @NoGrad on the module's call method"
            : ": backParameters() computed the parameters' gradients only");
        case PARAMETER -> "parameter " + in.name();
      };
    }
    return "node " + node.label() + "#" + node.id() + ": it depends on no parameter and no input that"
        + " needs a gradient (only on constants and @NoGrad inputs)";
  }

  /** Whether {@link #back()} has run. */
  public boolean hasGradients() {
    requireGraph("hasGradients()");
    return grads != null;
  }

  @Override
  public String toString() {
    return "ModuleGraph(" + module.name() + ", call " + callId + ", "
        + (nodes == null ? "nested" : nodes.size() + " nodes") + ", value "
        + (closed() ? "closed" : root.raw().preview(6)) + ")";
  }
}
