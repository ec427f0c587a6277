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
   * as many samples as fit in {@code budgetSeconds}, at least {@link #MIN_REPS} and at most
   * {@code maxReps}.
   */
  static Stats measure(Step step, double warmupSeconds, double budgetSeconds, int maxReps) {
    double acc = 0;
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    for (int runs = 0; runs < MIN_WARMUP_RUNS || System.nanoTime() < warmupEnd; runs++) {
      acc += step.run();
    }
    int calibrationRuns = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      acc += step.run();
      calibrationRuns++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < CALIBRATION_NANOS);
    double perRun = (double) elapsed / calibrationRuns;
    int batch = (int) Math.max(1, Math.ceil(MIN_SAMPLE_NANOS / perRun));
    int reps = (int) Math.max(MIN_REPS, Math.min(maxReps, budgetSeconds * 1e9 / (perRun * batch)));
    double[] samples = new double[reps];
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      for (int b = 0; b < batch; b++) {
        acc += step.run();
      }
      samples[r] = (double) (System.nanoTime() - t0) / batch;
    }
    sink = acc;
    Arrays.sort(samples);
    double median = (samples[(reps - 1) / 2] + samples[reps / 2]) / 2;
    return new Stats(median, samples[0], samples[reps - 1], reps, batch);
  }
}
