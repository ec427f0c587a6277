package zkynet.examples.digits;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.Tensor;
import zkynet.backend.Backends;
import zkynet.train.Dataset;

/**
 * Measures {@code infer} against {@code apply(...).value()} on the demo's digits MLP (64-256-10,
 * float32) over the whole optdigits test set (1,797 rows), as one batch and row by row (1,797 calls,
 * where per-call bookkeeping counts most). Runs of the two alternate, after a warm-up, so that a
 * busy machine slows both alike. Reports per pass: time (median, min), Java heap bytes allocated
 * (all threads, {@code ThreadMXBean.getThreadAllocatedBytes}), and what the result keeps reachable
 * (for {@code apply} the values of every node of its graph, kept until the graph is dropped; for
 * {@code infer} the logits alone): the tensor bytes counted, and the heap in use after a full GC
 * with the result held minus without it (meaningful with the JVM backend, whose tensors live on the
 * heap; ND4J's live off it). Not run by {@code mvn verify}:
 * {@code mvn -B -DskipTests -Pinfer-bench package} from the repository root.
 */
public final class InferenceBench {
  private static final int WARMUP = 20;
  private static final int RUNS = 31;

  private InferenceBench() {}

  public static void main(String[] args) {
    Dataset test = OptDigits.test(DType.FLOAT32);
    int[] sizes = TrainDigits.Options.defaults().sizes();
    Mlp mlp = new Mlp(new Random(42), DType.FLOAT32, sizes);
    Tensor all = test.features();
    Tensor[] rows = new Tensor[test.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = test.batch(new int[] {i}).x();
    }
    System.out.printf(Locale.ROOT, "MLP %s float32, %d test rows, Java %s, %d cores, %s%n",
        Arrays.toString(sizes), test.size(), Runtime.version(),
        Runtime.getRuntime().availableProcessors(), Backends.current().getClass().getSimpleName());
    ModuleGraph graph = mlp.apply(all);
    Tensor logits = mlp.infer(all);
    if (!Arrays.equals(graph.value().toDoubleArray(), logits.toDoubleArray())) {
      throw new AssertionError("infer and apply disagree");
    }
    System.out.printf(Locale.ROOT, "the result keeps reachable: apply %.2f MB of tensors (%d nodes), "
        + "%.2f MB of heap; infer %.2f MB of tensors, %.2f MB of heap%n", graphBytes(graph) / 1e6,
        graph.nodes().size(), heldHeap(() -> mlp.apply(all)) / 1e6, bytes(logits) / 1e6,
        heldHeap(() -> mlp.infer(all)) / 1e6);
    compare("whole test set, one batch", () -> mlp.apply(all).value(), () -> mlp.infer(all));
    compare("row by row", () -> each(rows, x -> mlp.apply(x).value()), () -> each(rows, mlp::infer));
  }

  private static Tensor each(Tensor[] rows, Function<Tensor, Tensor> f) {
    Tensor last = null;
    for (Tensor x : rows) {
      last = f.apply(x);
    }
    return last;
  }

  private static void compare(String shape, Supplier<Tensor> apply, Supplier<Tensor> infer) {
    for (int i = 0; i < WARMUP; i++) {
      apply.get();
      infer.get();
    }
    long[][] nanos = new long[2][RUNS];
    long[][] bytes = new long[2][RUNS];
    for (int i = 0; i < RUNS; i++) {
      measure(apply, nanos[0], bytes[0], i);
      measure(infer, nanos[1], bytes[1], i);
    }
    String[] names = {"apply", "infer"};
    for (int k = 0; k < 2; k++) {
      Arrays.sort(nanos[k]);
      Arrays.sort(bytes[k]);
      System.out.printf(Locale.ROOT, "%-26s %s: median %8.3f ms, min %8.3f ms; heap allocated "
          + "%7.2f MB (median)%n", shape, names[k], nanos[k][RUNS / 2] / 1e6, nanos[k][0] / 1e6,
          bytes[k][RUNS / 2] / 1e6);
    }
  }

  private static void measure(Supplier<Tensor> pass, long[] nanos, long[] bytes, int i) {
    long b0 = allocatedBytes();
    long t0 = System.nanoTime();
    pass.get();
    nanos[i] = System.nanoTime() - t0;
    bytes[i] = allocatedBytes() - b0;
  }

  /** The bytes of the distinct tensors that are values of the graph's nodes. */
  private static long graphBytes(ModuleGraph graph) {
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    long sum = 0;
    for (Node n : graph.nodes()) {
      if (seen.put(n.value(), Boolean.TRUE) == null) {
        sum += bytes(n.value());
      }
    }
    return sum;
  }

  private static long bytes(Tensor t) {
    return t.size() * (t.dtype() == DType.FLOAT64 ? 8 : 4);
  }

  /** Heap in use after a full GC while holding what {@code make} returns, minus without (median of 5). */
  private static long heldHeap(Supplier<Object> make) {
    long[] d = new long[5];
    for (int i = 0; i < d.length; i++) {
      long base = heapAfterGc();
      Object held = make.get();
      d[i] = heapAfterGc() - base;
      Objects.requireNonNull(held); // held until here
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long allocatedBytes() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(b, 0);
    }
    return sum;
  }
}
