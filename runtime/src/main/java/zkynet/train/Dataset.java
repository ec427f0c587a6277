package zkynet.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import zkynet.DType;
import zkynet.Tensor;

/**
 * A dataset held in memory: features of shape {@code [N, ...]} (one row per example) and, per row,
 * either an integer class label (classification) or a float target of any shape (regression:
 * targets {@code [N, ...]}). Immutable. Features and targets are kept in the storage of their dtype
 * (float32 rows as {@code float[]}), and mini-batches are copied from it directly.
 *
 * <p>Mini-batches are cut in order or in a shuffled order drawn from a {@link Random}, so a seeded
 * source gives the same batches on every run; every row appears exactly once per epoch (the last
 * batch is smaller when the batch size does not divide N). {@link #split} holds out a seeded
 * validation set.
 */
public final class Dataset {
  private final Rows features;
  private final int[] labels; // classification, else null
  private final Rows targets; // regression, else null

  /** Classification: features {@code [N, ...]} and one non-negative class label per row. */
  public Dataset(Tensor features, int[] labels) {
    this(Rows.of(Objects.requireNonNull(features, "features"), "features"),
        Objects.requireNonNull(labels, "labels").clone(), null);
  }

  /**
   * Regression: features {@code [N, ...]} and targets {@code [N, ...]} (any trailing shape, e.g.
   * {@code [N]} or {@code [N, 3]}), kept in the targets' own dtype.
   */
  public Dataset(Tensor features, Tensor targets) {
    this(Rows.of(Objects.requireNonNull(features, "features"), "features"), null,
        Rows.of(Objects.requireNonNull(targets, "targets"), "targets"));
  }

  /**
   * Classification over float32 features in {@code data}, row-major with the given shape {@code [N,
   * ...]}. The array is kept, not copied (loaders use this to avoid a second copy of large data):
   * do not modify it afterwards.
   */
  public static Dataset ofFloats(float[] data, int[] shape, int[] labels) {
    return new Dataset(Rows.ofFloats(Objects.requireNonNull(data, "data"), shape),
        Objects.requireNonNull(labels, "labels").clone(), null);
  }

  /**
   * Regression over float32 features {@code [N, ...]} and float32 targets {@code [N, ...]}, both
   * row-major and kept, not copied: do not modify the arrays afterwards.
   */
  public static Dataset ofFloats(float[] data, int[] shape, float[] targets, int[] targetShape) {
    return new Dataset(Rows.ofFloats(Objects.requireNonNull(data, "data"), shape), null,
        Rows.ofFloats(Objects.requireNonNull(targets, "targets"), targetShape));
  }

  private Dataset(Rows features, int[] labels, Rows targets) {
    this.features = features;
    this.labels = labels;
    this.targets = targets;
    int n = labels != null ? labels.length : targets.count();
    if (features.count() != n) {
      throw new IllegalArgumentException("Dataset: " + features.count() + " feature rows but " + n
          + (labels != null ? " labels" : " target rows"));
    }
    if (labels != null) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0) {
          throw new IllegalArgumentException("Dataset: labels[" + i + "] = " + labels[i] + " is negative");
        }
      }
    }
  }

  /** Number of rows. */
  public int size() {
    return features.count();
  }

  /** The shape of one row of features. */
  public int[] rowShape() {
    return features.rowShape();
  }

  /** The dtype of the features. */
  public DType dtype() {
    return features.dtype();
  }

  /** Whether rows carry class labels (else float targets). */
  public boolean isClassification() {
    return labels != null;
  }

  /** All features, {@code [N, ...]}. */
  public Tensor features() {
    return features.all();
  }

  /** All class labels (a copy); an error for a regression dataset. */
  public int[] labels() {
    return requireLabels("labels()").clone();
  }

  /**
   * All targets: {@code [N, ...]} for regression; for classification the labels as a rank-1 tensor
   * of class indices in the features' dtype (see {@link Labels}).
   */
  public Tensor targets() {
    return labels != null ? Labels.tensor(labels, dtype()) : targets.all();
  }

  /** The shape of one row's target: {@code []} for a class label. */
  public int[] targetShape() {
    return labels != null ? new int[0] : targets.rowShape();
  }

  /** Number of classes: the largest label plus one (0 for an empty dataset). */
  public int numClasses() {
    int max = -1;
    for (int l : requireLabels("numClasses()")) {
      max = Math.max(max, l);
    }
    return max + 1;
  }

  private int[] requireLabels(String what) {
    if (labels == null) {
      throw new IllegalStateException("Dataset." + what + ": this is a regression dataset (targets of "
          + "row shape " + Arrays.toString(targets.rowShape()) + "), it has no class labels; use targets()");
    }
    return labels;
  }

  /**
   * One mini-batch: features {@code x}, targets {@code y} (class indices as a rank-1 tensor in x's
   * dtype, or the float targets), the class labels ({@code null} for regression) and the row
   * indices it was cut from.
   */
  public record Batch(Tensor x, Tensor y, int[] labels, int[] rows) {
    /** Number of rows in the batch. */
    public int size() {
      return rows.length;
    }

    /** The class labels; an error for a batch of a regression dataset. */
    @Override
    public int[] labels() {
      if (labels == null) {
        throw new IllegalStateException("Batch.labels(): a regression batch has no class labels; use y()");
      }
      return labels;
    }

    /** The labels as a rank-1 tensor of class indices in the features' dtype (see {@link Labels}). */
    public Tensor labelTensor() {
      labels();
      return y;
    }
  }

  /** The rows with the given indices (in that order) as one batch. */
  public Batch batch(int[] rows) {
    Dataset part = subset(rows);
    return new Batch(part.features(), part.targets(), part.labels, rows.clone());
  }

  /** A new dataset of the given rows (in that order). */
  public Dataset subset(int[] rows) {
    int[] checked = rowsOf(rows);
    if (labels == null) {
      return new Dataset(features.subset(checked), null, targets.subset(checked));
    }
    int[] y = new int[checked.length];
    for (int i = 0; i < checked.length; i++) {
      y[i] = labels[checked[i]];
    }
    return new Dataset(features.subset(checked), y, null);
  }

  /** A copy of {@code rows}, each checked to be in range. */
  private int[] rowsOf(int[] rows) {
    int n = size();
    for (int r : rows) {
      if (r < 0 || r >= n) {
        throw new IndexOutOfBoundsException("Dataset: row " + r + " out of range [0, " + n + ")");
      }
    }
    return rows.clone();
  }

  /** The same rows and targets with other features {@code [N, ...]} (e.g. standardised ones). */
  public Dataset withFeatures(Tensor newFeatures) {
    return new Dataset(Rows.of(Objects.requireNonNull(newFeatures, "features"), "features"), labels,
        targets);
  }

  /** A training set and a held-out validation set drawn from one dataset. */
  public record Split(Dataset train, Dataset validation) {}

  /**
   * Holds out {@code round(validationFraction * N)} rows, chosen by a {@link Random} seeded with
   * {@code seed} (the same seed gives the same split); both parts keep the original row order.
   */
  public Split split(double validationFraction, long seed) {
    if (!(validationFraction >= 0 && validationFraction <= 1)) {
      throw new IllegalArgumentException("Dataset.split: the validation fraction must be in [0, 1], got "
          + validationFraction);
    }
    int n = size();
    int held = (int) Math.round(validationFraction * n);
    int[] order = permutation(n, new Random(seed));
    int[] validation = Arrays.copyOfRange(order, 0, held);
    int[] train = Arrays.copyOfRange(order, held, n);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split(subset(train), subset(validation));
  }

  /** Batches of the rows in order. */
  public Batches batches(int batchSize) {
    return new Batches(identity(size()), batchSize);
  }

  /** Batches of one epoch in a shuffled order drawn from {@code rng} (advancing it). */
  public Batches shuffledBatches(int batchSize, Random rng) {
    return new Batches(permutation(size(), rng), batchSize);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from {@code rng}. */
  public static int[] permutation(int n, Random rng) {
    Objects.requireNonNull(rng, "rng");
    int[] p = identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The batches of one pass over the data, built lazily as they are iterated. */
  public final class Batches implements Iterable<Batch> {
    private final int[] order;
    private final int batchSize;

    private Batches(int[] order, int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
      }
      this.order = order;
      this.batchSize = batchSize;
    }

    /** Number of batches: ceil(N / batchSize). */
    public int count() {
      return (order.length + batchSize - 1) / batchSize;
    }

    /** The row order of this pass. */
    public int[] order() {
      return order.clone();
    }

    @Override
    public Iterator<Batch> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < order.length;
        }

        @Override
        public Batch next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int end = Math.min(order.length, next + batchSize);
          Batch b = batch(Arrays.copyOfRange(order, next, end));
          next = end;
          return b;
        }
      };
    }
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  @Override
  public String toString() {
    String what = labels != null ? numClasses() + " classes"
        : "targets of " + Arrays.toString(targets.rowShape()) + " " + targets.dtype().name().toLowerCase();
    return "Dataset(" + size() + " rows of " + Arrays.toString(rowShape()) + ", "
        + dtype().name().toLowerCase() + ", " + what + ")";
  }
}
