package zkynet.backend.jvm;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread's reusable arrays for a fused loop's values that are not results: the elements of a
 * broadcast operand repeated, a closing sum's element values, the element gradients of a broadcast
 * input before they are summed, and the gradients nobody needs. Allocating them per call cost more
 * than the loop (arrays of a million floats are G1 humongous objects, zeroed on allocation); the
 * thread keeps the largest of each it has used, one per slot, and a loop takes slots in order
 * and gives them all back when it ends. A fused loop does not nest inside another on one thread,
 * so the slots a loop holds are its own.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

  private final List<float[]> arrays = new ArrayList<>();
  private int used;

  private Scratch() {}

  /** The calling thread's arrays. */
  static Scratch mine() {
    return MINE.get();
  }

  /** The next free array, of at least {@code size} elements, contents undefined. */
  float[] take(int size) {
    if (used == arrays.size()) {
      arrays.add(new float[size]);
    } else if (arrays.get(used).length < size) {
      arrays.set(used, new float[size]);
    }
    return arrays.get(used++);
  }

  /** Gives back every array taken. */
  void releaseAll() {
    used = 0;
  }
}
