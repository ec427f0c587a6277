package zkynet.backend;

/**
 * The memory of one graph's results. While a graph's forward pass or reverse sweep runs, its arena
 * is current on the thread, and the JVM backend tags each large result array with it; when the
 * graph is closed ({@link zkynet.ModuleGraph#close()}), the results nobody can read any more go
 * back to the backend ({@link Storage#recycle}) and later kernels reuse the arrays, which are still
 * in cache, instead of new zeroed memory. Anything handed out of the graph is pinned first ({@link
 * Storage#pin}): a pinned array is never recycled.
 */
public final class Arena {
  private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();

  /** The arena of the graph being built or swept on this thread, or null. */
  public static Arena current() {
    return CURRENT.get();
  }

  /** Makes this arena current on the calling thread; returns the one to {@link #restore} after. */
  public Arena enter() {
    Arena previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Makes {@code previous} (what {@link #enter} returned) current again. */
  public static void restore(Arena previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }
}
