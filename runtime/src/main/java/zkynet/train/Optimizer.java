package zkynet.train;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import zkynet.Anomaly;
import zkynet.DType;
import zkynet.InputNode;
import zkynet.ModuleBase;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.backend.Arena;

/**
 * Updates a fixed list of parameters from the gradients of a {@link ModuleGraph} whose root is a
 * scalar loss: {@code graph.backParameters(); optimizer.step(graph);}.
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
 * <p><b>A step</b>, in this order: the gradients are checked (shapes; non-finite policy), their
 * global norm is computed and they are clipped ({@link #clipGradientNorm}); then, under the
 * parameters' locks, the {@link #schedule} sets the learning rate, {@link #steps()} is counted and
 * each parameter with a gradient gets its subclass {@link #update}. If anything fails under the
 * locks, the step count, the rate and every buffer are restored and nothing is published. The
 * whole mutable state ({@link #state()}) goes into checkpoints through
 * {@link zkynet.io.Checkpoints#save(ModuleBase, Optimizer, java.nio.file.Path)}.
 *
 * <p><b>Non-finite gradients.</b> By default a step applies whatever gradients it gets (numpy's
 * semantics: a NaN gradient makes NaN parameters). {@link #onNonFiniteGradient} chooses to refuse
 * such a step with an exception, or to skip it and count it ({@link #skippedSteps()}).
 */
public abstract class Optimizer {
  /**
   * What lets zkynet's own optimizers read a graph's gradients without keeping them from recycling
   * ({@link ModuleGraph#parameterGradients}): they keep no gradient beyond the step (their state
   * is in {@link #buffer}s, which are kept). Nobody else can make one.
   */
  public static final class Key {
    private Key() {}
  }

  private static final Key KEY = new Key();
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
  private volatile double lr;
  private volatile LrSchedule schedule;
  private volatile double maxGradNorm = Double.POSITIVE_INFINITY;
  private volatile double lastGradNorm = Double.NaN;
  /** Per-parameter state buffers by name (e.g. "m", "v"), each indexed like {@link #parameters()}. */
  private final Map<String, Tensor[]> buffers = new LinkedHashMap<>();
  /** Per-parameter counters by name (Adam's own step count), each indexed like the parameters. */
  private final Map<String, long[]> counters = new LinkedHashMap<>();

  /**
   * Optimizes the given parameters, by name (the names appear in error messages and in
   * checkpoints), with the initial learning rate {@code lr} (positive and finite).
   */
  protected Optimizer(Map<String, Parameter> parameters, double lr) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": nothing to optimize (no parameters)");
    }
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException(getClass().getSimpleName()
          + ": learning rate must be positive and finite, got " + lr);
    }
    this.named = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.parameters = List.copyOf(named.values());
    this.lr = lr;
  }

  /** The parameters by name, in the order of {@link #parameters()}. */
  public final Map<String, Parameter> namedParameters() {
    return named;
  }

  /** The learning rate the next step uses (unless a {@link #schedule} sets it first). */
  public final double learningRate() {
    return lr;
  }

  /**
   * Sets the learning rate of the following steps (zero or positive, finite); returns this. A step
   * that already started keeps the rate it read.
   */
  public final Optimizer learningRate(double lr) {
    if (!(lr >= 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException(getClass().getSimpleName()
          + ": learning rate must be zero or positive and finite, got " + lr);
    }
    this.lr = lr;
    return this;
  }

  /**
   * Lets {@code schedule} set the learning rate at every step: step number {@code s} (0 for the
   * first, counted by {@link #steps()}, so a resumed optimizer continues the schedule where it
   * stopped) runs with {@code schedule.lr(s)}, set under the step's locks. {@code null} removes the
   * schedule (the rate stays at its last value). Returns this.
   */
  public Optimizer schedule(LrSchedule schedule) {
    this.schedule = schedule;
    return this;
  }

  /** The per-step schedule, or null. */
  public final LrSchedule schedule() {
    return schedule;
  }

  /**
   * Clips the gradients of every step by their global L2 norm, as PyTorch's
   * {@code clip_grad_norm_(parameters, maxNorm)} before {@code optimizer.step()}: with
   * {@code n = sqrt(sum over all gradients of g^2)} (in double), every gradient is multiplied by
   * {@code min(1, maxNorm / (n + 1e-6))} before the update, within the same atomic step.
   * {@code Double.POSITIVE_INFINITY} turns clipping off (the default). Returns this.
   */
  public Optimizer clipGradientNorm(double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException(getClass().getSimpleName()
          + ": the maximal gradient norm must be positive, got " + maxNorm);
    }
    this.maxGradNorm = maxNorm;
    return this;
  }

  /** The maximal global gradient norm, infinite when clipping is off. */
  public final double maxGradientNorm() {
    return maxGradNorm;
  }

  /** The global gradient norm (before clipping) of the last step this optimizer was given. */
  public final double lastGradientNorm() {
    return lastGradNorm;
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
   * {@link ModuleGraph#back()} (or {@link ModuleGraph#backParameters()}) must have run. Returns the
   * global L2 norm of the gradients of this optimizer's parameters, before any clipping (also for
   * a skipped step).
   */
  public final double step(ModuleGraph graph) {
    Objects.requireNonNull(graph, "graph");
    if (graph.value().size() != 1) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ".step: the graph's root must be"
          + " a scalar loss, got shape " + java.util.Arrays.toString(graph.value().shape()));
    }
    if (!graph.hasGradients()) {
      throw new IllegalStateException(getClass().getSimpleName() + ".step: call graph.back() or graph.backParameters() first");
    }
    // A subclass written elsewhere may keep a gradient in a field of its own: it gets them the
    // public way, kept from recycling when the graph is closed.
    Class<?> type = getClass();
    boolean ours = type == Sgd.class || type == Adam.class || type == AdamW.class
        || type == RmsProp.class;
    Map<Parameter, Tensor> grads = ours ? graph.parameterGradients(KEY) : gradients(graph);
    // Check every gradient before changing anything, so a failure leaves all parameters as they were.
    Tensor[] g = new Tensor[parameters.size()];
    int i = 0;
    for (Map.Entry<String, Parameter> e : named.entrySet()) {
      Tensor grad = grads.get(e.getValue());
      Parameter p = e.getValue();
      if (grad != null && !java.util.Arrays.equals(grad.shape(), p.shape())) {
        throw new IllegalStateException("gradient of " + e.getKey() + " has shape "
            + java.util.Arrays.toString(grad.shape()) + ", the parameter "
            + java.util.Arrays.toString(p.shape()));
      }
      g[i++] = grad == null ? null : grad.to(p.dtype());
    }
    double norm = globalNorm(g);
    lastGradNorm = norm;
    if (nonFinite != NonFinite.APPLY && !allFinite(g)) {
      return norm;
    }
    double clip = maxGradNorm;
    if (norm > clip) {
      double coef = clip / (norm + 1e-6);
      for (int k = 0; k < g.length; k++) {
        g[k] = g[k] == null ? null : g[k].mul(coef);
      }
    }
    // Our optimizers' kernels run in an arena of the step: the new values are then held by their
    // parameters (recycled once replaced and read by no open call), the temporaries recycled now.
    Arena arena = ours ? Arena.recording() : null;
    UnaryOperator<Tensor[]> update = current -> {
      // Under the locks of every parameter of this optimizer: serialised with other steps, loads
      // and saves. A failure restores the state, so nothing is half-done.
      Snapshot before = snapshotState();
      try {
        LrSchedule s = schedule;
        if (s != null) {
          learningRate(s.lr(steps));
        }
        double rate = lr; // one rate for the whole step, whatever another thread sets meanwhile
        steps++;
        Tensor[] next = new Tensor[g.length];
        Arena previous = arena == null ? null : arena.enter();
        try {
          for (int k = 0; k < g.length; k++) {
            if (g[k] != null) {
              next[k] = update(k, current[k], g[k], rate);
            }
          }
        } finally {
          if (arena != null) {
            Arena.restore(previous);
          }
        }
        // The state outlives the graph (a buffer may even be a gradient itself: b1 = 0 in Adam).
        for (Tensor[] state : buffers.values()) {
          for (Tensor t : state) {
            if (t != null && !t.storage().pin()) {
              throw new IllegalStateException(type() + ": its state was computed from a closed graph");
            }
          }
        }
        return next;
      } catch (RuntimeException e) {
        reset(before); // nothing was published
        throw e;
      }
    };
    if (arena == null) {
      Parameter.update(parameters, update);
    } else {
      try {
        Parameter.update(parameters, update, KEY, arena);
      } finally {
        arena.recycleAll();
      }
    }
    return norm;
  }

  /**
   * The L2 norm of all the gradients together. Each gradient's sum of squares runs on its backend
   * ({@link Tensor#sumOfSquares}: one pass, accumulated in double, on the JVM backend); only when that overflows
   * (another backend squaring float32 above 3.4e38) is it summed again in double, element by element.
   */
  private static double globalNorm(Tensor[] g) {
    double sum = 0;
    for (Tensor t : g) {
      if (t != null) {
        double squares = t.sumOfSquares();
        if (Double.isInfinite(squares)) {
          squares = 0;
          for (double x : t.toDoubleArray()) {
            squares += x * x;
          }
        }
        sum += squares;
      }
    }
    return Math.sqrt(sum);
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
   * its current value and gradient (same shape and dtype, already clipped). {@link #steps()} is
   * already counted, so it is 1 in the first call; {@link #learningRate()} is the rate of this
   * step. Per-parameter state lives in {@link #buffer} and {@link #counter} arrays, which
   * checkpoints save and restore.
   */
  protected abstract Tensor update(int index, Tensor value, Tensor grad, double lr);

  /**
   * The hyperparameters other than the learning rate, by name (saved in checkpoints, which only
   * load into an optimizer with the same values).
   */
  protected abstract Map<String, Double> hyperparameters();

  /**
   * Registers a per-parameter state tensor array named {@code name} (null entries until a
   * parameter's first step); call it in the constructor.
   */
  protected final Tensor[] buffer(String name) {
    Tensor[] b = new Tensor[parameters.size()];
    buffers.put(name, b);
    return b;
  }

  /** Registers a per-parameter counter array named {@code name}; call it in the constructor. */
  protected final long[] counter(String name) {
    long[] c = new long[parameters.size()];
    counters.put(name, c);
    return c;
  }

  // ---------------------------------------------------------------- state for checkpoints

  /** A copy of the whole mutable state: step count, learning rate, buffers, counters. */
  record Snapshot(long steps, double lr, Map<String, Tensor[]> buffers, Map<String, long[]> counters) {}

  private Snapshot snapshotState() {
    Map<String, Tensor[]> b = new LinkedHashMap<>();
    buffers.forEach((k, v) -> b.put(k, v.clone()));
    Map<String, long[]> c = new LinkedHashMap<>();
    counters.forEach((k, v) -> c.put(k, v.clone()));
    return new Snapshot(steps, lr, b, c);
  }

  private void reset(Snapshot s) {
    steps = s.steps();
    lr = s.lr();
    s.buffers().forEach((k, v) -> System.arraycopy(v, 0, buffers.get(k), 0, v.length));
    s.counters().forEach((k, v) -> System.arraycopy(v, 0, counters.get(k), 0, v.length));
  }

  /**
   * The state as named arrays, the way {@link zkynet.io.Checkpoints} stores it (under
   * {@code optimizer/}): {@code Type/steps} and {@code Type/lr} (float64 scalars), one
   * {@code Type/hyper/NAME} per hyperparameter, and per parameter that has state
   * {@code Type/BUFFER/PATH} (the parameter's dtype and shape) and {@code Type/COUNTER/PATH}
   * (float64 scalar). Call it while no step runs (Checkpoints holds the parameters' update locks).
   */
  public final Map<String, Tensor> state() {
    String type = type();
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(type + "/steps", Tensor.of((double) steps, DType.FLOAT64));
    out.put(type + "/lr", Tensor.of(lr, DType.FLOAT64));
    hyperparameters().forEach((k, v) -> out.put(type + "/hyper/" + k, Tensor.of(v, DType.FLOAT64)));
    List<String> names = List.copyOf(named.keySet());
    buffers.forEach((b, values) -> {
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          out.put(type + "/" + b + "/" + names.get(i), values[i]);
        }
      }
    });
    counters.forEach((c, values) -> {
      for (int i = 0; i < values.length; i++) {
        if (values[i] != 0) {
          out.put(type + "/" + c + "/" + names.get(i), Tensor.of((double) values[i], DType.FLOAT64));
        }
      }
    });
    return out;
  }

  /** The name state entries start with: the optimizer's class name ({@code Adam}, {@code AdamW}). */
  public final String type() {
    return getClass().getSimpleName();
  }

  /**
   * Checks {@code state} (as {@link #state()} makes it) against this optimizer and its parameters:
   * one message per problem, each starting with the entry name it concerns; empty if it fits.
   */
  public final List<String> checkState(Map<String, Tensor> state) {
    return new StateCheck(this, state).problems();
  }

  /**
   * Replaces the state by {@code state}, which {@link #checkState} must have accepted. Call it
   * while no step runs (Checkpoints holds the parameters' update locks).
   */
  public final void restoreState(Map<String, Tensor> state) {
    List<String> problems = checkState(state);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(type() + ": cannot restore this state: " + problems);
    }
    String type = type();
    List<String> names = List.copyOf(named.keySet());
    Map<String, Tensor[]> b = new LinkedHashMap<>();
    buffers.forEach((k, v) -> {
      Tensor[] values = new Tensor[v.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = state.get(type + "/" + k + "/" + names.get(i));
      }
      b.put(k, values);
    });
    Map<String, long[]> c = new LinkedHashMap<>();
    counters.forEach((k, v) -> {
      long[] values = new long[v.length];
      for (int i = 0; i < values.length; i++) {
        Tensor t = state.get(type + "/" + k + "/" + names.get(i));
        values[i] = t == null ? 0 : (long) t.item();
      }
      c.put(k, values);
    });
    reset(new Snapshot((long) state.get(type + "/steps").item(),
        state.get(type + "/lr").item(), b, c));
  }

  /** The registered buffer and counter names (for {@link StateCheck}). */
  final Map<String, Tensor[]> buffers() {
    return buffers;
  }

  final Map<String, long[]> counters() {
    return counters;
  }

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

  /**
   * {@code factor * state + plus}, where a null {@code state} (before the parameter's first step)
   * stands for zeros as in PyTorch, whose buffers start at zero: then {@code plus} itself.
   */
  static Tensor decayed(Tensor state, double factor, Tensor plus) {
    return state == null ? plus : state.mul(factor).add(plus);
  }

  /** Checks a hyperparameter: finite and within [low, high) (high exclusive unless infinite). */
  final double checked(String name, double value, double low, double high) {
    if (!(value >= low && value < high) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(type() + ": " + name + " must be in [" + low + ", "
          + high + "), got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return type() + "(lr=" + lr + ", " + hyperparameters() + ", " + steps + " steps)";
  }
}
