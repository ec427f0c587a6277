package zkynet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.IntFunction;
import zkynet.bench.Problems.MlpProblem;

/**
 * One peer on one workload, in a JVM of its own (started by {@link Launcher}): set up, check
 * against {@link Reference} (exit status 2 if the numbers are wrong), time, and print one line
 * {@code @@result <workload> <peer> <median> <min> <max> <reps> <batch>} (nanoseconds per run).
 * Lines starting {@code @@note} describe the setup for the table.
 *
 * <p>Arguments: peer workload. System properties: bench.threads, bench.warmup and bench.budget
 * (seconds), bench.reps (the most timed repetitions).
 *
 * <p>With {@code -Dbench.serve=true} (the Launcher's {@code --interleave}), the child instead
 * prints {@code @@ready} once the step is checked and then serves commands read from stdin, one a
 * line, blocking (no CPU) in between: {@code warmup} warms up and calibrates as {@link Timer#measure}
 * does and replies {@code @@warm <batch>}; {@code slice} runs the step untimed for bench.settle
 * seconds, then takes samples for bench.budget / bench.cycles seconds (at least
 * {@link Timer#MIN_REPS} / bench.cycles and at most bench.reps / bench.cycles, rounded up) and
 * replies {@code @@samples <ns per run> ...}; {@code quit} or the end of stdin ends the process.
 */
public final class Child {
  private Child() {}

  public static void main(String[] args) {
    PeerKind kind = PeerKind.parse(args[0]);
    Workload workload = Workload.parse(args[1]);
    int threads = Integer.getInteger("bench.threads", 2);
    double warmup = Double.parseDouble(System.getProperty("bench.warmup", "5"));
    double budget = Double.parseDouble(System.getProperty("bench.budget", "5"));
    int reps = Integer.getInteger("bench.reps", 100_000);
    System.out.println("@@note Java " + Runtime.version());
    Step step;
    try {
      step = prepare(kind, workload, threads);
    } catch (AssertionError e) {
      System.out.println("@@check-failed " + e.getMessage());
      e.printStackTrace(System.out);
      System.exit(2);
      return;
    }
    if (Boolean.getBoolean("bench.serve")) {
      double settle = Double.parseDouble(System.getProperty("bench.settle", "0.25"));
      int cycles = Integer.getInteger("bench.cycles", 1);
      serve(step, warmup, settle, budget / cycles, Timer.perSlice(Timer.MIN_REPS, cycles),
          Timer.perSlice(reps, cycles));
    } else {
      Timer.Stats s = Timer.measure(step, warmup, budget, reps);
      System.out.printf("@@result %s %s %.1f %.1f %.1f %d %d%n", workload.id, kind.id, s.median(), s.min(),
          s.max(), s.reps(), s.batch());
    }
    System.out.println("(sink " + Timer.sink + ")");
    System.exit(0); // DJL and ND4J leave non-daemon threads behind
  }

  /** The serve mode's command loop (see the class comment); returns at {@code quit} or end of input. */
  private static void serve(Step step, double warmup, double settle, double slice, int minReps, int maxReps) {
    System.out.println("@@ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int batch = 0;
    try {
      for (String command; (command = in.readLine()) != null && !command.equals("quit"); ) {
        switch (command) {
          case "warmup" -> {
            batch = Timer.warmUp(step, warmup);
            System.out.println("@@warm " + batch);
          }
          case "slice" -> {
            if (batch == 0) {
              throw new IllegalStateException("slice before warmup");
            }
            Timer.settle(step, settle, 1);
            StringBuilder reply = new StringBuilder("@@samples");
            for (double s : Timer.sample(step, batch, slice, minReps, maxReps)) {
              reply.append(String.format(Locale.ROOT, " %.1f", s));
            }
            System.out.println(reply);
          }
          default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The peer's step for the workload, checked. */
  static Step prepare(PeerKind kind, Workload workload, int threads) {
    if (kind == PeerKind.GEMM) {
      Blas.threads(threads);
      System.out.println("@@note " + Blas.describe());
      MlpProblem p = Problems.w3();
      return checked(workload, kind, GemmPeer.w3(p), 1, Reference.gemmChain(p), 0, 1e-4, null);
    }
    Peer peer = switch (kind) {
      case ZKYNET -> {
        System.out.println("@@note " + ZkynetPeer.describe());
        yield new ZkynetPeer();
      }
      case PLAIN -> {
        Blas.threads(threads);
        System.out.println("@@note " + Blas.describe());
        yield new PlainPeer(threads);
      }
      case DJL -> {
        System.out.println("@@note " + DjlPeer.describe());
        yield new DjlPeer();
      }
      case GEMM -> throw new AssertionError();
    };
    return switch (workload.computes()) {
      case W1 -> checked(workload, kind, peer.w1(), 1, Reference.w1(), 1e-6, 1e-6, null);
      case W2 -> {
        float[] x = Problems.w2x();
        Step step = workload == Workload.W2_OP ? zkynet(peer).w2Operator(x) : peer.w2(x);
        // sum(f) and grad w are float32 sums of 1e6 terms: blocked summation errs by ~1e-4
        yield checked(workload, kind, step, 1, Reference.w2(x), 1e-3, 1e-3, null);
      }
      case W4 -> {
        float[] x = Problems.w4x();
        IntFunction<Step> w4 = layers -> switch (workload) {
          case W4_BEFORE -> zkynet(peer).w4Before(x, layers);
          case W4_OP -> zkynet(peer).w4Operator(x, layers);
          default -> peer.w4(x, layers);
        };
        int shallow = Problems.W4_CHECK_LAYERS; // where the gradient has not underflowed yet
        checked(workload, kind, w4.apply(shallow), 1, Reference.w4(x, shallow), 1e-5, 1e-4, null);
        int layers = Problems.W4_LAYERS;
        // y converges to tanh's fixed point, which amplifies a float32 tanh's error about 2.6 times
        yield checked(workload, kind, w4.apply(layers), 1, Reference.w4(x, layers), 1e-4, 1e-4, null);
      }
      case W3, D -> {
        MlpProblem p = workload.computes() == Workload.W3 ? Problems.w3() : Problems.digits();
        Step step = workload == Workload.W3_BEFORE ? zkynet(peer).mlpBefore(p) : peer.mlp(p);
        int steps = 2; // the second step also checks that gradients do not leak between steps
        // Adam's update is about lr * sign(g): float rounding of tiny gradients shows more there.
        double tol = p.optim().adam() ? 1e-2 : 1e-3;
        yield checked(workload, kind, step, steps, Reference.mlp(p, steps, peer.adamForm()), 1e-5,
            tol, Reference.initialParameters(p));
      }
      default -> throw new AssertionError(workload + " computes " + workload.computes());
    };
  }

  /** The zkynet peer, which alone runs the variants of a workload ({@link PeerKind#supports}). */
  private static ZkynetPeer zkynet(Peer peer) {
    if (peer instanceof ZkynetPeer z) {
      return z;
    }
    throw new IllegalArgumentException("only zkynet runs the workload variants, not " + peer);
  }

  private static Step checked(Workload w, PeerKind kind, Step step, int runs, Outcome expected,
      double valueTol, double arrayTol, Outcome baseline) {
    for (int i = 0; i < runs; i++) {
      step.run();
    }
    String report = step.outcome().assertMatches(expected, valueTol, arrayTol, baseline);
    System.out.println("@@check " + w.id + " " + kind.id + " ok: " + report);
    return step;
  }
}
