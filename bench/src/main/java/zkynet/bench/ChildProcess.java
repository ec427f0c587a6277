package zkynet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Child} JVM started by the {@link Launcher}: a thread collects every line it prints
 * (stdout and stderr, for its log and the notes) and hands the protocol's lines (those starting
 * {@code @@}) to {@link #await}; {@link #send} writes a command to its stdin (serve mode).
 * {@link #close} kills the process if it still runs and writes the log. The process has
 * {@code timeoutSeconds} from its start, and again from every command, to reply or end.
 */
final class ChildProcess implements AutoCloseable {
  /** Why a child gave no reply: its check failed, it exited, it timed out, its stdin is closed. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  /** Put on {@link #replies} when the output ends. */
  private static final String END = "@@end-of-output";

  private final Process process;
  private final Path log;
  private final List<String> lines = new ArrayList<>();
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final Writer stdin;
  private final long timeoutSeconds;
  /** When the reply awaited is late ({@link System#nanoTime}). */
  private long deadline;

  ChildProcess(List<String> command, Map<String, String> environment, Path log, long timeoutSeconds)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(environment);
    this.log = log;
    this.timeoutSeconds = timeoutSeconds;
    this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    this.process = pb.start();
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.reader = new Thread(this::read, "output of " + log.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
        }
        if (line.startsWith("@@")) {
          replies.add(line);
        }
      }
    } catch (IOException e) { // the stream was closed under us (the process was killed): its end
      synchronized (lines) {
        lines.add("(launcher: reading the output failed: " + e + ")");
      }
    } finally {
      replies.add(END);
    }
  }

  Path log() {
    return log;
  }

  /** Every line printed so far. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Writes one command line to the child's stdin. */
  void send(String command) throws Failure, InterruptedException {
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new Failure(process.isAlive() ? "could not send '" + command + "': " + e.getMessage() : ended());
    }
  }

  /**
   * The next line that starts with {@code prefix} (other protocol lines are skipped), without the
   * prefix; a {@link Failure} if the output ends first or the time is out.
   */
  String await(String prefix) throws Failure, InterruptedException {
    while (true) {
      String line = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw timedOut();
      }
      if (line.equals(END)) {
        replies.add(END); // for the next call
        throw new Failure(ended());
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
  }

  /** Waits until the process ends; a {@link Failure} unless it ends in time with status 0. */
  void finish() throws Failure, InterruptedException {
    if (!process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw timedOut();
    }
    if (process.exitValue() != 0) {
      throw new Failure(ended());
    }
  }

  private Failure timedOut() {
    return new Failure("timed out after " + timeoutSeconds + " s");
  }

  /** Why the output ended: the failed check it printed, else the exit status. */
  private String ended() throws InterruptedException {
    for (String line : lines()) {
      if (line.startsWith("@@check-failed ")) {
        return "check failed: " + line.substring("@@check-failed ".length());
      }
    }
    if (!process.waitFor(Math.max(deadline - System.nanoTime(), 1_000_000_000L), TimeUnit.NANOSECONDS)) {
      return "the output ended, the process did not";
    }
    int status = process.exitValue();
    return "exit status " + status + (status > 128 ? " (signal " + (status - 128) + ")" : "");
  }

  /** Kills the process if it still runs (without waiting). */
  void kill() {
    process.destroyForcibly();
  }

  /** Kills the process if it still runs, waits for it and its output, writes the log. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      kill();
      process.waitFor();
      reader.join();
    } finally {
      Files.write(log, lines());
    }
  }
}
