package zkynet.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A checkpoint that cannot be loaded into a module: the file is missing, unreadable or corrupt, or
 * its arrays do not match the module's parameters (or the optimizer's state does not fit the optimizer). Lists every problem found, each naming the parameter (or archive
 * entry) at fault. When this is thrown, the module has not been changed.
 */
public final class CheckpointException extends IOException {
  /** What is wrong. */
  public enum Kind {
    /** The file cannot be read at all: it does not exist, is not readable, or an I/O error occurred. */
    UNREADABLE,
    /** The file is not a readable .npz, or an entry is not a readable float .npy array. */
    CORRUPT,
    /** The module has a parameter the file lacks. */
    MISSING,
    /** The file has an array the module has no parameter for. */
    EXTRA,
    /** Same name, different shape. */
    SHAPE,
    /** Same name, different dtype. */
    DTYPE,
    /**
     * The optimizer state is missing or does not fit the optimizer: another type, other
     * hyperparameters, a buffer for an unknown parameter or of the wrong shape or dtype.
     */
    OPTIMIZER
  }

  /** One problem: its kind, the parameter path or entry name, and the details. */
  public record Problem(Kind kind, String name, String detail) {
    @Override
    public String toString() {
      return switch (kind) {
        case UNREADABLE -> "unreadable file: " + detail;
        case CORRUPT -> name == null ? "corrupt file: " + detail : "corrupt entry '" + name + "': " + detail;
        case MISSING -> "missing parameter '" + name + "': " + detail;
        case EXTRA -> "unexpected array '" + name + "': " + detail;
        case SHAPE -> "wrong shape for parameter '" + name + "': " + detail;
        case DTYPE -> "wrong dtype for parameter '" + name + "': " + detail;
        case OPTIMIZER -> "optimizer state '" + name + "': " + detail;
      };
    }
  }

  private final Path file;
  private final List<Problem> problems;

  CheckpointException(Path file, String what, List<Problem> problems, Throwable cause) {
    super(message(file, what, problems), cause);
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  private static String message(Path file, String what, List<Problem> problems) {
    String list = problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    return "cannot load " + file + (what.isEmpty() ? "" : " " + what) + ": " + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + " (nothing was changed)\n" + list;
  }

  /** The checkpoint file. */
  public Path file() {
    return file;
  }

  /** Every problem found, in a deterministic order (the module's parameter order, then the file's). */
  public List<Problem> problems() {
    return problems;
  }

  /** The kind of the first problem. */
  public Kind kind() {
    return problems.get(0).kind();
  }
}
