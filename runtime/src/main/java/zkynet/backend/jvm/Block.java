package zkynet.backend.jvm;

import java.util.concurrent.atomic.AtomicInteger;
import zkynet.backend.Arena;

/**
 * The ownership of one array a kernel allocated while an {@link Arena} was current: which arena
 * made it, how many holders lease it (a parameter whose value it is, the calls that read that
 * value), and whether it was pinned (kept beyond its graph: never recycled) or recycled (given
 * back to the {@link ArrayPool}). Views of the array share its block, so the array is recycled at
 * most once, and only when it is neither pinned nor leased.
 */
final class Block {
  private static final int PINNED = 1 << 30;
  private static final int RECYCLED = 1 << 29;

  private final Arena arena;
  /** The number of leases, plus the PINNED or RECYCLED bit. */
  private final AtomicInteger state = new AtomicInteger();

  Block(Arena arena) {
    this.arena = arena;
  }

  boolean madeBy(Arena a) {
    return arena == a;
  }

  /** Pins the array unless it was recycled (then false). */
  boolean pin() {
    while (true) {
      int s = state.get();
      if ((s & RECYCLED) != 0) {
        return false;
      }
      if ((s & PINNED) != 0 || state.compareAndSet(s, s | PINNED)) {
        return true;
      }
    }
  }

  /** Adds a lease unless the array was recycled (then false). */
  boolean lease() {
    while (true) {
      int s = state.get();
      if ((s & RECYCLED) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Ends a lease; true when it was the last one and the array may go back to the pool (once). */
  boolean release() {
    return state.decrementAndGet() == 0 && state.compareAndSet(0, RECYCLED);
  }

  /** Whether the array may go back to the pool: made by {@code by}, not pinned or leased, not yet given back. */
  boolean recycle(Arena by) {
    return by == arena && state.compareAndSet(0, RECYCLED);
  }
}
