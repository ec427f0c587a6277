package zkynet.examples.digits;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.Dataset;

/**
 * Measures {@code infer} against {@code apply(...).value()} on the demo's digits MLP (64-256-10,
 * float32) over the whole optdigits test set (1,797 rows): time per pass (median and min after
 * warm-up), bytes allocated per pass (all threads, {@code ThreadMXBean.getThreadAllocatedBytes}),
 * and the heap the result keeps reachable (the graph and its intermediates for {@code apply}; the
 * logits alone for {@code infer}), measured after a full GC. Two shapes: the test set as one batch,
 * and row by row (1,797 calls, where per-call bookkeeping dominates). Not run by {@code mvn verify}:
 * {@code mvn -B -DskipTests -Pinfer-bench package} from the repository root.
 */
public final class InferenceBench {
  private static final int WARMUP = 30;
  private static final int RUNS = 25;

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
    System.out.printf(Locale.ROOT, "MLP %s float32, %d test rows, Java %s, %d cores%n",
        Arrays.toString(sizes), test.size(), Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    if (!Arrays.equals(mlp.apply(all).value().toDoubleArray(), mlp.infer(all).toDoubleArray())) {
      throw new AssertionError("infer and apply disagree");
    }
    report("whole test set, one batch", "apply", () -> mlp.apply(all).value(), () -> mlp.apply(all));
    report("whole test set, one batch", "infer", () -> mlp.infer(all), () -> mlp.infer(all));
    report("row by row", "apply", () -> each(rows, x -> mlp.apply(x).value()), null);
    report("row by row", "infer", () -> each(rows, mlp::infer), null);
  }

  private static Object each(Tensor[] rows, Function<Tensor, Tensor> f) {
    Tensor last = null;
    for (Tensor x : rows) {
      last = f.apply(x);
    }
    return last;
  }

  private static void report(String shape, String how, java.util.function.Supplier<Object> pass,
      java.util.function.Supplier<Object> kept) {
    for (int i = 0; i < WARMUP; i++) {
      pass.get();
    }
    long[] nanos = new long[RUNS];
    long[] bytes = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long b0 = allocatedBytes();
      long t0 = System.nanoTime();
      pass.get();
      nanos[i] = System.nanoTime() - t0;
      bytes[i] = allocatedBytes() - b0;
    }
    Arrays.sort(nanos);
    Arrays.sort(bytes);
    String retained = "";
    if (kept != null) {
      retained = String.format(Locale.ROOT, ", result keeps %.2f MB reachable", retainedBytes(kept) / 1e6);
    }
    System.out.printf(Locale.ROOT, "%-26s %s: median %.3f ms, min %.3f ms; allocated %.2f MB "
        + "(median)%s%n", shape, how, nanos[RUNS / 2] / 1e6, nanos[0] / 1e6, bytes[RUNS / 2] / 1e6,
        retained);
  }

  /** Heap in use after a full GC while the result is held, minus the same without it (median of 5). */
  private static long retainedBytes(java.util.function.Supplier<Object> kept) {
    long[] d = new long[5];
    for (int i = 0; i < d.length; i++) {
      long base = usedAfterGc();
      Object held = kept.get();
      long with = usedAfterGc();
      d[i] = with - base;
      if (held.hashCode() == 42) { // keep it reachable until here
        System.out.print("");
      }
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }

  private static long usedAfterGc() {
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
