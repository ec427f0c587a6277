package zkynet.backend;

import zkynet.DType;

/**
 * The opaque storage of one tensor, owned by a {@link Backend}. Only its backend looks inside; the
 * rest of zkynet sees its shape and dtype, and goes through {@link zkynet.Tensor}.
 */
public interface Storage {
  /** The backend that made this storage and whose kernels accept it. */
  Backend backend();

  /** The shape (row-major). Callers must not modify the returned array. */
  int[] shape();

  DType dtype();

  /**
   * Marks the memory as referenced beyond the graph whose kernels made it (a tensor handed to the
   * user, a parameter's or an optimizer's state), so that closing that graph never recycles it.
   * False if it was already recycled: its graph was closed, and the caller must not use it.
   */
  default boolean pin() {
    return true;
  }

  /**
   * Gives the memory back to the backend for reuse, if {@code arena} made it and nothing pinned it
   * (each array once, whatever number of views share it). Called only by a graph being closed, on
   * its results: after it, nothing may read this storage.
   */
  default void recycle(Arena arena) {}

  /** Whether a kernel made this storage while {@code arena} was current (so it may be recycled). */
  default boolean madeBy(Arena arena) {
    return false;
  }

  /**
   * Adds a holder (a parameter whose value this is, a call that reads that value): the memory is
   * not recycled before every holder has {@linkplain #release released} it. False if it was
   * already recycled: the caller must read a newer value instead.
   */
  default boolean lease() {
    return true;
  }

  /**
   * Ends a {@link #lease}; the last one gives the memory back to the backend for reuse unless it
   * was pinned. Nothing may read this storage through that lease afterwards.
   */
  default void release() {}
}
