package zkynet.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * half-written file: the bytes go to a temporary file {@code .NAME.RANDOM.tmp} in the same
 * directory, which is flushed to disk (fsync) and then renamed over the target in one atomic step.
 * On any failure the temporary file is deleted and the old file is left as it was.
 *
 * <p>A process killed mid-write cannot delete its temporary file, so each write first removes the
 * stale temporaries of the same target: those no live writer holds. A writer holds an exclusive
 * file lock on its temporary file from creation to rename (the operating system releases it when
 * the process dies), so a temporary file whose lock can be taken belongs to a dead writer. Writers
 * of the same target in this JVM are known directly and never touched.
 *
 * <p>Errors name the target file, not the temporary one.
 */
public final class AtomicFiles {
  /** Temporary files being written by this JVM (never cleaned, never locked by a cleaner here). */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();
  private static final String SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Writes the content of a file to a stream (which it must not close). */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      throw new IOException("cannot write " + target + ": it has no parent directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      throw failure(target, e);
    }
    removeStaleTemporaries(abs);
    Path tmp = dir.resolve(prefix(abs) + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + SUFFIX);
    WRITING.add(tmp);
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
        if (!Files.exists(tmp)) { // a cleaner in another process removed it before we locked it
          throw new IOException("cannot write " + target + ": its temporary file was removed by "
              + "another process; try again");
        }
        BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.write(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the channel is closed (after fsync) below, not by the body
          }
        });
        out.flush();
        ch.force(true);
        try {
          // Renamed while still locked, so no cleaner can take it for a dead writer's.
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("cannot replace " + target + " atomically on this file system", e);
        }
        moved = true;
      } catch (FileSystemException e) {
        throw failure(target, e);
      }
      syncDirectory(dir);
    } finally {
      try {
        if (!moved) {
          Files.deleteIfExists(tmp);
        }
      } finally {
        WRITING.remove(tmp);
      }
    }
  }

  /** {@code .NAME.}: the start of every temporary file name of {@code target}. */
  private static String prefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /**
   * Deletes the temporary files of {@code target} left by writers that died (their lock is free).
   * Best effort: a file that cannot be inspected or deleted is left for the next write.
   */
  static int removeStaleTemporaries(Path target) {
    String prefix = prefix(target);
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(target.getParent(),
        f -> isTemporaryName(f.getFileName().toString(), prefix))) {
      for (Path f : files) {
        if (!WRITING.contains(f) && removeIfAbandoned(f)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Listing failed (permissions, a vanished directory): nothing to clean that we can see.
    }
    return removed;
  }

  private static boolean isTemporaryName(String name, String prefix) {
    return name.startsWith(prefix) && name.endsWith(SUFFIX)
        && name.length() > prefix.length() + SUFFIX.length()
        && name.substring(prefix.length(), name.length() - SUFFIX.length()).chars()
            .allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static boolean removeIfAbandoned(Path f) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return false; // a live writer in another process holds it
      }
      try {
        return Files.deleteIfExists(f);
      } finally {
        lock.release();
      }
    } catch (IOException | OverlappingFileLockException e) {
      return false;
    }
  }

  /** An exception about {@code target} for one that names the temporary file. */
  private static IOException failure(Path target, FileSystemException e) {
    String reason = e.getReason();
    if (reason == null) {
      reason = e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e.getClass().getSimpleName();
    }
    return new IOException("cannot write " + target + ": " + reason, e);
  }

  /** Makes the rename durable where the platform allows it (Linux: fsync on the directory). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported everywhere (e.g. Windows); the rename itself is still atomic.
    }
  }
}
