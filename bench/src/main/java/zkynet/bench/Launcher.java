package zkynet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' entry point ({@code bench/run.sh}): runs every selected peer on every selected
 * workload, each pair in a JVM of its own ({@link Child}), one after another, and writes one
 * Markdown table of medians and ratios to {@code bench/target/results.md} (rewritten after every
 * cell, so an interrupted run keeps what it measured). Logs of every process go to
 * {@code bench/target/logs/}. Exit status 1 if any check failed or any process did not finish.
 */
public final class Launcher {
  private static final String USAGE = """
      usage: bench/run.sh [options]     (build first: mvn -B -Pbench -DskipTests package)
        --workloads W1,W2,W3,W4,D   which workloads (default: all); zkynet-only variants:
                                    W2-op, W4-op (user @Operator, fused), W3-before, W4-before
        --peers zkynet,plain,gemm,djl   which peers (default: all; gemm runs W3 only)
        --threads N                 threads of every peer (default: $THREADS, else 2)
        --reps N                    most timed repetitions per cell (default 100000: the budget decides;
                                    at least 5 are taken)
        --rounds N                  run every cell N times, round after round (default 1); the table
                                    shows the median of the rounds' medians, the min and max of all
        --warmup S                  warm-up seconds per cell (default 5)
        --budget S                  timed seconds per cell (default 4)
        --zk-java-home DIR          also run zkynet on this JDK, e.g. /usr/lib/jvm/temurin-25-jdk-amd64
        --jvm-arg ARG               one more JVM option for every process (repeatable)
        --timeout S                 kill a process after this many seconds (default 600)
        --out FILE                  the table (default bench/target/results.md)
      """;

  /** A column of the table: a peer on a JDK (with options for that JDK). */
  private record Column(String title, String id, PeerKind kind, Path java, List<String> jdkOptions) {}

  /** A measured cell, or why there is none; the 1-minute load average when it started. */
  private record Cell(Timer.Stats stats, String failure, String load) {}

  private static final class Options {
    List<Workload> workloads = List.of(Workload.values());
    List<PeerKind> peers = List.of(PeerKind.values());
    int threads = System.getenv("THREADS") != null ? Integer.parseInt(System.getenv("THREADS")) : 2;
    // The budget, not a count, ends a cell: the median is of every repetition in it, so a burst of
    // another process on the shared machine spoils a few of them, not a whole cell, as it could when
    // 30 repetitions of a 2 ms workload took 60 ms.
    int reps = 100_000;
    int rounds = 1;
    // 5 s: zkynet's W3 was still getting faster after 2 s (median 1.63 against 1.48 ms after 8 s,
    // and 2.18 against 2.11 in a second pair): C2 compiles beside OpenBLAS's threads on 2 cores.
    double warmup = 5;
    double budget = 4;
    Path zkJavaHome;
    List<String> jvmArgs = new ArrayList<>();
    long timeoutSeconds = 600;
    Path out;

    static Options parse(String[] args, Path benchDir) {
      Options o = new Options();
      o.out = benchDir.resolve("target/results.md");
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) {
          System.out.print(USAGE);
          System.exit(0);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + a + "\n" + USAGE);
        }
        String v = args[++i];
        switch (a) {
          case "--workloads" -> o.workloads = Arrays.stream(v.split(",")).map(Workload::parse).toList();
          case "--peers" -> o.peers = Arrays.stream(v.split(",")).map(PeerKind::parse).toList();
          case "--threads" -> o.threads = Integer.parseInt(v);
          case "--reps" -> o.reps = Integer.parseInt(v);
          case "--rounds" -> o.rounds = Integer.parseInt(v);
          case "--warmup" -> o.warmup = Double.parseDouble(v);
          case "--budget" -> o.budget = Double.parseDouble(v);
          case "--zk-java-home" -> o.zkJavaHome = Path.of(v);
          case "--jvm-arg" -> o.jvmArgs.add(v);
          case "--timeout" -> o.timeoutSeconds = Long.parseLong(v);
          case "--out" -> o.out = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
        }
      }
      return o;
    }
  }

  private final Options options;
  private final String command;
  private final Path logs;
  private final Path djlCache;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<Column> columns = new ArrayList<>();
  /** Every round's cell of each workload and column, in round order. */
  private final Map<Workload, Map<Column, List<Cell>>> rounds = new LinkedHashMap<>();
  /** Each workload and column's cell over all rounds so far ({@link #combine}). */
  private final Map<Workload, Map<Column, Cell>> cells = new LinkedHashMap<>();
  private final Map<Column, Set<String>> notes = new LinkedHashMap<>();
  private final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  private final String loadBefore = loadAverage();

  private Launcher(Options options, String command, Path benchDir) {
    this.options = options;
    this.command = command;
    this.logs = options.out.toAbsolutePath().getParent().resolve("logs");
    String cache = System.getenv("DJL_CACHE_DIR");
    this.djlCache = cache != null ? Path.of(cache) : benchDir.resolve("target/djl-cache").toAbsolutePath();
    String threads = Integer.toString(options.threads);
    for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
      environment.put(v, threads);
    }
    // OPENBLAS_CORETYPE is inherited as set (or not): OpenBLAS 0.3.31 recognises Zen by itself.
    environment.put("OPENBLAS_VERBOSE", "2"); // OpenBLAS logs the core it uses ("Core: ...")
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> jdkOptions = jdkOptions(Runtime.version().feature());
    for (PeerKind kind : options.peers) {
      columns.add(new Column(kind.title, kind.id, kind, java, jdkOptions));
      if (kind == PeerKind.ZKYNET && options.zkJavaHome != null) {
        int version = javaVersion(options.zkJavaHome);
        columns.add(new Column("zkynet (Java " + version + ")", "zkynet-java" + version, kind,
            options.zkJavaHome.resolve("bin/java"), jdkOptions(version)));
      }
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path benchDir = Path.of(System.getProperty("bench.dir", "bench"));
    Options options = Options.parse(args, benchDir);
    String command = "bench/run.sh" + (args.length == 0 ? "" : " " + String.join(" ", args));
    Launcher launcher = new Launcher(options, command, benchDir);
    boolean ok = launcher.run();
    System.out.println("wrote " + options.out.toAbsolutePath());
    System.exit(ok ? 0 : 1);
  }

  private boolean run() throws IOException, InterruptedException {
    Files.createDirectories(logs);
    System.out.println("threads " + options.threads + ", environment " + environment + ", load average "
        + loadBefore);
    boolean ok = true;
    for (int round = 1; round <= options.rounds; round++) {
      for (Workload w : options.workloads) {
        for (Column c : columns) {
          if (c.kind.supports(w)) {
            Cell cell = runChild(c, w, round);
            ok &= cell.failure == null;
            List<Cell> all = rounds.computeIfAbsent(w, k -> new LinkedHashMap<>())
                .computeIfAbsent(c, k -> new ArrayList<>());
            all.add(cell);
            cells.computeIfAbsent(w, k -> new LinkedHashMap<>()).put(c, combine(all));
            writeTable();
          }
        }
      }
    }
    return ok;
  }

  /**
   * One cell of several rounds: the median of their medians (the middle one, or the mean of the two
   * middle ones), the least minimum and the largest maximum, all repetitions, the busiest load; a
   * failure if any round failed.
   */
  private static Cell combine(List<Cell> all) {
    for (Cell c : all) {
      if (c.failure != null) {
        return c;
      }
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    double[] medians = all.stream().mapToDouble(c -> c.stats.median()).sorted().toArray();
    int n = medians.length;
    double median = n % 2 == 1 ? medians[n / 2] : (medians[n / 2 - 1] + medians[n / 2]) / 2;
    double min = all.stream().mapToDouble(c -> c.stats.min()).min().orElseThrow();
    double max = all.stream().mapToDouble(c -> c.stats.max()).max().orElseThrow();
    int reps = all.stream().mapToInt(c -> c.stats.reps()).sum();
    String load = all.stream().map(Cell::load).max((a, b) -> Double.compare(Double.parseDouble(a),
        Double.parseDouble(b))).orElseThrow();
    return new Cell(new Timer.Stats(median, min, max, reps, all.get(0).stats.batch()), null, load);
  }

  private Cell runChild(Column c, Workload w, int round) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(c.java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Dbench.threads=" + options.threads, "-Dbench.warmup=" + options.warmup,
        "-Dbench.budget=" + options.budget, "-Dbench.reps=" + options.reps));
    cmd.addAll(c.jdkOptions);
    cmd.addAll(c.kind.jvmOptions(options.threads, djlCache));
    cmd.addAll(options.jvmArgs);
    cmd.addAll(List.of(Child.class.getName(), c.kind.id, w.id));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(environment);
    Path log = logs.resolve(c.id + "-" + w.id + (round > 1 ? "-round" + round : "") + ".log");
    System.out.printf("%-9s %-20s ", w.id, c.title + (options.rounds > 1 ? " #" + round : ""));
    System.out.flush();
    String load = loadAverage().split(",")[0];
    Process process = pb.start();
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    reader.start();
    boolean finished = process.waitFor(options.timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
      process.waitFor();
    }
    reader.join();
    Files.write(log, lines);
    Timer.Stats stats = null;
    String failure = null;
    for (String line : lines) {
      if (line.startsWith("@@result ")) {
        String[] f = line.split(" ");
        stats = new Timer.Stats(Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
            Integer.parseInt(f[6]), Integer.parseInt(f[7]));
      } else if (line.startsWith("@@note ")) {
        notes.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(line.substring(7));
      } else if (line.startsWith("Core: ")) {
        notes.computeIfAbsent(c, k -> new LinkedHashSet<>()).add("OpenBLAS core " + line.substring(6).trim());
      } else if (line.startsWith("@@check-failed ")) {
        failure = "check failed: " + line.substring(15);
      }
    }
    if (!finished) {
      failure = "timed out after " + options.timeoutSeconds + " s";
    } else if (failure == null && (process.exitValue() != 0 || stats == null)) {
      failure = "exit status " + process.exitValue();
    }
    if (failure != null) {
      System.out.println("FAILED: " + failure + " (see " + log + ")");
      return new Cell(null, failure, load);
    }
    System.out.printf("%s %s  (%d reps x %d runs)%n", cellText(stats, w), w.unit, stats.reps(), stats.batch());
    return new Cell(stats, null, load);
  }

  // ------------------------------------------------------------------ the table

  private void writeTable() throws IOException {
    Column djl = column(PeerKind.DJL);
    Column gemm = column(PeerKind.GEMM);
    Column zk = column(PeerKind.ZKYNET);
    List<Column> ratios = columns.stream()
        .filter(c -> djl != null && c.kind != PeerKind.DJL && c.kind != PeerKind.GEMM).toList();
    StringBuilder t = new StringBuilder();
    t.append("| workload | unit |");
    columns.forEach(c -> t.append(' ').append(c.title).append(" |"));
    ratios.forEach(c -> t.append(' ').append(c.title).append(" ÷ DJL |"));
    boolean gemmRatio = gemm != null && zk != null;
    if (gemmRatio) {
      t.append(" zkynet ÷ GEMM-only |");
    }
    List<Column> afterBefore = cells.keySet().stream().anyMatch(w -> w.variant == Workload.Variant.BEFORE)
        ? columns.stream().filter(c -> c.kind == PeerKind.ZKYNET).toList() : List.of();
    afterBefore.forEach(c -> t.append(' ').append(c.title).append(" after ÷ before |"));
    t.append("\n|---|---|");
    t.append("---:|".repeat(columns.size() + ratios.size() + (gemmRatio ? 1 : 0) + afterBefore.size()))
        .append('\n');
    for (Map.Entry<Workload, Map<Column, Cell>> row : cells.entrySet()) {
      Workload w = row.getKey();
      Map<Column, Cell> r = row.getValue();
      t.append("| ").append(w.id).append(" | ").append(w.unit).append(" |");
      for (Column c : columns) {
        Cell cell = r.get(c);
        t.append(' ').append(cell == null ? "" : cell.failure != null ? "FAILED" : cellText(cell.stats, w)).append(" |");
      }
      Map<Column, Cell> computed = cells.getOrDefault(w.computes(), Map.of());
      for (Column c : ratios) {
        t.append(' ').append(ratio(r.get(c), computed.get(djl))).append(" |");
      }
      if (gemmRatio) {
        t.append(' ').append(ratio(r.get(zk), r.get(gemm))).append(" |");
      }
      for (Column c : afterBefore) {
        String after = w.variant == Workload.Variant.BEFORE ? ratio(computed.get(c), r.get(c)) : "";
        t.append(' ').append(after).append(" |");
      }
      t.append('\n');
    }

    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(options.out, StandardCharsets.UTF_8))) {
      out.println("# zkynet benchmarks");
      out.println();
      double busiest = cells.values().stream().flatMap(r -> r.values().stream())
          .mapToDouble(c -> Double.parseDouble(c.load)).max().orElse(0);
      int cores = Runtime.getRuntime().availableProcessors();
      if (busiest > cores) {
        out.println("**The machine was busy: 1-minute load average up to " + busiest + " on " + cores + " cores."
            + " Times are inflated, those of peers that use several OpenMP threads (ND4J, PyTorch, OpenBLAS) most;"
            + " compare with care.**");
        out.println();
      }
      out.print(t);
      out.println();
      out.println((options.rounds > 1 ? "Cells: the median of " + options.rounds + " rounds' medians (the least"
          + " minimum – the largest maximum of all their timed repetitions)" : "Cells: median (min–max) over the"
          + " timed repetitions") + "; ratios divide medians (above 1: slower"
          + " than DJL, or than the GEMM-only limit). FAILED: the check or the process failed (see the logs)."
          + " A variant row (W2-op, W3-before, ...) computes its base workload another way, on zkynet only: its"
          + " ÷ DJL divides by DJL's cell of the base; after ÷ before (on the -before rows) divides the base"
          + " row's cell by the variant's (below 1: the current code is faster).");
      out.println();
      out.println("Workloads:");
      for (Workload w : options.workloads) {
        out.println("- " + w.id + ": " + w.description + ".");
      }
      out.println();
      out.println("Peers:");
      out.println("- zkynet: `@Module` classes over `zkynet.BuiltinsOps`, `CrossEntropyLoss` with `Sgd`/`Adam`"
          + " (README \"Training\").");
      out.println("- plain Java: derivatives by hand, fused loops, float32 rational tanh; GEMMs through the same"
          + " OpenBLAS as zkynet, on direct buffers.");
      out.println("- GEMM-only (W3): just the 8 SGEMMs of the step, on W3's shapes: the limit for W3.");
      out.println("- DJL/PyTorch: NDArrays in a `GradientCollector`; W3 and D with `Linear` blocks and the `Trainer`"
          + " (forward, loss, backward, `trainer.step()`); PyTorch natives from the jar (`ai.djl.offline=true`).");
      out.println();
      out.println("Method: every cell is a JVM of its own, one at a time: set up, check against a float64 reference"
          + " (a wrong number fails the cell), warm up for " + options.warmup + " s (at least "
          + Timer.MIN_WARMUP_RUNS + " runs), then up to " + options.reps + " timed repetitions (at least "
          + Timer.MIN_REPS + ") within " + options.budget + " s. A repetition times a batch of runs lasting at"
          + " least " + Timer.MIN_SAMPLE_NANOS / 1_000_000 + " ms and records the mean per run.");
      out.println("Threads: " + options.threads + " for every peer (" + environment + "; DJL's intra- and inter-op"
          + " threads; the plain peer splits W2 into " + options.threads + " chunks).");
      out.println();
      if (options.rounds > 1) {
        out.println("Each round's median, in round order:");
        for (Map.Entry<Workload, Map<Column, List<Cell>>> row : rounds.entrySet()) {
          List<String> parts = new ArrayList<>();
          row.getValue().forEach((c, all) -> parts.add(c.title + " " + String.join(", ", all.stream()
              .map(cell -> cell.stats == null ? "FAILED" : number(cell.stats.median() / row.getKey().nanosPerUnit))
              .toList())));
          out.println("- " + row.getKey().id + " (" + row.getKey().unit + "): " + String.join("; ", parts));
        }
        out.println();
      }
      out.println("Repetitions × runs per repetition (1-minute load average when the cell started; the busiest"
          + " round's):");
      for (Map.Entry<Workload, Map<Column, Cell>> row : cells.entrySet()) {
        StringBuilder s = new StringBuilder("- " + row.getKey().id + ":");
        row.getValue().forEach((c, cell) -> {
          if (cell.stats != null) {
            s.append(' ').append(c.title).append(' ').append(cell.stats.reps()).append('×')
                .append(cell.stats.batch()).append(" (load ").append(cell.load).append(");");
          }
        });
        out.println(s.substring(0, s.length() - (s.charAt(s.length() - 1) == ';' ? 1 : 0)));
      }
      out.println();
      out.println("Setup:");
      for (Column c : columns) {
        if (notes.containsKey(c)) {
          out.println("- " + c.title + ": " + String.join("; ", notes.get(c)));
        }
      }
      out.println();
      out.println("Machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
          + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ".");
      out.println("Load average (1, 5, 15 min) before: " + loadBefore + "; after the last cell: " + loadAverage()
          + ". A load above the core count means other jobs competed for the cores.");
      out.println("Started " + started + ". Command: `" + command + "`.");
    }
  }

  private Column column(PeerKind kind) {
    return columns.stream().filter(c -> c.kind == kind).findFirst().orElse(null);
  }

  private static String cellText(Timer.Stats s, Workload w) {
    double u = w.nanosPerUnit;
    return number(s.median() / u) + " (" + number(s.min() / u) + "–" + number(s.max() / u) + ")";
  }

  private static String ratio(Cell a, Cell b) {
    if (a == null || b == null || a.stats == null || b.stats == null) {
      return "";
    }
    return number(a.stats.median() / b.stats.median()) + "×";
  }

  /** Three significant digits, no exponent for the usual range. */
  static String number(double v) {
    double a = Math.abs(v);
    String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.2g";
    return String.format(Locale.ROOT, f, v);
  }

  // ------------------------------------------------------------------ the machine

  private static String procLine(String file, String prefix) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static String cpuModel() {
    String line = procLine("/proc/cpuinfo", "model name");
    return line == null ? "unknown CPU" : line.substring(line.indexOf(':') + 1).trim();
  }

  private static String memory() {
    String line = procLine("/proc/meminfo", "MemTotal:");
    if (line == null) {
      return "unknown memory";
    }
    long kb = Long.parseLong(line.replaceAll("\\D", ""));
    return Math.round(kb / 1024.0 / 1024.0) + " GB";
  }

  private static String loadAverage() {
    String line = procLine("/proc/loadavg", "");
    return line == null ? "unknown" : String.join(", ", Arrays.copyOf(line.split(" "), 3));
  }

  /** SkylakeX with AVX-512, Haswell with AVX2, else null (OpenBLAS decides). */
  /** The major version in a JDK's {@code release} file. */
  private static int javaVersion(Path javaHome) {
    try {
      for (String line : Files.readAllLines(javaHome.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          return Integer.parseInt(line.substring(line.indexOf('"') + 1).split("[.\"]")[0]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no JDK at " + javaHome, e);
    }
    throw new IllegalArgumentException("no JAVA_VERSION in " + javaHome.resolve("release"));
  }

  /** Silences newer JDKs' warnings about JavaCPP's and JNA's native access and use of Unsafe. */
  private static List<String> jdkOptions(int version) {
    List<String> o = new ArrayList<>();
    if (version >= 22) {
      o.add("--enable-native-access=ALL-UNNAMED");
    }
    if (version >= 24) {
      o.add("--sun-misc-unsafe-memory-access=allow");
    }
    return o;
  }
}
