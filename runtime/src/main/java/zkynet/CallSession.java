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

/**
 * The scope of one top-level module call: it gives the call its id, keeps one {@link InputNode}
 * per input and per parameter, and records operator nodes in creation order (a topological order).
 * A session belongs to the thread that opened it and is closed in {@code finally} by the call that
 * opened it, so a forward pass that throws leaves nothing behind.
 *
 * <p>The static methods {@link #node(Operand)} and {@link #apply} are what generated operator
 * facades call.
 */
public final class CallSession {
  private static final ThreadLocal<CallSession> CURRENT = new ThreadLocal<>();
  private static final AtomicLong CALL_IDS = new AtomicLong();

  private final long callId = CALL_IDS.incrementAndGet();
  private final ModuleBase top;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<Parameter, InputNode> parameters = new IdentityHashMap<>();
  private final Map<Input, InputNode> variables = new IdentityHashMap<>();
  private final Deque<String> modulePath = new ArrayDeque<>();
  private final Deque<ModuleBase> modules = new ArrayDeque<>();
  private final Deque<String> instancePaths = new ArrayDeque<>();
  /** The parameter values this call reads: one snapshot taken when it started (see Parameter). */
  private final Map<Parameter, Tensor> parameterValues = new IdentityHashMap<>();

  private CallSession(ModuleBase top) {
    this.top = top;
  }

  static CallSession open(ModuleBase top) {
    CallSession running = CURRENT.get();
    if (running != null) {
      throw new IllegalStateException(top.name() + ".apply(values) was called while a call of "
          + running.top.name() + " is in progress on this thread; inside a forward pass, call a "
          + "sub-module with nodes (sub.apply(node)) so that it joins the same graph");
    }
    CallSession session = new CallSession(top);
    CURRENT.set(session);
    return session;
  }

  /** The session of the call in progress on this thread; an error naming {@code what} if none. */
  static CallSession current(String what) {
    CallSession session = CURRENT.get();
    if (session == null) {
      throw new IllegalStateException(what + " needs a module call in progress: graph operators "
          + "record into the call session of module.apply(...); to evaluate eagerly on tensors, "
          + "call the @Operator method itself");
    }
    return session;
  }

  /** Whether a call is in progress on this thread. */
  public static boolean active() {
    return CURRENT.get() != null;
  }

  void close() {
    CURRENT.remove();
  }

  long callId() {
    return callId;
  }

  List<Node> nodes() {
    return Collections.unmodifiableList(new ArrayList<>(nodes));
  }

  void enter(ModuleBase module) {
    modulePath.addLast(module.functionalName());
    String parentPath = instancePath();
    String field = modules.isEmpty() ? "" : fieldOf(modules.peekLast(), module);
    instancePaths.addLast(parentPath.isEmpty() ? field : parentPath + "." + field);
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

  InputNode variable(Input input, Tensor value) {
    InputNode node = variables.get(input);
    if (node == null) {
      node = new InputNode(callId, nodes.size(), value, path(), instancePath(),
          InputNode.Kind.VARIABLE, input, input.name(), input.functionalName());
      nodes.add(node);
      variables.put(input, node);
    }
    return node;
  }

  private InputNode parameter(Parameter p) {
    InputNode node = parameters.get(p);
    if (node == null) {
      Tensor value = parameterValues.get(p); // null for a parameter outside the called module's tree
      node = new InputNode(callId, nodes.size(), value != null ? value : p.value(),
          p.owner().functionalName(), instancePath(), InputNode.Kind.PARAMETER, p, p.name(),
          p.functionalName());
      nodes.add(node);
      parameters.put(p, node);
    }
    return node;
  }

  private InputNode constant(Tensor value) {
    InputNode node = new InputNode(callId, nodes.size(), value, path(), instancePath(),
        InputNode.Kind.CONSTANT, null, "const" + nodes.size(), "const");
    nodes.add(node);
    return node;
  }

  /** The node of the current call for an operand: a node of this call, a parameter or a constant. */
  public static Node node(Operand operand) {
    CallSession session = current("an operator");
    if (operand == null) {
      throw new NullPointerException("operator argument is null");
    } else if (operand instanceof Node n) {
      if (n.callId() != session.callId) {
        throw new IllegalArgumentException("node " + n.label() + " belongs to call " + n.callId()
            + ", not to the call in progress (" + session.callId + "): nodes cannot cross calls");
      }
      return n;
    } else if (operand instanceof Parameter p) {
      return session.parameter(p);
    } else {
      return session.constant(((Operand.Const) operand).value());
    }
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
    Differentiable call;
    try {
      call = forward.get();
    } catch (RuntimeException e) {
      StringBuilder shapes = new StringBuilder();
      for (Node in : inputs) {
        shapes.append(shapes.length() == 0 ? "" : ", ").append(in.label()).append(' ')
            .append(java.util.Arrays.toString(in.value().shape()));
      }
      throw new IllegalArgumentException(operator + "(" + shapes + ") failed"
          + (session.modulePath.isEmpty() ? "" : " in " + session.path()) + ": " + e.getMessage(), e);
    }
    OperatorNode node = new OperatorNode(session.callId, session.nodes.size(), session.path(),
        session.instancePath(), operator, List.of(inputs), call);
    session.nodes.add(node);
    if (Anomaly.armed()) {
      Anomaly.checkForward(node, session.top.name(), source);
    }
    return node;
  }
}
