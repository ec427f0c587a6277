package zkynet.autodiff;

import java.util.Arrays;
import zkynet.Tensor;

/**
 * One evaluated operator application: its output and its reverse-mode derivative. The processor
 * generates an implementation for every {@code @Operator} method (the forward pass runs in its
 * constructor and keeps the intermediates that the derivative needs).
 *
 * <p>What it returns belongs to its call's graph: when the graph is closed ({@code
 * ModuleGraph.close()}), its output and whatever {@link #backward} computed are recycled unless
 * something outside the graph was handed them (and pinned them). So {@link #backward} keeps the
 * tensors it makes no longer than its own object lives (no static cache), which generated code
 * never does.
 */
public interface Differentiable {
  /** The forward value. */
  Tensor output();

  /**
   * The vector-Jacobian product for the inputs that need a gradient. {@code gOut} is shaped {@code
   * batch ++ output().shape()} (any number of leading batch axes). {@code needed} has one entry per
   * differentiable input, in declaration order, and at least one of them is true.
   *
   * <p>Returns one contribution per differentiable input, in the same order, each shaped {@code batch
   * ++ input.shape()}, or {@code null} where no gradient flows. An entry whose {@code needed} flag is
   * false is not read by the caller: implementations should return {@code null} there and skip the
   * work that serves only those inputs (generated code does: no rule call, no unbroadcast, nothing on
   * intermediates that lead only to them). Ask for every input with {@link #all(int)}.
   */
  Tensor[] backward(Tensor gOut, boolean[] needed);

  /** {@code n} flags, all true: every input's gradient, e.g. {@code d.backward(g, all(2))}. */
  static boolean[] all(int n) {
    boolean[] flags = new boolean[n];
    Arrays.fill(flags, true);
    return flags;
  }
}
