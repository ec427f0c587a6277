package zkynet.backend;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import zkynet.DType;
import zkynet.Tensor;

/**
 * Not a unit test: a benchmark main for the OpenBLAS core-type tuning. Times a 256x256 float32
 * matmul (median and best of 200 runs after warm-up) through {@link Tensor#matmul} and through ND4J
 * directly, and prints which OpenBLAS core is in use (read from the loaded library, so it shows
 * whether the {@code OPENBLAS_CORETYPE} set before loading took effect). Compare a plain run with one under
 * {@code -Dzkynet.openblas.coretype=none}:
 *
 * <pre>
 * java -cp runtime/target/classes:runtime/target/test-classes:$(deps) zkynet.backend.MatmulSpeedCheck
 * java -Dzkynet.openblas.coretype=none -cp ... zkynet.backend.MatmulSpeedCheck
 * </pre>
 */
public final class MatmulSpeedCheck {
  private MatmulSpeedCheck() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Random rng = new Random(0);
    Backends.use("nd4j"); // the tuning concerns ND4J's OpenBLAS
    Tensor a = Tensor.randn(rng, DType.FLOAT32, n, n);
    Tensor b = Tensor.randn(rng, DType.FLOAT32, n, n);
    System.out.println("tuning:   " + OpenBlasTuning.status());
    System.out.println("openblas: " + OpenBlasTuning.loadedCoreName());

    double[] tensorMs = time(runs, () -> a.matmul(b));
    INDArray x = Nd4jInterop.toINDArray(a);
    INDArray y = Nd4jInterop.toINDArray(b);
    double[] nd4jMs = time(runs, () -> x.mmul(y));
    System.out.printf("%dx%d float32 matmul over %d runs: Tensor.matmul median %.3f ms (min %.3f),"
        + " INDArray.mmul median %.3f ms (min %.3f)%n",
        n, n, runs, tensorMs[runs / 2], tensorMs[0], nd4jMs[runs / 2], nd4jMs[0]);
  }

  /** Sorted times in ms of {@code runs} calls after warm-up. */
  private static double[] time(int runs, Runnable op) {
    for (int i = 0; i < Math.max(20, runs / 4); i++) {
      op.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      op.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }
}
