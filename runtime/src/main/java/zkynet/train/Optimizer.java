package zkynet.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import zkynet.InputNode;
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;

/**
 * Updates a fixed list of parameters from the gradients of a {@link ModuleGraph} whose root is a
 * scalar loss: {@code graph.back(); optimizer.step(graph);}.
 *
 * <p>The parameters are those of {@link ModuleBase#parameters()} (or an explicit list), in that
 * deterministic order; the per-parameter state of a subclass is kept by position in that list. A
 * parameter the forward pass did not use gets no gradient and is left untouched by the step (as in
 * PyTorch, where its {@code .grad} is None), including its state. The graph may come from a
 * different module than the optimizer's (a loss wrapper around the model, for example): gradients
 * are matched by parameter identity.
 */
public abstract class Optimizer {
  private final List<Parameter> parameters;
  private final Map<String, Parameter> named;
  private long steps;

  /** Optimizes every parameter of {@code model} (its {@link ModuleBase#namedParameters()}). */
  protected Optimizer(ModuleBase model) {
    this(Objects.requireNonNull(model, "model").namedParameters());
  }

  /** Optimizes the given parameters, by name (the names only appear in error messages). */
  protected Optimizer(Map<String, Parameter> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": nothing to optimize (no parameters)");
    }
    this.named = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.parameters = List.copyOf(named.values());
  }

  /** The optimized parameters, in the order the per-parameter state uses. */
  public final List<Parameter> parameters() {
    return parameters;
  }

  /** How many steps have been taken. */
  public final long steps() {
    return steps;
  }

  /**
   * One update from the gradients of {@code graph}, whose root must be a scalar and on which
   * {@link ModuleGraph#back()} must have run.
   */
  public final void step(ModuleGraph graph) {
    Objects.requireNonNull(graph, "graph");
    if (graph.value().size() != 1) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ".step: the graph's root must be"
          + " a scalar loss, got shape " + java.util.Arrays.toString(graph.value().shape()));
    }
    if (!graph.hasGradients()) {
      throw new IllegalStateException(getClass().getSimpleName() + ".step: call graph.back() first");
    }
    Map<Parameter, Tensor> grads = gradients(graph);
    // Check every gradient before changing anything, so a failure leaves all parameters as they were.
    Tensor[] g = new Tensor[parameters.size()];
    int i = 0;
    for (Map.Entry<String, Parameter> e : named.entrySet()) {
      Tensor grad = grads.get(e.getValue());
      Tensor value = e.getValue().value();
      if (grad != null && !java.util.Arrays.equals(grad.shape(), value.shape())) {
        throw new IllegalStateException("gradient of " + e.getKey() + " has shape "
            + java.util.Arrays.toString(grad.shape()) + ", the parameter "
            + java.util.Arrays.toString(value.shape()));
      }
      g[i++] = grad == null ? null : grad.to(value.dtype());
    }
    steps++;
    for (int k = 0; k < g.length; k++) {
      if (g[k] != null) {
        Parameter p = parameters.get(k);
        p.set(update(k, p.value(), g[k]));
      }
    }
  }

  /**
   * The new value of parameter number {@code index} (position in {@link #parameters()}), given
   * its current value and gradient (same shape and dtype). {@link #steps()} is already counted,
   * so it is 1 in the first call.
   */
  protected abstract Tensor update(int index, Tensor value, Tensor grad);

  /** The gradient of every parameter leaf of {@code graph}, by parameter identity. */
  static Map<Parameter, Tensor> gradients(ModuleGraph graph) {
    Map<Parameter, Tensor> out = new IdentityHashMap<>();
    for (Node n : graph.nodes()) {
      if (n instanceof InputNode in && in.kind() == InputNode.Kind.PARAMETER
          && in.slot() instanceof Parameter p) {
        out.put(p, graph.grad(n));
      }
    }
    return out;
  }

  /** A list of {@code n} nulls: per-parameter state before the first step. */
  static List<Tensor> emptyState(int n) {
    return new ArrayList<>(Collections.nCopies(n, null));
  }
}
