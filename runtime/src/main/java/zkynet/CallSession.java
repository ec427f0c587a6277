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
      node = new InputNode(callId, nodes.size(), p.value(), p.owner().functionalName(),
          instancePath(), InputNode.Kind.PARAMETER, p, p.name(), p.functionalName());
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
    return node;
  }
}
