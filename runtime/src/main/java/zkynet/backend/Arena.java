package zkynet.backend;

import java.util.ArrayList;
import java.util.List;

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

  /** Every storage made in this arena, if it keeps them (see {@link #recording()}); else null. */
  private final List<Storage> made;

  /** An arena that keeps no list: its graph knows its results. */
  public Arena() {
    this.made = null;
  }

  private Arena(List<Storage> made) {
    this.made = made;
  }

  /**
   * An arena that lists everything its kernels make, for code that knows all of it dies unless
   * pinned or leased (an optimizer step's temporaries): {@link #recycleAll()} then gives it back.
   */
  public static Arena recording() {
    return new Arena(new ArrayList<>());
  }

  /** Called by a backend for each storage it tags with this arena. */
  public void made(Storage s) {
    if (made != null) {
      made.add(s);
    }
  }

  /** Recycles everything a {@linkplain #recording() recording} arena made that is not pinned or leased. */
  public void recycleAll() {
    for (Storage s : made) {
      s.recycle(this);
    }
    made.clear();
  }

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
