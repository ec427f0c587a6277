package zkynet.backend;

import java.util.Arrays;
import zkynet.DType;

/**
 * An operation a backend cannot run because it exceeds one of the backend's limits (for ND4J, more
 * than {@link Nd4jBackend#MAX_RANK} axes): found before any native code runs, so the JVM never
 * aborts. The message names the backend, the operation, the shapes and the limit.
 */
public final class BackendLimitException extends IllegalArgumentException {
  private final String backend;
  private final String operation;
  private final int limit;

  BackendLimitException(String backend, String operation, String what, int limit, String advice) {
    super(backend + " backend: " + operation + " " + what + " exceeds the limit of " + limit
        + "; " + advice);
    this.backend = backend;
    this.operation = operation;
    this.limit = limit;
  }

  /** A tensor of {@code shape} described for the message: {@code float32 [2, 3] (rank 2)}. */
  static String tensor(DType dtype, int[] shape) {
    return dtype.name().toLowerCase() + " " + Arrays.toString(shape) + " (rank " + shape.length + ")";
  }

  public String backend() {
    return backend;
  }

  /** The backend operation, e.g. {@code reduce SUM}. */
  public String operation() {
    return operation;
  }

  public int limit() {
    return limit;
  }
}
