package zkynet.bench;

import java.io.IOException;
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
import java.util.stream.IntStream;

/**
 * The benchmarks' entry point ({@code bench/run.sh}): runs every selected peer on every selected
 * workload, each pair in a JVM of its own ({@link Child}), one after another (or, with
 * {@code --interleave}, the JVMs of a workload's peers at once, measured in turns), and writes one
 * Markdown table of medians and ratios to {@code bench/target/results.md} (rewritten after every
 * cell or cycle, so an interrupted run keeps what it measured). Logs of every process go to
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
        --interleave N              measure a workload's peers in turns, under the same machine conditions:
                                    their JVMs start at once, warm up one at a time, then N cycles give
                                    each a slice (--settle untimed, then budget / N timed seconds);
                                    cells pool the slices; paired ratios per cycle (not with --rounds)
        --settle S                  untimed seconds before each slice of --interleave (default 0.25)
        --warmup S                  warm-up seconds per cell (default 5)
        --budget S                  timed seconds per cell (default 4; --interleave splits them over the slices)
        --zk-java-home DIR          also run zkynet on this JDK, e.g. /usr/lib/jvm/temurin-25-jdk-amd64
        --jvm-arg ARG               one more JVM option for every process (repeatable)
        --timeout S                 kill a process after this many seconds (default 600; with --interleave,
                                    seconds for its set-up and for every command: warm-up, slice)
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
    /** Cycles of --interleave; 0: one cell after another. */
    int interleave;
    double settle = 0.25;
    // 5 s: zkynet's W3 was still getting faster after 2 s (median 1.63 against 1.48 ms after 8 s,
    // and 2.18 against 2.11 in a second pair): C2 compiles beside OpenBLAS's threads on 2 cores.
    double warmup = 5;
    double budget = 4;
    Path zkJavaHome;
    List<String> jvmArgs = new ArrayList<>();
    long timeoutSeconds = 600;
    Path out;

    /** Sets option {@code a} to {@code v}. */
    private static void set(Options o, String a, String v) {
      switch (a) {
        case "--workloads" -> o.workloads = Arrays.stream(v.split(",")).map(Workload::parse).toList();
        case "--peers" -> o.peers = Arrays.stream(v.split(",")).map(PeerKind::parse).toList();
        case "--threads" -> o.threads = Integer.parseInt(v);
        case "--reps" -> o.reps = Integer.parseInt(v);
        case "--rounds" -> o.rounds = Integer.parseInt(v);
        case "--interleave" -> o.interleave = Integer.parseInt(v);
        case "--settle" -> o.settle = Double.parseDouble(v);
        case "--warmup" -> o.warmup = Double.parseDouble(v);
        case "--budget" -> o.budget = Double.parseDouble(v);
        case "--zk-java-home" -> o.zkJavaHome = Path.of(v);
        case "--jvm-arg" -> o.jvmArgs.add(v);
        case "--timeout" -> o.timeoutSeconds = Long.parseLong(v);
        case "--out" -> o.out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }

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
        try {
          set(o, a, v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number after " + a + ": " + v);
        }
      }
      if (o.interleave < 0 || o.rounds < 1) {
        throw new IllegalArgumentException("--interleave must be 0 or more and --rounds 1 or more");
      }
      if (o.interleave > 0 && o.rounds > 1) {
        throw new IllegalArgumentException("--rounds and --interleave do not go together: --interleave N"
            + " already measures every cell in N slices, in turns with the other peers");
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
  /** Every round's (or --interleave's cycle's slice's) cell of each workload and column, in order. */
  private final Map<Workload, Map<Column, List<Cell>>> rounds = new LinkedHashMap<>();
  /** Each workload and column's cell over all rounds ({@link #combine}) or slices so far. */
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
    Options options;
    try {
      options = Options.parse(args, benchDir);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
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
      if (options.interleave > 0) {
        for (List<Workload> group : byBase(options.workloads)) {
          ok &= runInterleaved(group);
        }
        continue;
      }
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
    double median = Timer.median(all.stream().mapToDouble(c -> c.stats.median()).sorted().toArray());
    double min = all.stream().mapToDouble(c -> c.stats.min()).min().orElseThrow();
    double max = all.stream().mapToDouble(c -> c.stats.max()).max().orElseThrow();
    int reps = all.stream().mapToInt(c -> c.stats.reps()).sum();
    return new Cell(new Timer.Stats(median, min, max, reps, all.get(0).stats.batch()), null, busiest(all));
  }

  /** The highest load average of the cells. */
  private static String busiest(List<Cell> all) {
    return all.stream().map(Cell::load).max((a, b) -> Double.compare(Double.parseDouble(a),
        Double.parseDouble(b))).orElseThrow();
  }

  private Cell runChild(Column c, Workload w, int round) throws IOException, InterruptedException {
    System.out.print(label(w, c.title + (options.rounds > 1 ? " #" + round : "")));
    System.out.flush();
    String load = loadAverage1();
    ChildProcess child = startChild(c, w, round > 1 ? "-round" + round : "");
    Timer.Stats stats = null;
    String failure = null;
    try {
      // <workload> <peer> <median> <min> <max> <reps> <batch>
      String[] f = child.await("@@result ").split(" ");
      child.finish();
      stats = new Timer.Stats(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          Integer.parseInt(f[5]), Integer.parseInt(f[6]));
    } catch (ChildProcess.Failure e) {
      failure = e.getMessage();
    } finally {
      close(c, child);
    }
    if (failure != null) {
      System.out.println("FAILED: " + failure + " (see " + child.log() + ")");
      return new Cell(null, failure, load);
    }
    System.out.println(resultText(stats, w));
    return new Cell(stats, null, load);
  }

  /**
   * The workloads grouped by what they compute ({@link Workload#computes}), in their order: a
   * variant row is timed in the same cycles as its base workload, whose DJL cell it is divided by.
   */
  private static List<List<Workload>> byBase(List<Workload> workloads) {
    Map<Workload, List<Workload>> groups = new LinkedHashMap<>();
    for (Workload w : workloads) {
      groups.computeIfAbsent(w.computes(), k -> new ArrayList<>()).add(w);
    }
    return List.copyOf(groups.values());
  }

  /** A column on a workload: one child JVM of an interleaved group. */
  private record Turn(Workload w, Column c) {
    String title() {
      return c.title + (w.variant == Workload.Variant.NONE ? "" : " " + w.id);
    }
  }

  /**
   * The workloads of one group with {@code --interleave}: the JVMs of all their columns at once, in
   * serve mode ({@link Child}); once set up and checked they warm up one at a time, then every
   * cycle gives each column of each workload a slice in turn, cycle r beginning with the r-th, so
   * that none always follows the same one. A column whose process fails is FAILED and left out; the
   * others go on. Returns whether every column finished.
   */
  private boolean runInterleaved(List<Workload> group) throws IOException, InterruptedException {
    List<Turn> order = new ArrayList<>();
    for (Workload w : group) {
      columns.stream().filter(c -> c.kind.supports(w)).forEach(c -> order.add(new Turn(w, c)));
    }
    Workload base = group.get(0).computes(); // names the group in the output
    Map<Turn, ChildProcess> children = new LinkedHashMap<>();
    Set<Turn> live = new LinkedHashSet<>();
    Map<Turn, Integer> batches = new LinkedHashMap<>();
    Map<Turn, List<Double>> pooled = new LinkedHashMap<>();
    try {
      for (Turn t : order) {
        children.put(t, startChild(t.c, t.w, ""));
      }
      System.out.println(label(base, "set-up") + "the JVMs of " + String.join(", ", order.stream().map(Turn::title)
          .toList()) + " at once");
      for (Turn t : order) {
        if (ask(t, children.get(t), null, "@@ready", "set-up and check") != null) {
          live.add(t);
        }
      }
      for (Turn t : List.copyOf(live)) {
        String batch = ask(t, children.get(t), "warmup", "@@warm ", "warm-up");
        if (batch == null) {
          live.remove(t);
        } else {
          batches.put(t, Integer.parseInt(batch));
        }
      }
      for (int cycle = 0; cycle < options.interleave && !live.isEmpty(); cycle++) {
        List<String> turns = new ArrayList<>();
        for (int j = 0; j < order.size(); j++) {
          Turn t = order.get((cycle + j) % order.size());
          if (!live.contains(t)) {
            continue;
          }
          String load = loadAverage1();
          String reply = ask(t, children.get(t), "slice", "@@samples", "the slice of cycle " + (cycle + 1));
          if (reply == null) {
            live.remove(t);
            continue;
          }
          double[] samples = Arrays.stream(reply.split(" ")).mapToDouble(Double::parseDouble).toArray();
          List<Cell> done = rounds.computeIfAbsent(t.w, k -> new LinkedHashMap<>())
              .computeIfAbsent(t.c, k -> new ArrayList<>());
          done.add(new Cell(Timer.stats(samples, batches.get(t)), null, load));
          List<Double> all = pooled.computeIfAbsent(t, k -> new ArrayList<>());
          Arrays.stream(samples).forEach(all::add);
          Timer.Stats stats = Timer.stats(all.stream().mapToDouble(Double::doubleValue).toArray(), batches.get(t));
          cells.computeIfAbsent(t.w, k -> new LinkedHashMap<>()).put(t.c, new Cell(stats, null, busiest(done)));
          turns.add(t.title() + " " + number(done.get(done.size() - 1).stats.median() / t.w.nanosPerUnit));
        }
        System.out.println(label(base, "cycle " + (cycle + 1) + "/" + options.interleave) + String.join(", ", turns)
            + " " + base.unit);
        writeTable();
      }
      for (Turn t : List.copyOf(live)) {
        if (ask(t, children.get(t), "quit", null, "its end") == null) {
          live.remove(t);
        } else {
          System.out.println(label(t.w, t.c.title) + resultText(cells.get(t.w).get(t.c).stats, t.w));
        }
      }
      for (Workload w : group) {
        pairedRatios(w).forEach(r -> System.out.println(label(w, "paired") + r));
      }
    } finally {
      children.values().forEach(ChildProcess::kill); // first, so that a failure below leaves no JVM behind
      for (Map.Entry<Turn, ChildProcess> e : children.entrySet()) {
        close(e.getKey().c, e.getValue());
      }
    }
    writeTable(); // with the notes of the closed children
    return live.size() == order.size();
  }

  /**
   * Sends {@code command} (none if null) and returns the reply after {@code prefix} (with no prefix,
   * waits for the process to end); null if the process failed instead: then it is killed and its
   * cell FAILED with the reason.
   */
  private String ask(Turn t, ChildProcess child, String command, String prefix, String during)
      throws IOException, InterruptedException {
    Workload w = t.w;
    Column c = t.c;
    try {
      if (command != null) {
        child.send(command);
      }
      if (prefix == null) {
        child.finish();
        return "";
      }
      return child.await(prefix);
    } catch (ChildProcess.Failure e) {
      child.close();
      String failure = e.getMessage() + " during " + during;
      cells.computeIfAbsent(w, k -> new LinkedHashMap<>()).put(c, new Cell(null, failure, loadAverage1()));
      System.out.println(label(w, c.title) + "FAILED: " + failure + " (see " + child.log() + ")");
      writeTable();
      return null;
    }
  }

  /** Starts the child JVM of a column on a workload, its log named after both and {@code logSuffix}. */
  private ChildProcess startChild(Column c, Workload w, String logSuffix) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(c.java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Dbench.threads=" + options.threads, "-Dbench.warmup=" + options.warmup,
        "-Dbench.budget=" + options.budget, "-Dbench.reps=" + options.reps));
    if (options.interleave > 0) {
      cmd.addAll(List.of("-Dbench.serve=true", "-Dbench.cycles=" + options.interleave,
          "-Dbench.settle=" + options.settle));
    }
    cmd.addAll(c.jdkOptions);
    cmd.addAll(c.kind.jvmOptions(options.threads, djlCache));
    cmd.addAll(options.jvmArgs);
    cmd.addAll(List.of(Child.class.getName(), c.kind.id, w.id));
    Path log = logs.resolve(c.id + "-" + w.id + logSuffix + ".log");
    return new ChildProcess(cmd, environment, log, options.timeoutSeconds);
  }

  /** Closes the child ({@link ChildProcess#close}) and takes the column's notes from its output. */
  private void close(Column c, ChildProcess child) throws IOException, InterruptedException {
    child.close();
    for (String line : child.lines()) {
      if (line.startsWith("@@note ")) {
        notes.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(line.substring(7));
      } else if (line.startsWith("Core: ")) {
        notes.computeIfAbsent(c, k -> new LinkedHashSet<>()).add("OpenBLAS core " + line.substring(6).trim());
      }
    }
  }

  private static String label(Workload w, String what) {
    return String.format("%-9s %-20s ", w.id, what);
  }

  private static String resultText(Timer.Stats stats, Workload w) {
    return String.format("%s %s  (%d reps x %d runs)", cellText(stats, w), w.unit, stats.reps(), stats.batch());
  }

  /**
   * For {@code --interleave}: every zkynet column's slice median divided by GEMM-only's and by
   * DJL's in the same cycle, as "zkynet ÷ DJL 0.61× (0.55–0.70)": the median over the cycles
   * (min–max); none where either cell failed. A variant row is timed in the cycles of its base
   * workload: it is divided by DJL's slices of the base, and a -before row's "after ÷ before" divides
   * the base row's slices by its own, column by column.
   */
  private List<String> pairedRatios(Workload w) {
    Workload base = w.computes();
    List<String> ratios = new ArrayList<>();
    List<Column> partners = w.variant == Workload.Variant.NONE
        ? Arrays.asList(column(PeerKind.GEMM), column(PeerKind.DJL)) : Arrays.asList(column(PeerKind.DJL));
    for (Column z : columns) {
      if (z.kind != PeerKind.ZKYNET) {
        continue;
      }
      for (Column p : partners) {
        if (p != null) {
          paired(w, z, base, p, z.title + " ÷ " + (p.kind == PeerKind.DJL ? "DJL" : p.title), ratios);
        }
      }
      if (w.variant == Workload.Variant.BEFORE) {
        paired(base, z, w, z, z.title + " after ÷ before", ratios);
      }
    }
    return ratios;
  }

  /**
   * Adds "{@code what} median× (min–max)" of the slice medians of column {@code x} on {@code a}
   * divided by those of {@code y} on {@code b}, cycle by cycle; nothing where either cell failed.
   */
  private void paired(Workload a, Column x, Workload b, Column y, String what, List<String> out) {
    if (!measured(cells.getOrDefault(a, Map.of()).get(x)) || !measured(cells.getOrDefault(b, Map.of()).get(y))) {
      return;
    }
    List<Cell> top = rounds.get(a).get(x);
    List<Cell> bottom = rounds.get(b).get(y);
    double[] q = IntStream.range(0, Math.min(top.size(), bottom.size()))
        .mapToDouble(i -> top.get(i).stats.median() / bottom.get(i).stats.median()).sorted().toArray();
    out.add(what + " " + number(Timer.median(q)) + "× (" + number(q[0]) + "–" + number(q[q.length - 1]) + ")");
  }

  private static boolean measured(Cell cell) {
    return cell != null && cell.stats != null;
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
      List<String> paired = new ArrayList<>();
      for (Workload w : options.interleave > 0 ? rounds.keySet() : Set.<Workload>of()) {
        List<String> r = pairedRatios(w);
        if (!r.isEmpty()) {
          paired.add("- " + w.id + ": " + String.join("; ", r));
        }
      }
      if (!paired.isEmpty()) {
        out.println("Paired ratios: in each cycle, a zkynet column's slice median ÷ its partner's in the same cycle"
            + " (a variant row's partner is DJL on the base workload; \"after ÷ before\" divides the base row's"
            + " slice by the -before row's, in the same column); the median over the cycles (min–max):");
        paired.forEach(out::println);
        out.println();
      }
      out.println((options.rounds > 1 ? "Cells: the median of " + options.rounds + " rounds' medians (the least"
          + " minimum – the largest maximum of all their timed repetitions)" : "Cells: median (min–max) over the"
          + " timed repetitions" + (options.interleave > 0 ? " of all " + options.interleave + " slices" : ""))
          + "; ratios divide medians (above 1: slower"
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
      out.println(method());
      out.println("Threads: " + options.threads + " for every peer (" + environment + "; DJL's intra- and inter-op"
          + " threads; the plain peer splits W2 into " + options.threads + " chunks).");
      out.println();
      if (options.rounds > 1 || options.interleave > 0) {
        out.println(options.rounds > 1 ? "Each round's median, in round order:" : "The slices' medians: the median"
            + " over the cycles (min–max); a column's slices in every cycle are in its log (`@@samples` lines):");
        for (Map.Entry<Workload, Map<Column, List<Cell>>> row : rounds.entrySet()) {
          Workload w = row.getKey();
          List<String> parts = new ArrayList<>();
          row.getValue().forEach((c, all) -> parts.add(c.title + " " + (options.rounds > 1
              ? String.join(", ", all.stream().map(cell -> cell.stats == null ? "FAILED"
                  : number(cell.stats.median() / w.nanosPerUnit)).toList())
              : (measured(cells.get(w).get(c)) ? "" : "FAILED after " + all.size() + " slices: ")
                  + cellText(Timer.stats(all.stream().mapToDouble(cell -> cell.stats.median()).toArray(), 1), w))));
          out.println("- " + w.id + " (" + w.unit + "): " + String.join("; ", parts));
        }
        out.println();
      }
      out.println("Repetitions × runs per repetition (" + (options.interleave > 0 ? "the highest 1-minute load"
          + " average at the start of a slice" : "1-minute load average when the cell started; the busiest round's")
          + "):");
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

  private String method() {
    String check = "set up, check against a float64 reference (a wrong number fails the cell)";
    String repetition = " A repetition times a batch of runs lasting at least " + Timer.MIN_SAMPLE_NANOS / 1_000_000
        + " ms and records the mean per run.";
    String warmup = options.warmup + " s (at least " + Timer.MIN_WARMUP_RUNS + " runs, then the batch is calibrated)";
    if (options.interleave == 0) {
      return "Method: every cell is a JVM of its own, one at a time: " + check + ", warm up for " + warmup
          + ", then up to " + options.reps + " timed repetitions (at least " + Timer.MIN_REPS + ") within "
          + options.budget + " s." + repetition;
    }
    int n = options.interleave;
    return "Method: interleaved (`--interleave " + n + "`), so that the peers of a row are compared under the same"
        + " machine conditions. For each workload, together with its variant rows (W2 with W2-op, W3 with"
        + " W3-before, W4 with W4-before and W4-op), the JVMs of all its columns start at once, each one's own:"
        + " " + check + ", then wait idle (blocked on a read) for commands. They warm up one at a time for "
        + warmup + ", the others idle. Then " + n + " cycles: in each, every column in turn takes a slice while"
        + " the others wait idle, cycle r beginning with the r-th column so that no column always follows the"
        + " same one. A slice runs " + options.settle + " s untimed (so that the previous peer's spinning native"
        + " threads have gone to sleep and the caches are this peer's), then timed repetitions for "
        + number(options.budget / n) + " s (at least " + Timer.perSlice(Timer.MIN_REPS, n) + ", at most "
        + Timer.perSlice(options.reps, n) + "). A cell pools the repetitions of its " + n + " slices: "
        + options.budget + " timed seconds in all." + repetition;
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

  /** The 1-minute load average. */
  private static String loadAverage1() {
    return loadAverage().split(",")[0];
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
