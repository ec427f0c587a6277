package zkynet.bench;

import java.util.Arrays;

/**
 * Warm-up, then timed repetitions within a time budget. A repetition (sample) times a batch of
 * runs long enough to be measured well (at least {@link #MIN_SAMPLE_NANOS}) and records the mean
 * time per run; fast workloads thus get batches, slow ones one run per sample.
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
    double acc = 0;
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    for (int runs = 0; runs < MIN_WARMUP_RUNS || System.nanoTime() < warmupEnd; runs++) {
      acc += step.run();
    }
    // The time per run: the fastest of chunks of 1, 2, 4, ... runs (a chunk in which the process
    // lost the CPU does not count), for CALIBRATION_NANOS.
    double perRun = Double.MAX_VALUE;
    long start = System.nanoTime();
    for (int chunk = 1; System.nanoTime() - start < CALIBRATION_NANOS; chunk = Math.min(2 * chunk, 1 << 24)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < chunk; i++) {
        acc += step.run();
      }
      perRun = Math.min(perRun, (double) (System.nanoTime() - t0) / chunk);
    }
    int batch = (int) Math.max(1, Math.ceil(MIN_SAMPLE_NANOS / perRun));
    double[] samples = new double[Math.max(MIN_REPS, maxReps)];
    int reps = 0;
    long budgetEnd = System.nanoTime() + (long) (budgetSeconds * 1e9);
    while (reps < MIN_REPS || (reps < samples.length && System.nanoTime() < budgetEnd)) {
      long t0 = System.nanoTime();
      for (int b = 0; b < batch; b++) {
        acc += step.run();
      }
      samples[reps++] = (double) (System.nanoTime() - t0) / batch;
    }
    sink = acc;
    samples = Arrays.copyOf(samples, reps);
    Arrays.sort(samples);
    double median = (samples[(reps - 1) / 2] + samples[reps / 2]) / 2;
    return new Stats(median, samples[0], samples[reps - 1], reps, batch);
  }
}
