package zkynet.examples.chars;

import static zkynet.BuiltinsOps.reshape;

import java.util.Random;
import zkynet.DType;
import zkynet.Module;
import zkynet.NoGrad;
import zkynet.Node;
import zkynet.nn.Embedding;
import zkynet.nn.GRU;
import zkynet.nn.Linear;

/**
 * A character-level language model: each character index is embedded, a {@link GRU} reads the
 * sequence, and a {@link Linear} layer turns every hidden state into logits for the next
 * character. Input {@code [batch, time]} indices; output {@code [batch * time, vocabulary]}
 * logits (row {@code b * time + t} predicts the character after position t of sequence b).
 */
@Module
public class CharGru extends Zk_CharGru {
  final Embedding embed;
  final GRU gru;
  final Linear out;

  public CharGru(Random rng, DType dtype, int vocabulary, int embedding, int hidden) {
    this.embed = new Embedding(rng, dtype, vocabulary, embedding);
    this.gru = new GRU(rng, dtype, embedding, hidden);
    this.out = new Linear(rng, dtype, hidden, vocabulary);
  }

  /** The number of distinct characters. */
  public int vocabulary() {
    return embed.num();
  }

  Node call(@NoGrad Node ids) {
    int[] s = ids.shape();
    Node h = gru.apply(embed.apply(ids)); // [batch, time, hidden]
    return out.apply(reshape(h, new int[] {s[0] * s[1], gru.cell().hiddenSize()}));
  }
}
