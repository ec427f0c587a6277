package zkynet.examples.chars;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import zkynet.DType;
import zkynet.ModuleGraph;
import zkynet.Tensor;
import zkynet.train.Adam;
import zkynet.train.CrossEntropyLoss;
import zkynet.train.Labels;
import zkynet.train.Metrics;

/**
 * Trains {@link CharGru} to predict the next character of a short shipped text (Jane Taylor's
 * "The Star", 1806, public domain: {@code /chars/the-star.txt}), then writes a greedy sample.
 * Each step takes {@code batch} windows of {@code length} characters at random offsets (from a
 * seeded {@link Random}); the loss is the mean cross-entropy of the next character over every
 * position, in nats (ln of the vocabulary size for a uniform guess).
 */
public final class TrainChars {
  private TrainChars() {}

  public static final String TEXT_RESOURCE = "/chars/the-star.txt";

  /** The settings; {@link #defaults()} are the demo's. */
  public record Options(int steps, int batch, int length, int embedding, int hidden, double lr,
      long seed) {
    /** 200 steps of 16 windows of 24 characters, embedding 16, hidden 64, Adam lr 0.01, seed 1. */
    public static Options defaults() {
      return new Options(200, 16, 24, 16, 64, 0.01, 1);
    }

    public Options withSteps(int n) {
      return new Options(n, batch, length, embedding, hidden, lr, seed);
    }
  }

  /**
   * The loss of the first step and the mean loss of the last ten, the uniform guess's loss (ln of
   * the vocabulary), the seconds spent training, a greedy continuation of the text's first line,
   * and the model.
   */
  public record Result(double firstLoss, double finalLoss, double uniformLoss, double seconds,
      String sample, CharGru model) {}

  /** The text, with its distinct characters as the vocabulary (sorted). */
  public record Corpus(String text, String vocabulary) {
    public static Corpus load() {
      try (InputStream in = TrainChars.class.getResourceAsStream(TEXT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(TEXT_RESOURCE + " is not on the classpath");
        }
        return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public static Corpus of(String text) {
      if (text.length() < 2) {
        throw new IllegalArgumentException("the text needs at least two characters");
      }
      TreeSet<Character> set = new TreeSet<>();
      for (char c : text.toCharArray()) {
        set.add(c);
      }
      StringBuilder v = new StringBuilder();
      set.forEach(v::append);
      return new Corpus(text, v.toString());
    }

    int id(int position) {
      return vocabulary.indexOf(text.charAt(position));
    }
  }

  public static Result run(Options o, PrintStream out) {
    Corpus corpus = Corpus.load();
    if (o.length() >= corpus.text().length()) {
      throw new IllegalArgumentException("window length " + o.length() + " must be shorter than "
          + "the text (" + corpus.text().length() + " characters)");
    }
    Random rng = new Random(o.seed());
    CharGru model = new CharGru(rng, DType.FLOAT32, corpus.vocabulary().length(), o.embedding(),
        o.hidden());
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    Adam adam = new Adam(model, o.lr());
    adam.clipGradientNorm(1.0);
    out.printf(Locale.ROOT, "text: %d characters, %d distinct; Embedding(%d) -> GRU(%d) -> Linear, "
        + "%d steps of %d windows of %d, Adam lr %s, seed %d%n", corpus.text().length(),
        corpus.vocabulary().length(), o.embedding(), o.hidden(), o.steps(), o.batch(), o.length(),
        o.lr(), o.seed());
    long start = System.nanoTime();
    List<Double> losses = new ArrayList<>();
    for (int step = 1; step <= o.steps(); step++) {
      double[] x = new double[o.batch() * o.length()];
      int[] y = new int[x.length];
      for (int b = 0; b < o.batch(); b++) {
        int offset = rng.nextInt(corpus.text().length() - o.length());
        for (int t = 0; t < o.length(); t++) {
          x[b * o.length() + t] = corpus.id(offset + t);
          y[b * o.length() + t] = corpus.id(offset + t + 1);
        }
      }
      // Closed after the step: the next step's kernels reuse its memory.
      try (ModuleGraph g = loss.apply(Tensor.of(x, DType.FLOAT32, o.batch(), o.length()),
          Labels.tensor(y))) {
        losses.add(g.value().item());
        g.backParameters();
        adam.step(g);
        if (step % 50 == 0 || step == o.steps()) {
          out.printf(Locale.ROOT, "step %4d  loss %.3f nats/char%n", step, g.value().item());
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double last = losses.subList(Math.max(0, losses.size() - 10), losses.size()).stream()
        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    String prompt = corpus.text().substring(0, corpus.text().indexOf('\n') + 1);
    String sample = sample(model, corpus, prompt, 60);
    double uniform = Math.log(corpus.vocabulary().length());
    out.printf(Locale.ROOT, "loss %.3f -> %.3f nats/char (uniform guess %.3f) in %.1f s%n",
        losses.get(0), last, uniform, seconds);
    out.println("greedy continuation of the first line:");
    out.println(prompt + sample);
    return new Result(losses.get(0), last, uniform, seconds, sample, model);
  }

  /** {@code n} characters after {@code prompt}, each the most likely one (no graph: infer). */
  public static String sample(CharGru model, Corpus corpus, String prompt, int n) {
    StringBuilder s = new StringBuilder(prompt);
    for (int i = 0; i < n; i++) {
      double[] ids = new double[s.length()];
      for (int t = 0; t < ids.length; t++) {
        int id = corpus.vocabulary().indexOf(s.charAt(t));
        if (id < 0) {
          throw new IllegalArgumentException("prompt character '" + s.charAt(t)
              + "' is not in the text's vocabulary");
        }
        ids[t] = id;
      }
      Tensor logits = model.infer(Tensor.of(ids, DType.FLOAT32, 1, ids.length));
      int[] next = Metrics.predictions(logits);
      s.append(corpus.vocabulary().charAt(next[next.length - 1]));
    }
    return s.substring(prompt.length());
  }

  public static void main(String[] args) {
    Options o = Options.defaults();
    if (args.length > 0) {
      o = o.withSteps(Integer.parseInt(args[0]));
    }
    run(o, System.out);
  }
}
