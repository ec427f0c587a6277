package zkynet.io;

import java.nio.file.Path;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.train.TrainModels;

/**
 * The child process of {@link CheckpointFaultTest}: saves a checkpoint whose values all equal the
 * generation number, and is killed by the test. {@code pause}: saves generation 1 but stops between
 * its two entries (printing {@code MIDSAVE}) until killed. {@code loop}: saves generations 1, 2, 3,
 * ... until killed, printing {@code saved N} after each.
 */
public final class SaveLoop {
  private SaveLoop() {}

  /** A Net whose parameters all equal {@code generation}: w [rows, 64] and b [64]. */
  static TrainModels.Net net(int rows, double generation) {
    return new TrainModels.Net(Tensor.full(generation, DType.FLOAT32, rows, 64),
        Tensor.full(generation, DType.FLOAT32, 64));
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rows = Integer.parseInt(args[2]);
    if (args[1].equals("pause")) {
      Checkpoints.save(net(rows, 1), file, name -> {
        if (name.equals("dense.b")) {
          System.out.println("MIDSAVE");
          System.out.flush();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted mid-save");
          }
        }
      });
      return;
    }
    for (int generation = 1; ; generation++) {
      Checkpoints.save(net(rows, generation), file);
      System.out.println("saved " + generation);
      System.out.flush();
    }
  }
}
