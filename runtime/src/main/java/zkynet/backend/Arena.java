package zkynet.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory of one graph's results. While a graph's forward pass or reverse sweep runs, its arena
 * is current on the thread, and the JVM backend tags each large result array with it, and lists
 * those its reverse sweeps make; when the graph is closed ({@link zkynet.ModuleGraph#close()}),
 * what it listed goes back to the backend ({@link Storage#recycle}) and later kernels reuse the
 * arrays, which are still in cache, instead of new zeroed memory. Anything handed out of the graph
 * is pinned first ({@link Storage#pin}): a pinned array is never recycled.
 */
public final class Arena {
  private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();

  /** What the kernels made while the arena was recording (see {@link #record}). */
  private final List<Storage> made = new ArrayList<>();
  private boolean recording;

  /** An arena that lists nothing until told to {@link #record}. */
  public Arena() {}

  /**
   * An arena that lists everything its kernels make, for code that knows all of it dies unless
   * pinned or leased (an optimizer step's temporaries): {@link #recycleAll()} then gives it back.
   */
  public static Arena recording() {
    Arena a = new Arena();
    a.recording = true;
    return a;
  }

  /**
   * Whether the kernels' results from now on are listed for {@link #recycleAll()}: only while
   * code runs that keeps nothing beyond the arena's owner unless it pins it (a reverse sweep of
   * derivative code, an optimizer's update), never while user code runs. Only the thread using the
   * arena calls it.
   */
  public void record(boolean on) {
    recording = on;
  }

  /** Called by a backend for each storage it tags with this arena. */
  public void made(Storage s) {
    if (recording) {
      made.add(s);
    }
  }

  /** Recycles everything listed that is not pinned or leased (each array once), and forgets it. */
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

  /**
   * Makes {@code previous} (what {@link #enter} returned) current again. Null is set, not removed:
   * the thread's map entry stays (holding nothing), and every kernel's lookup finds it at once.
   */
  public static void restore(Arena previous) {
    CURRENT.set(previous);
  }
}
