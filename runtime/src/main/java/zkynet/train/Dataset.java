package zkynet.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import zkynet.DType;
import zkynet.Tensor;

/**
 * A labelled dataset held in memory: features of shape {@code [N, ...]} (one row per example) and
 * N integer class labels. Immutable. Mini-batches are cut from it in order or in a shuffled order
 * drawn from a {@link Random}, so a seeded source gives the same batches on every run; every row
 * appears exactly once per epoch (the last batch is smaller when the batch size does not divide N).
 */
public final class Dataset {
  private final double[] features;
  private final int[] rowShape;
  private final int rowSize;
  private final int[] labels;
  private final DType dtype;

  /** Features {@code [N, ...]} and one label per row. */
  public Dataset(Tensor features, int[] labels) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    if (features.rank() < 1) {
      throw new IllegalArgumentException("Dataset: features need a leading row axis, got a scalar");
    }
    if (features.shape(0) != labels.length) {
      throw new IllegalArgumentException("Dataset: " + features.shape(0) + " feature rows but "
          + labels.length + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("Dataset: labels[" + i + "] = " + labels[i] + " is negative");
      }
    }
    int[] shape = features.shape();
    this.rowShape = Arrays.copyOfRange(shape, 1, shape.length);
    int size = 1;
    for (int d : rowShape) {
      size = Math.multiplyExact(size, d);
    }
    this.rowSize = size;
    this.features = features.toDoubleArray();
    this.labels = labels.clone();
    this.dtype = features.dtype();
  }

  /** Number of rows. */
  public int size() {
    return labels.length;
  }

  /** The shape of one row. */
  public int[] rowShape() {
    return rowShape.clone();
  }

  public DType dtype() {
    return dtype;
  }

  /** All features, {@code [N, ...]}. */
  public Tensor features() {
    return Tensor.of(features, dtype, shape(labels.length));
  }

  /** All labels (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** Number of classes: the largest label plus one (0 for an empty dataset). */
  public int numClasses() {
    int max = -1;
    for (int l : labels) {
      max = Math.max(max, l);
    }
    return max + 1;
  }

  /** One mini-batch. */
  public record Batch(Tensor x, int[] labels, int[] rows) {
    /** Number of rows in the batch. */
    public int size() {
      return labels.length;
    }

    /** The labels as a rank-1 tensor of class indices in the features' dtype (see {@link Labels}). */
    public Tensor labelTensor() {
      return Labels.tensor(labels, x.dtype());
    }
  }

  /** The rows with the given indices (in that order) as one batch. */
  public Batch batch(int[] rows) {
    double[] x = new double[Math.multiplyExact(rows.length, rowSize)];
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (r < 0 || r >= labels.length) {
        throw new IndexOutOfBoundsException("Dataset.batch: row " + r + " out of range [0, "
            + labels.length + ")");
      }
      System.arraycopy(features, r * rowSize, x, i * rowSize, rowSize);
      y[i] = labels[r];
    }
    return new Batch(Tensor.of(x, dtype, shape(rows.length)), y, rows.clone());
  }

  /** A new dataset of the given rows. */
  public Dataset subset(int[] rows) {
    Batch b = batch(rows);
    return new Dataset(b.x(), b.labels());
  }

  /** Batches of the rows in order. */
  public Batches batches(int batchSize) {
    return new Batches(identity(labels.length), batchSize);
  }

  /** Batches of one epoch in a shuffled order drawn from {@code rng} (advancing it). */
  public Batches shuffledBatches(int batchSize, Random rng) {
    return new Batches(permutation(labels.length, rng), batchSize);
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

  private int[] shape(int rows) {
    int[] s = new int[rowShape.length + 1];
    s[0] = rows;
    System.arraycopy(rowShape, 0, s, 1, rowShape.length);
    return s;
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
    return "Dataset(" + labels.length + " rows of " + Arrays.toString(rowShape) + ", "
        + dtype.name().toLowerCase() + ", " + numClasses() + " classes)";
  }
}
