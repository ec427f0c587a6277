package zkynet.examples.chars;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.reshape;
import static zkynet.BuiltinsOps.slice;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import zkynet.DType;
import zkynet.Module;
import zkynet.NoGrad;
import zkynet.Node;
import zkynet.Operand;
import zkynet.Tensor;
import zkynet.nn.Embedding;
import zkynet.nn.GRU;
import zkynet.nn.GRUCell;
import zkynet.nn.Linear;

/** The character-level GRU learns the shipped text: a short, seeded run. */
class TrainCharsTest {
  /** The README's hand-unrolled model ("Layers"), with the sizes as parameters. */
  @Module
  static class CharModel extends Zk_TrainCharsTest_CharModel {
    final Embedding embed;
    final GRUCell cell;
    final Linear out;

    CharModel(Random rng, int vocabulary) {
      embed = new Embedding(rng, DType.FLOAT32, vocabulary, 16);
      cell = new GRUCell(rng, DType.FLOAT32, 16, 64);
      out = new Linear(rng, DType.FLOAT32, 64, vocabulary);
    }

    Node call(@NoGrad Node ids) {
      int[] s = ids.value().shape();
      Node x = embed.apply(ids);
      Operand h = Operand.constant(Tensor.zeros(DType.FLOAT32, s[0], 64));
      for (int t = 0; t < s[1]; t++) {
        h = cell.apply(reshape(slice(x, 1, t, t + 1), new int[] {s[0], 16}), h);
      }
      return out.apply(h);
    }
  }

  @Test
  void handUnrolledCellMatchesTheGruLayerAtTheLastStep() {
    CharModel m = new CharModel(new Random(5), 7);
    double[][] ids = {{1, 2, 3, 4, 5}, {6, 0, 6, 0, 6}};
    Tensor viaCell = m.apply(ids).value();
    GRU gru = new GRU(m.cell);
    Tensor states = gru.infer(m.embed.infer(ids));                    // [2, 5, 64]
    Tensor last = states.slice(1, 4, 5).reshape(2, 64);
    Tensor viaGru = m.out.infer(last);
    assertArrayEquals(viaGru.toDoubleArray(), viaCell.toDoubleArray(), 1e-6);
    assertArrayEquals(new int[] {2, 7}, viaCell.shape());
  }

  /** Stated for this budget: a uniform guess is ln 37 = 3.61 nats; this run reaches 1.13. */
  static final double SHORT_BUDGET_LOSS = 1.6;

  @Test
  void shortRunBringsTheLossBelowTheStatedThreshold() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainChars.Options o = new TrainChars.Options(70, 8, 16, 12, 32, 0.02, 3);
    TrainChars.Result r = TrainChars.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(Math.log(37), r.uniformLoss(), 1e-12, "37 distinct characters");
    assertTrue(r.firstLoss() > 3.0, "starts near the uniform guess: " + r.firstLoss());
    assertTrue(r.finalLoss() < SHORT_BUDGET_LOSS, "final loss " + r.finalLoss());
    assertEquals(60, r.sample().length());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("nats/char"));
    // deterministic: the same seed gives the same run
    TrainChars.Result again = TrainChars.run(o, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(r.finalLoss(), again.finalLoss(), 0);
    assertEquals(r.sample(), again.sample());
  }

  @Test
  void modelShapesAndParameterPaths() {
    CharGru m = new CharGru(new Random(1), DType.FLOAT32, 5, 3, 4);
    assertEquals(List.of("embed.weight", "gru.cell.weight_ih", "gru.cell.weight_hh",
        "gru.cell.bias_ih", "gru.cell.bias_hh", "out.weight", "out.bias"),
        List.copyOf(m.namedParameters().keySet()));
    assertArrayEquals(new int[] {6, 5}, m.apply(new int[][] {{0, 1, 2}, {4, 3, 2}}).value()
        .shape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.apply(new int[][] {{0, 5}}));
    assertTrue(e.getMessage().contains("at embed") && e.getMessage().contains("got 5.0"),
        e.getMessage());
  }

  @Test
  void corpusVocabularyIsSortedAndDistinct() {
    TrainChars.Corpus c = TrainChars.Corpus.of("abca");
    assertEquals("abc", c.vocabulary());
    assertThrows(IllegalArgumentException.class, () -> TrainChars.Corpus.of("a"));
    assertTrue(TrainChars.Corpus.load().text().startsWith("Twinkle, twinkle, little star,"));
  }
}
