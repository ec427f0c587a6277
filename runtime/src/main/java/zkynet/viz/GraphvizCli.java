package zkynet.viz;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Graphviz's {@code dot} program, when installed: found on the PATH or named by the system property
 * {@code zkynet.viz.dot} ({@code none} turns it off). Runs with a timeout (system property
 * {@code zkynet.viz.dotTimeoutSeconds}, 30 by default).
 */
final class GraphvizCli {
  private GraphvizCli() {}

  /** The {@code dot} executable, if any. */
  static Optional<Path> executable() {
    String configured = System.getProperty("zkynet.viz.dot");
    if (configured != null && !configured.isBlank()) {
      if (configured.equalsIgnoreCase("none")) {
        return Optional.empty();
      }
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path p = Path.of(dir, windows ? "dot.exe" : "dot");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Runs {@code dot -T<format>} on {@code dot} text and returns what it prints. */
  static byte[] render(String dot, String format) throws IOException {
    Path exe = executable().orElseThrow(() -> new IOException("Graphviz's dot is not installed"));
    long timeout = Long.getLong("zkynet.viz.dotTimeoutSeconds", 30);
    Path errors = Files.createTempFile("zkynet-dot", ".log");
    Process process = new ProcessBuilder(exe.toString(), "-T" + format)
        .redirectError(errors.toFile())
        .start();
    try {
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
        try (InputStream in = process.getInputStream()) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (OutputStream in = process.getOutputStream()) {
        in.write(dot.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(exe + " -T" + format + " did not finish within " + timeout + " s");
      }
      byte[] bytes = out.get(timeout, TimeUnit.SECONDS);
      if (process.exitValue() != 0 || bytes.length == 0) {
        throw new IOException(exe + " -T" + format + " exited with " + process.exitValue() + ": "
            + Files.readString(errors).strip());
      }
      return bytes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while running " + exe, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("could not read the output of " + exe + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
