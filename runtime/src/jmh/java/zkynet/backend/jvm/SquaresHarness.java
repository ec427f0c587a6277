package zkynet.backend.jvm;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Not a unit test: the harness that compares the forms of the float32 sum of squares on one thread
 * (wall clock; warm-up, then the median and minimum of many calls, the forms interleaved round by round
 * so that a noisy neighbour hits them alike). Run it on each JDK after {@code mvn -B -DskipTests package}:
 *
 * <pre>
 * javac -d /tmp/sq -cp runtime/target/classes runtime/src/jmh/java/zkynet/backend/jvm/SquaresHarness.java
 * java -cp runtime/target/classes:/tmp/sq zkynet.backend.jvm.SquaresHarness
 * </pre>
 */
public final class SquaresHarness {
  private SquaresHarness() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int calls = 50;
    String[] names = {"chains (old, 17)", "byColumns (old, 21+)", "inFloat (new, 17)"};
    for (int rows : new int[] {784, 256, 128}) {
      float[] x = new float[rows * 256];
      Random rng = new Random(rows);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rng.nextGaussian() * 0.01);
      }
      @SuppressWarnings("unchecked")
      ToDoubleFunction<float[]>[] forms = new ToDoubleFunction[] {
          (ToDoubleFunction<float[]>) y -> Reductions.squaresInChains(y, 0, y.length),
          (ToDoubleFunction<float[]>) y -> Reductions.squaresByColumns(y, 0, y.length),
          (ToDoubleFunction<float[]>) y -> Reductions.squaresInFloat(y, 0, y.length)};
      double sink = 0;
      for (ToDoubleFunction<float[]> f : forms) {
        for (int w = 0; w < 5000; w++) {
          sink += f.applyAsDouble(x);
        }
      }
      long[][] ns = new long[forms.length][rounds * calls];
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < forms.length; k++) {
          for (int c = 0; c < calls; c++) {
            long t0 = System.nanoTime();
            sink += forms[k].applyAsDouble(x);
            ns[k][r * calls + c] = System.nanoTime() - t0;
          }
        }
      }
      for (int k = 0; k < forms.length; k++) {
        long[] t = ns[k];
        Arrays.sort(t);
        System.out.printf("Java %d  %3d x 256  %-22s median %7.1f us  min %7.1f us%n", Runtime.version().feature(),
            rows, names[k], t[t.length / 2] / 1e3, t[0] / 1e3);
      }
      if (sink == 42) {
        System.out.println();
      }
    }
  }
}
