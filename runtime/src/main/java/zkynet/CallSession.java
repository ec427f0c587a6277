package zkynet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import zkynet.autodiff.Differentiable;
import zkynet.backend.Arena;

/**
 * The scope of one top-level module call: it gives the call its id, keeps one {@link InputNode}
 * per input and per parameter, and records operator nodes in creation order (a topological order).
 * A session belongs to the thread that opened it and is closed in {@code finally} by the call that
 * opened it, so a forward pass that throws leaves nothing behind.
 *
 * <p>An inference session ({@code module.infer(...)}) records nothing: operators run their eager
 * {@code @Operator} methods on values and return {@link ValueNode}s, which no list keeps. It may
 * be opened inside another session (like {@code torch.no_grad()}); closing it restores the outer.
 *
 * <p>The static methods {@link #node(Operand)} and {@link #apply} are what generated operator
 * facades call; in an inference session they call {@link #inferring()}, {@link #value(Operand)}
 * and {@link #infer} instead.
 */
public final class CallSession {
  private static final ThreadLocal<CallSession> CURRENT = new ThreadLocal<>();
  private static final AtomicLong CALL_IDS = new AtomicLong();

  private final long callId = CALL_IDS.incrementAndGet();
  private final ModuleBase top;
  private final boolean inference;
  private final CallSession outer;
  /** The recording call's life (null in inference), and the arena its forward pass replaced. */
  private final GraphLife life;
  private final Arena previousArena;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<Parameter, InputNode> parameters = new IdentityHashMap<>();
  private final Map<Input, InputNode> variables = new IdentityHashMap<>();
  private final Deque<String> modulePath = new ArrayDeque<>();
  private final Deque<ModuleBase> modules = new ArrayDeque<>();
  private final Deque<String> instancePaths = new ArrayDeque<>();
  /** The parameter values this call reads: one snapshot taken when it started (see Parameter). */
  private final Map<Parameter, Tensor> parameterValues = new IdentityHashMap<>();

  private CallSession(ModuleBase top, boolean inference, CallSession outer) {
    this.top = top;
    this.inference = inference;
    this.outer = outer;
    this.life = inference ? null : new GraphLife(callId);
    this.previousArena = inference ? null : life.arena.enter();
  }

  /** Opens a recording session; a call in progress on this thread must be joined instead. */
  static CallSession open(ModuleBase top) {
    CallSession running = CURRENT.get();
    if (running != null) {
      throw new IllegalStateException(top.name() + ": cannot open a new graph while a call of "
          + running.top.name() + " is in progress on this thread; a module called inside a "
          + "forward pass joins the call in progress");
    }
    CallSession session = new CallSession(top, false, null);
    CURRENT.set(session);
    return session;
  }

  /** Opens an inference session, inside whatever session is in progress (restored on close). */
  static CallSession openInference(ModuleBase top) {
    CallSession session = new CallSession(top, true, CURRENT.get());
    CURRENT.set(session);
    return session;
  }

  /** The session of the call in progress on this thread; an error naming {@code what} if none. */
  static CallSession current(String what) {
    CallSession session = CURRENT.get();
    if (session == null) {
      throw new IllegalStateException(what + " needs a module call in progress: graph operators "
          + "record into the call session of module.apply(...) or evaluate in module.infer(...); to "
          + "evaluate eagerly on tensors, call the @Operator method itself");
    }
    return session;
  }

  /** Whether a call is in progress on this thread. */
  public static boolean active() {
    return CURRENT.get() != null;
  }

  /**
   * Where the forward pass in progress on this thread is, for error messages: the classes of the
   * modules entered ({@code CharModel/Embedding}) and, outside inference, the fields that lead to
   * the current one ({@code at embed}); empty outside a call.
   */
  public static String where() {
    CallSession session = CURRENT.get();
    if (session == null || session.modulePath.isEmpty()) {
      return "";
    }
    String at = session.instancePath();
    return session.path() + (at.isEmpty() ? "" : " at " + at);
  }

  /** Whether an inference call ({@code module.infer}) is in progress on this thread. */
  public static boolean inferring() {
    CallSession session = CURRENT.get();
    return session != null && session.inference;
  }

  void close() {
    if (life != null) {
      Arena.restore(previousArena);
    }
    // set(null) rather than remove(): the thread keeps its map entry (holding nothing), so the
    // next call's set and the kernels' lookups do not rehash the thread's map every time.
    CURRENT.set(outer);
  }

  boolean inference() {
    return inference;
  }

  long callId() {
    return callId;
  }

  GraphLife life() {
    return life;
  }

  List<Node> nodes() {
    return Collections.unmodifiableList(new ArrayList<>(nodes));
  }

  void enter(ModuleBase module) {
    modulePath.addLast(module.functionalName());
    if (inference) { // no node records where it was made: skip finding the field
      instancePaths.addLast("");
    } else {
      String parentPath = instancePath();
      String field = modules.isEmpty() ? "" : fieldOf(modules.peekLast(), module);
      instancePaths.addLast(parentPath.isEmpty() ? field : parentPath + "." + field);
    }
    modules.addLast(module);
  }

  void exit() {
    modulePath.removeLast();
    instancePaths.removeLast();
    modules.removeLast();
  }

  /** The field of {@code parent} holding {@code child} ({@code m1}, {@code layers.0}), else its name. */
  private static String fieldOf(ModuleBase parent, ModuleBase child) {
    String[] found = {null};
    parent.visitSubmodules((field, m) -> {
      if (m == child && found[0] == null) {
        found[0] = field;
      }
    });
    return found[0] != null ? found[0] : child.name();
  }

  private String instancePath() {
    return instancePaths.isEmpty() ? "" : instancePaths.peekLast();
  }

  private String path() {
    return String.join("/", modulePath);
  }

  /** Makes the call read {@code values} for {@code params} (a snapshot), whatever is published later. */
  void useParameterValues(Parameter[] params, Tensor[] values) {
    for (int i = 0; i < params.length; i++) {
      parameterValues.put(params[i], values[i]);
    }
  }

  /** What this call reads for {@code p}: its snapshot, or its value outside the called module's tree. */
  private Tensor parameterValue(Parameter p) {
    Tensor value = parameterValues.get(p);
    return value != null ? value : p.value();
  }

  /** The node of a module input: recorded once per call; in an inference call, just its value. */
  Node variable(Input input, Tensor value) {
    if (inference) {
      return new ValueNode(callId, value);
    }
    InputNode node = variables.get(input);
    if (node == null) {
      node = new InputNode(callId, life, nodes.size(), value, path(), instancePath(),
          InputNode.Kind.VARIABLE, input, input.name(), input.functionalName());
      nodes.add(node);
      variables.put(input, node);
    }
    return node;
  }

  private InputNode parameter(Parameter p) {
    InputNode node = parameters.get(p);
    if (node == null) {
      node = new InputNode(callId, life, nodes.size(), parameterValue(p),
          p.owner().functionalName(),
          instancePath(), InputNode.Kind.PARAMETER, p, p.name(), p.functionalName());
      nodes.add(node);
      parameters.put(p, node);
    }
    return node;
  }

  private InputNode constant(Tensor value) {
    InputNode node = new InputNode(callId, life, nodes.size(), value, path(), instancePath(),
        InputNode.Kind.CONSTANT, null, "const" + nodes.size(), "const");
    nodes.add(node);
    return node;
  }

  /**
   * The node of the current call for an operand: a node of this call (or the result of a sub-module
   * called with values), a parameter or a constant. In an inference call, a {@link ValueNode}.
   */
  public static Node node(Operand operand) {
    CallSession session = current("an operator");
    if (operand == null) {
      throw new NullPointerException("operator argument is null");
    } else if (operand instanceof Node n) {
      return session.own(n);
    } else if (operand instanceof ModuleGraph g) {
      return session.own(g.root());
    } else if (operand instanceof Parameter p) {
      return session.inference ? new ValueNode(session.callId, session.parameterValue(p))
          : session.parameter(p);
    } else {
      Tensor value = ((Operand.Const) operand).value();
      return session.inference ? new ValueNode(session.callId, value) : session.constant(value);
    }
  }

  /** The value of an operand of the current call, with no node made for it (inference facades). */
  public static Tensor value(Operand operand) {
    if (operand instanceof Parameter p) {
      return current("an operator").parameterValue(p);
    } else if (operand instanceof Operand.Const c) {
      current("an operator");
      return c.value();
    }
    return node(operand).raw();
  }

  private Node own(Node n) {
    if (n.callId() != callId) {
      throw new IllegalArgumentException("node " + n.label() + " belongs to call " + n.callId()
          + (n instanceof ValueNode ? " (an inference call, module.infer)" : "")
          + ", not to the call in progress (" + callId + "): nodes cannot cross calls");
    }
    return n;
  }

  /**
   * Evaluates an operator on {@code inputs} (its differentiable arguments, whose values {@code
   * forward} reads) and records it. A failure is rethrown naming the operator and the input shapes.
   */
  public static OperatorNode apply(String operator, Supplier<Differentiable> forward,
      Node... inputs) {
    return apply(operator, null, forward, inputs);
  }

  /**
   * {@link #apply(String, Supplier, Node...)} for an operator whose {@code @Operator} method is
   * declared at {@code source} ({@code File.java:line}), which anomaly mode reports.
   */
  public static OperatorNode apply(String operator, String source, Supplier<Differentiable> forward,
      Node... inputs) {
    CallSession session = current(operator);
    if (session.inference) {
      throw new IllegalStateException(operator + ": its facade records a graph inside an inference "
          + "call (module.infer); it was generated by an older zkynet: recompile its class");
    }
    Differentiable call;
    session.life.enterOperator();
    try {
      call = forward.get();
    } catch (RuntimeException e) {
      throw session.failure(operator, inputs, e);
    } finally {
      session.life.exitOperator();
    }
    OperatorNode node = new OperatorNode(session.callId, session.life, session.nodes.size(),
        session.path(), session.instancePath(), operator, List.of(inputs), call);
    session.nodes.add(node);
    if (Anomaly.armed()) {
      Anomaly.checkForward(node, session.top.name(), source);
    }
    return node;
  }

  /**
   * In an inference call: evaluates an operator's eager {@code @Operator} method on the values of
   * its differentiable arguments ({@code inputs}, for error messages) and returns the result as a
   * {@link ValueNode}; nothing is recorded. A failure is rethrown naming the operator and shapes.
   */
  public static Node infer(String operator, Supplier<Tensor> eager, Tensor... inputs) {
    CallSession session = current(operator);
    Tensor out;
    try {
      out = eager.get();
    } catch (RuntimeException e) {
      throw session.failure(operator, inputs, e);
    }
    if (out == null) {
      throw new IllegalStateException(operator + " returned null" + (session.modulePath.isEmpty()
          ? "" : " in " + session.path()));
    }
    return new ValueNode(session.callId, out);
  }

  /** An operator's failure, naming it, its inputs ({@link Node}s or tensors) and their shapes. */
  private IllegalArgumentException failure(String operator, Object[] inputs, RuntimeException e) {
    StringBuilder args = new StringBuilder();
    for (Object in : inputs) {
      Tensor value = in instanceof Node n ? n.raw() : (Tensor) in;
      args.append(args.length() == 0 ? "" : ", ").append(in instanceof Node n ? n.label() + " " : "")
          .append(java.util.Arrays.toString(value.shape()));
    }
    return new IllegalArgumentException(operator + "(" + args + ") failed"
        + (modulePath.isEmpty() ? "" : " in " + path()) + (inference ? " (inference)" : "") + ": "
        + e.getMessage(), e);
  }
}
