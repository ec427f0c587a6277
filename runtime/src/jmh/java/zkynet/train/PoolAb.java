package zkynet.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/** EXPERIMENT: alternate pooled and fresh W3 steps; thread CPU and wall time per step. */
public class PoolAb {
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    MlpStepBenchmark b = new MlpStepBenchmark();
    b.setUp();
    int rounds = Integer.parseInt(args[0]);
    int steps = 300;
    long[][] cpu = new long[2][rounds * steps];
    long[][] wall = new long[2][rounds * steps];
    for (int w = 0; w < 3000; w++) {
      b.close = w % 2 == 0;
      b.step();
    }
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < 2; m++) {
        b.close = m == 1;
        for (int s = 0; s < steps; s++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          b.step();
          wall[m][r * steps + s] = System.nanoTime() - t0;
          cpu[m][r * steps + s] = mx.getCurrentThreadCpuTime() - c0;
        }
      }
    }
    for (int m = 0; m < 2; m++) {
      Arrays.sort(cpu[m]);
      Arrays.sort(wall[m]);
      int n = cpu[m].length;
      System.out.printf("%s cpu min %.3f p10 %.3f med %.3f | wall min %.3f p10 %.3f med %.3f ms%n",
          m == 1 ? "closed" : "open  ", cpu[m][0] / 1e6, cpu[m][n / 10] / 1e6, cpu[m][n / 2] / 1e6,
          wall[m][0] / 1e6, wall[m][n / 10] / 1e6, wall[m][n / 2] / 1e6);
    }
  }
}
