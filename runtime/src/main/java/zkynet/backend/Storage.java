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
}
