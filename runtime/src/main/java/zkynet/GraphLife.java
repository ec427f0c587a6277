package zkynet;

import zkynet.backend.Arena;

/**
 * Whether one call's graph is still open, and its {@link Arena}. Every value the graph hands out
 * (a node's value read by user code, the root's value, a gradient) is pinned first, so closing the
 * graph recycles only results nobody outside it can read; after {@link ModuleGraph#close()} its
 * nodes' values are errors. The operators' own code reads node values without pinning them: it
 * runs inside {@link CallSession#apply}, on the graph's thread, and what it keeps belongs to the
 * graph.
 */
final class GraphLife {
  final Arena arena = new Arena();
  private final long callId;
  private final Thread owner = Thread.currentThread();
  private int operatorDepth; // read and written by the owner thread only
  private volatile boolean closed;
  /** The parameter values the call leased (see {@link Parameter#snapshot}), until released. */
  private Tensor[] leased;

  GraphLife(long callId) {
    this.callId = callId;
  }

  void enterOperator() {
    operatorDepth++;
  }

  void exitOperator() {
    operatorDepth--;
  }

  /** {@code node}'s value for its reader: an error once closed; pinned unless an operator reads it. */
  Tensor expose(Tensor value, Node node) {
    requireOpen(node.label());
    if (Thread.currentThread() != owner || operatorDepth == 0) {
      pin(value, node.label());
    }
    return value;
  }

  /** Pins a tensor the graph hands out; an error if the graph was closed meanwhile. */
  Tensor pin(Tensor value, String what) {
    if (!value.storage().pin()) {
      throw closedError(what);
    }
    return value;
  }

  void requireOpen(String what) {
    if (closed) {
      throw closedError(what);
    }
  }

  private IllegalStateException closedError(String what) {
    return new IllegalStateException(what + ": the graph of call " + callId + " was closed, so its "
        + "values and gradients were recycled; read what you need before close()");
  }

  void leased(Tensor[] values) {
    leased = values;
  }

  /** Gives back the call's leases on parameter values (once). */
  synchronized void releaseLeases() {
    if (leased != null) {
      Parameter.release(leased, leased.length);
      leased = null;
    }
  }

  /** Marks the graph closed; false if it already was. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  boolean closed() {
    return closed;
  }
}
