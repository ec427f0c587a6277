package zkynet.examples;

import java.nio.file.Path;
import zkynet.examples.chars.TrainChars;
import zkynet.examples.digits.TrainDigits;
import zkynet.examples.digits.TrainDigitsCnn;
import zkynet.examples.xor.TrainXor;

/** The parts of the demo after the seed's numbers: pictures, then training on real data. */
final class DemoExtras {
  private DemoExtras() {}

  static void run(Path out) {
    Demo.section("Pictures of the computational graphs (the seed's plot_cg)");
    for (Path png : Pictures.writeAll(out)) {
      System.out.println("wrote " + png + " (and .svg, .dot)");
    }

    Demo.section("Training an MLP on handwritten digits (UCI optdigits)");
    TrainDigits.Result digits = TrainDigits.run(TrainDigits.Options.defaults()
        .withOutputDir(out).withCheckpoint(out.resolve("digits-mlp.npz")));
    System.out.printf("held-out test accuracy %.2f%%, training %.1f s%n",
        100 * digits.testAccuracy(), digits.trainSeconds());

    Demo.section("A small convolutional network on the same digits (8x8 images, zkynet.nn layers)");
    TrainDigitsCnn.Result cnn = TrainDigitsCnn.run(TrainDigitsCnn.Options.defaults()
        .withOutputDir(out));
    System.out.printf("held-out test accuracy %.2f%% (MLP above: %.2f%%), training %.1f s%n",
        100 * cnn.testAccuracy(), 100 * digits.testAccuracy(), cnn.trainSeconds());

    Demo.section("A character-level GRU on a short shipped text");
    TrainChars.run(TrainChars.Options.defaults(), System.out);

    Demo.section("The classic XOR network");
    TrainXor.run(System.out);
  }
}
