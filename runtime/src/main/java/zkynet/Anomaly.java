package zkynet;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import zkynet.autodiff.Differentiable;

/**
 * Anomaly mode, like PyTorch's {@code detect_anomaly}: while it is on, every operator's forward
 * result and every gradient its backward pass returns is checked, and the first NaN or infinity
 * throws a {@link NonFiniteException} naming the operator, the module path, whether it happened in
 * the forward or the backward pass, where the operator is defined and called from, the input shapes
 * and a short preview of the values.
 *
 * <p>Off by default (NaN and infinities then propagate silently, as in numpy). Turn it on for the
 * whole JVM with {@code -Dzkynet.anomaly=true}, or for a block of code on one thread:
 *
 * <pre>{@code
 * try (Anomaly a = Anomaly.detect()) {
 *   ModuleGraph g = loss.apply(x, y);
 *   g.back();
 * }
 * }</pre>
 *
 * <p>Cost when off: one read of a static final flag and of one volatile counter per operator (see
 * {@link #armed()}). When on, every value is copied to the heap and scanned, and each operator call
 * records its call site: use it to find a problem, not to train.
 */
public final class Anomaly implements AutoCloseable {
  /** The system property that turns anomaly mode on for every thread. */
  public static final String PROPERTY = "zkynet.anomaly";

  private static final boolean EVERYWHERE = Boolean.getBoolean(PROPERTY);
  /** Open {@link #detect()} scopes on all threads: zero means nothing to check anywhere. */
  private static final AtomicInteger OPEN = new AtomicInteger();
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  /** Where each operator was called from, recorded in forward passes run in anomaly mode. */
  private static final Map<Differentiable, String> CALL_SITES =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final int PREVIEW = 6;

  /** Which pass produced the value. */
  public enum Pass { FORWARD, BACKWARD }

  /** A NaN or an infinity found in anomaly mode. */
  public static final class NonFiniteException extends ArithmeticException {
    private final String operator;
    private final String modulePath;
    private final Pass pass;

    NonFiniteException(String message, String operator, String modulePath, Pass pass) {
      super(message);
      this.operator = operator;
      this.modulePath = modulePath;
      this.pass = pass;
    }

    /** The operator whose result was not finite, e.g. {@code log}. */
    public String operator() {
      return operator;
    }

    /** The path of modules the operator was called from, e.g. {@code Mlp/Dense}. */
    public String modulePath() {
      return modulePath;
    }

    public Pass pass() {
      return pass;
    }
  }

  private final Thread owner = Thread.currentThread();
  private boolean closed;

  private Anomaly() {}

  /** Turns anomaly mode on for this thread until the returned scope is closed (scopes nest). */
  public static Anomaly detect() {
    DEPTH.get()[0]++;
    OPEN.incrementAndGet();
    return new Anomaly();
  }

  /** Ends this scope; must be called on the thread that opened it. Closing twice does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("an Anomaly scope must be closed on the thread that opened it ("
          + owner.getName() + "), not on " + Thread.currentThread().getName());
    }
    closed = true;
    DEPTH.get()[0]--;
    OPEN.decrementAndGet();
  }

  /**
   * The hot-path test: false when anomaly mode is off on every thread (one static final and one
   * volatile read). When true, {@link #enabled()} says whether it is on for this thread.
   */
  static boolean armed() {
    return EVERYWHERE || OPEN.get() != 0;
  }

  /** Whether anomaly mode is on for the current thread. */
  public static boolean enabled() {
    return EVERYWHERE || (OPEN.get() != 0 && DEPTH.get()[0] > 0);
  }

  // ------------------------------------------------------------------------------------ checks

  /** Checks an operator's forward result (called by {@link CallSession} when armed). */
  static void checkForward(OperatorNode node, String topModule, String declaredAt) {
    if (!enabled()) {
      return;
    }
    String site = (declaredAt == null ? "" : "declared at " + declaredAt + ", ") + "called at "
        + callSite();
    CALL_SITES.put(node.call(), site);
    String bad = describeNonFinite(node.raw());
    if (bad != null) {
      throw new NonFiniteException("anomaly: non-finite value in the forward pass of operator '"
          + node.operator() + "'" + where(node, topModule) + ": its output is " + bad + "; inputs: "
          + inputs(node) + "; " + source(node) + ", " + site,
          node.operator(), node.modulePath(), Pass.FORWARD);
    }
  }

  /** Checks the gradients an operator's backward pass returned (called by {@link ModuleGraph}). */
  static void checkBackward(OperatorNode node, Tensor gOut, Tensor[] contributions) {
    if (!enabled()) {
      return;
    }
    List<Node> inputs = node.inputs();
    for (int k = 0; k < contributions.length; k++) {
      String bad = contributions[k] == null ? null : describeNonFinite(contributions[k]);
      if (bad == null) {
        continue;
      }
      String site = CALL_SITES.get(node.call());
      String input = k < inputs.size() ? describeInput(inputs.get(k)) : "#" + k;
      throw new NonFiniteException("anomaly: non-finite value in the backward pass of operator '"
          + node.operator() + "'" + where(node, null) + ": the gradient with respect to input " + k
          + " (" + input + ") is " + bad + "; incoming gradient " + describe(gOut) + "; inputs: "
          + inputs(node) + "; " + source(node) + (site == null
              ? " (its forward pass ran with anomaly mode off, so its call site is unknown)"
              : ", " + site),
          node.operator(), node.modulePath(), Pass.BACKWARD);
    }
  }

  /**
   * Null if every element of {@code t} is finite; otherwise what is wrong, e.g. {@code [2] float32
   * [1, nan]: 1 NaN and 0 infinite values (first at index [1])}.
   */
  public static String describeNonFinite(Tensor t) {
    double[] data = t.toDoubleArray();
    int nan = 0;
    int inf = 0;
    int first = -1;
    for (int i = 0; i < data.length; i++) {
      double d = data[i];
      if (Double.isNaN(d)) {
        nan++;
      } else if (Double.isInfinite(d)) {
        inf++;
      } else {
        continue;
      }
      if (first < 0) {
        first = i;
      }
    }
    if (first < 0) {
      return null;
    }
    return describe(t) + ": " + nan + " NaN and " + inf + " infinite value" + (inf == 1 ? "" : "s")
        + " (first at index " + Arrays.toString(unravel(first, t.shape())) + ")";
  }

  private static int[] unravel(int flat, int[] shape) {
    int[] index = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      index[i] = flat % shape[i];
      flat /= shape[i];
    }
    return index;
  }

  // ------------------------------------------------------------------------------------ wording

  private static String where(OperatorNode node, String topModule) {
    return " (module path " + (node.modulePath().isEmpty() ? "(top)" : node.modulePath())
        + (topModule == null ? "" : ", call " + node.callId() + " of " + topModule) + ")";
  }

  private static String inputs(OperatorNode node) {
    StringBuilder s = new StringBuilder();
    for (Node in : node.inputs()) {
      s.append(s.length() == 0 ? "" : ", ").append(describeInput(in));
    }
    return s.length() == 0 ? "none" : s.toString();
  }

  private static String describeInput(Node in) {
    String kind = in instanceof InputNode leaf ? leaf.kind().name().toLowerCase() + " " : "";
    return kind + in.label() + " " + describe(in.raw());
  }

  private static String describe(Tensor t) {
    return t.preview(PREVIEW);
  }

  /**
   * Where the operator comes from: the generated class of its {@code Differentiable} (e.g.
   * {@code zkynet.BuiltinsOps$Log}) names the class that declares the {@code @Operator} method
   * ({@code zkynet.Builtins}).
   */
  private static String source(OperatorNode node) {
    String generated = node.call().getClass().getName();
    int dollar = generated.indexOf('$');
    String ops = dollar < 0 ? generated : generated.substring(0, dollar);
    String declaring = ops.endsWith("Ops") ? ops.substring(0, ops.length() - 3) : ops;
    String method = node.operator().substring(node.operator().lastIndexOf('.') + 1);
    return "operator " + declaring + "." + method + " (generated " + generated.replace('$', '.') + ")";
  }

  /**
   * The generated facade that recorded the operator and the line that called it, found by walking
   * the stack past this class and {@link CallSession}: {@code zkynet.BuiltinsOps.log
   * (BuiltinsOps.java:99) from zkynet.examples.Model.call(Model.java:27)}.
   */
  private static String callSite() {
    List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s
        .dropWhile(f -> f.getClassName().equals(Anomaly.class.getName())
            || f.getClassName().equals(CallSession.class.getName()))
        .limit(2).toList());
    if (frames.isEmpty()) {
      return "an unknown place";
    }
    String facade = frame(frames.get(0));
    return frames.size() < 2 ? facade : frame(frames.get(1)) + " through " + facade;
  }

  private static String frame(StackWalker.StackFrame f) {
    return f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
        + f.getLineNumber() + ")";
  }
}
