package zkynet.bench;

import java.util.Arrays;

/**
 * Warm-up, then timed repetitions within a time budget. A repetition (sample) times a batch of
 * runs long enough to be measured well (at least {@link #MIN_SAMPLE_NANOS}) and records the mean
 * time per run; fast workloads thus get batches, slow ones one run per sample. {@link #measure}
 * does it all at once; the interleaved mode ({@link Child}'s serve mode) calls {@link #warmUp} once
 * and {@link #settle} and {@link #sample} for every slice.
 */
final class Timer {
  private Timer() {}

  static final int MIN_WARMUP_RUNS = 5;
  static final int MIN_REPS = 5;
  static final long MIN_SAMPLE_NANOS = 1_000_000;
  private static final long CALIBRATION_NANOS = 20_000_000;

  /** Nanoseconds per run: median, min and max over {@code reps} samples of {@code batch} runs each. */
  record Stats(double median, double min, double max, int reps, int batch) {}

  /** Where the runs' results go, so that the JIT cannot drop them. */
  static volatile double sink;

  /**
   * Warms up for {@code warmupSeconds} (and at least {@link #MIN_WARMUP_RUNS} runs), then takes
   * samples until {@code budgetSeconds} have passed, at least {@link #MIN_REPS} and at most
   * {@code maxReps}.
   */
  static Stats measure(Step step, double warmupSeconds, double budgetSeconds, int maxReps) {
    int batch = warmUp(step, warmupSeconds);
    return stats(sample(step, batch, budgetSeconds, MIN_REPS, maxReps), batch);
  }

  /**
   * Runs the step for {@code warmupSeconds} (at least {@link #MIN_WARMUP_RUNS} runs), then returns
   * the batch size: the runs that last {@link #MIN_SAMPLE_NANOS}, from the time per run measured as
   * the fastest of chunks of 1, 2, 4, ... runs (a chunk in which the process lost the CPU does not
   * count) for {@link #CALIBRATION_NANOS}.
   */
  static int warmUp(Step step, double warmupSeconds) {
    settle(step, warmupSeconds, MIN_WARMUP_RUNS);
    double acc = 0;
    double perRun = Double.MAX_VALUE;
    long start = System.nanoTime();
    for (int chunk = 1; System.nanoTime() - start < CALIBRATION_NANOS; chunk = Math.min(2 * chunk, 1 << 24)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < chunk; i++) {
        acc += step.run();
      }
      perRun = Math.min(perRun, (double) (System.nanoTime() - t0) / chunk);
    }
    sink += acc;
    return (int) Math.max(1, Math.ceil(MIN_SAMPLE_NANOS / perRun));
  }

  /** Untimed runs for {@code seconds}, at least {@code minRuns} of them. */
  static void settle(Step step, double seconds, int minRuns) {
    double acc = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int runs = 0; runs < minRuns || System.nanoTime() < end; runs++) {
      acc += step.run();
    }
    sink += acc;
  }

  /**
   * Samples of {@code batch} runs each (nanoseconds per run, in the order taken) until
   * {@code seconds} have passed, at least {@code minReps} and at most {@code maxReps}.
   */
  static double[] sample(Step step, int batch, double seconds, int minReps, int maxReps) {
    double acc = 0;
    double[] samples = new double[Math.max(minReps, maxReps)];
    int reps = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (reps < minReps || (reps < samples.length && System.nanoTime() < end)) {
      long t0 = System.nanoTime();
      for (int b = 0; b < batch; b++) {
        acc += step.run();
      }
      samples[reps++] = (double) (System.nanoTime() - t0) / batch;
    }
    sink += acc;
    return Arrays.copyOf(samples, reps);
  }

  /** Median (of the two middle ones for an even count), min and max of samples of {@code batch} runs. */
  static Stats stats(double[] samples, int batch) {
    double[] s = samples.clone();
    Arrays.sort(s);
    return new Stats(median(s), s[0], s[s.length - 1], s.length, batch);
  }

  /** A count split over {@code slices} slices: the count per slice, rounded up. */
  static int perSlice(int count, int slices) {
    return (count + slices - 1) / slices;
  }

  /** The middle value of sorted numbers, or the mean of the two middle ones. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
  }
}
