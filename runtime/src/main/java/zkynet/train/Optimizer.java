package zkynet.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import zkynet.Anomaly;
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
 *
 * <p><b>Threads.</b> A step is atomic: the new values of all its parameters are published together
 * through {@link Parameter#update}, so a module call running on another thread sees the whole step
 * or none of it (a call reads one snapshot of its parameter values when it starts). Steps are
 * serialised: concurrent {@code step} calls on one optimizer, on two optimizers sharing parameters,
 * or a step racing {@link Parameter#set}, run one after the other, each from the values the
 * previous one published, so none is lost ({@link #steps()} counts them all). A step computes its
 * update from the gradients of the graph it is given, whatever step the graph's forward pass saw
 * (as in asynchronous SGD).
 *
 * <p><b>Non-finite gradients.</b> By default a step applies whatever gradients it gets (numpy's
 * semantics: a NaN gradient makes NaN parameters). {@link #onNonFiniteGradient} chooses to refuse
 * such a step with an exception, or to skip it and count it ({@link #skippedSteps()}).
 */
public abstract class Optimizer {
  /** What a step does when a gradient holds NaN or an infinity. */
  public enum NonFinite {
    /** Apply it anyway (the default; numpy's semantics). */
    APPLY,
    /** Throw an {@link IllegalStateException} naming the parameter; nothing is changed. */
    THROW,
    /** Leave every parameter and the optimizer's state unchanged and count the step as skipped. */
    SKIP
  }

  private final List<Parameter> parameters;
  private final Map<String, Parameter> named;
  private volatile long steps; // written under the parameters' update locks
  private final AtomicLong skipped = new AtomicLong();
  private volatile NonFinite nonFinite = NonFinite.APPLY;

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

  /** How many steps have been applied (skipped ones are not counted). */
  public final long steps() {
    return steps;
  }

  /** How many steps were skipped because a gradient was not finite ({@link NonFinite#SKIP}). */
  public final long skippedSteps() {
    return skipped.get();
  }

  /** Chooses what a step does with a gradient that holds NaN or an infinity; returns this. */
  public final Optimizer onNonFiniteGradient(NonFinite policy) {
    this.nonFinite = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** The policy for non-finite gradients. */
  public final NonFinite nonFiniteGradientPolicy() {
    return nonFinite;
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
    if (nonFinite != NonFinite.APPLY && !allFinite(g)) {
      return;
    }
    Parameter.update(parameters, current -> {
      steps++; // under the locks of every parameter of this optimizer: serialised
      try {
        Tensor[] next = new Tensor[g.length];
        for (int k = 0; k < g.length; k++) {
          if (g[k] != null) {
            next[k] = update(k, current[k], g[k]);
          }
        }
        return next;
      } catch (RuntimeException e) {
        steps--; // nothing was published
        throw e;
      }
    });
  }

  /** Whether every gradient is finite; otherwise throws or counts a skip, as the policy says. */
  private boolean allFinite(Tensor[] g) {
    for (int k = 0; k < g.length; k++) {
      String bad = g[k] == null ? null : Anomaly.describeNonFinite(g[k]);
      if (bad == null) {
        continue;
      }
      String what = "the gradient of parameter " + nameOf(k) + " is " + bad;
      if (nonFinite == NonFinite.THROW) {
        throw new IllegalStateException(getClass().getSimpleName() + ".step refused: " + what
            + "; no parameter was changed");
      }
      skipped.incrementAndGet();
      return false;
    }
    return true;
  }

  private String nameOf(int index) {
    int i = 0;
    for (String name : named.keySet()) {
      if (i++ == index) {
        return "'" + name + "'";
      }
    }
    return "#" + index;
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
