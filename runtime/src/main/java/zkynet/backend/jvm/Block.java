package zkynet.backend.jvm;

import java.util.concurrent.atomic.AtomicInteger;
import zkynet.backend.Arena;

/**
 * The ownership of one array a kernel allocated while an {@link Arena} was current: which arena
 * made it, and whether it has been pinned (kept beyond the graph: never recycled) or recycled
 * (given back to the {@link ArrayPool}). Both are final, and only one of them ever happens: views
 * of the array share its block, so the array is recycled at most once.
 */
final class Block {
  private static final int PINNED = 1;
  private static final int RECYCLED = 2;

  private final Arena arena;
  private final AtomicInteger state = new AtomicInteger();

  Block(Arena arena) {
    this.arena = arena;
  }

  /** Pins the array unless it was recycled (then false). */
  boolean pin() {
    while (true) {
      int s = state.get();
      if (s != 0) {
        return s == PINNED;
      }
      if (state.compareAndSet(0, PINNED)) {
        return true;
      }
    }
  }

  /** Whether the array may go back to the pool: made by {@code by}, never pinned, not yet given back. */
  boolean recycle(Arena by) {
    return by == arena && state.compareAndSet(0, RECYCLED);
  }
}
