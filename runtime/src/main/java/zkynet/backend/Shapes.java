package zkynet.backend;

import java.util.Arrays;

/**
 * Shape logic shared by {@link zkynet.Tensor} and the backends: sizes, row-major strides, numpy
 * broadcasting, axis normalisation and the checks that name the operation and the shapes in their
 * errors. Pure functions on {@code int[]} shapes; nothing here allocates tensors.
 */
public final class Shapes {
  /** No shape may have more axes than this (numpy's limit). */
  public static final int MAX_RANK = 64;

  private static final int[] SCALAR = new int[0];

  private Shapes() {}

  /** The rank-0 shape {@code []} (shared: callers must not modify it). */
  public static int[] scalar() {
    return SCALAR;
  }

  /** The number of elements (1 for rank 0; may exceed {@code int}). */
  public static long size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * The number of elements of a shape that {@code op} is about to create: an error naming {@code op}
   * for a negative dimension, more than {@value #MAX_RANK} axes, or more than {@code
   * Integer.MAX_VALUE} elements.
   */
  public static int checkedSize(String op, int[] shape) {
    if (shape.length > MAX_RANK) {
      throw new IllegalArgumentException(op + ": shape has " + shape.length + " axes; at most "
          + MAX_RANK + " are supported");
    }
    long size = 1;
    boolean empty = false;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
      }
      empty |= d == 0;
      if (size <= Integer.MAX_VALUE) { // at most 2^62 here: no overflow
        size *= d;
      }
    }
    if (empty) {
      return 0;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(op + ": shape " + str(shape) + " has too many elements (more"
          + " than " + Integer.MAX_VALUE + ")");
    }
    return (int) size;
  }

  /** Row-major ("C" order) strides of a contiguous array of {@code shape}. */
  public static int[] strides(int[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    return strides;
  }

  /** {@code axis} counted from the front (negative axes count from the end), checked against the rank. */
  public static int axis(String op, int axis, int[] shape) {
    int r = shape.length;
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r) {
      throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + str(shape));
    }
    return a;
  }

  /** numpy's broadcast of two shapes; an error naming {@code op} and both shapes if they do not broadcast. */
  public static int[] broadcast(String op, int[] a, int[] b) {
    return broadcast(op, a, b, a, b);
  }

  /**
   * numpy's broadcast of {@code a} and {@code b}, which are parts (e.g. the batch axes of matmul) of
   * {@code fullA} and {@code fullB}; errors name the full shapes.
   */
  public static int[] broadcast(String op, int[] a, int[] b, int[] fullA, int[] fullB) {
    int[] out = broadcastOrNull(a, b);
    if (out != null) {
      return out;
    }
    for (int i = 1; ; i++) {
      int x = i <= a.length ? a[a.length - i] : 1;
      int y = i <= b.length ? b[b.length - i] : 1;
      if (x != y && x != 1 && y != 1) {
        String what = a == fullA && b == fullB ? "shapes" : "batch axes " + str(a) + " and " + str(b) + " of shapes";
        throw new IllegalArgumentException(op + ": " + what + " " + str(fullA) + " and " + str(fullB)
            + " do not broadcast (" + x + " vs " + y + " on axis " + (-i) + ")");
      }
    }
  }

  /** numpy's broadcast of two shapes, or null if they do not broadcast. */
  public static int[] broadcastOrNull(int[] a, int[] b) {
    if (Arrays.equals(a, b)) {
      return a;
    }
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 1; i <= r; i++) {
      int x = i <= a.length ? a[a.length - i] : 1;
      int y = i <= b.length ? b[b.length - i] : 1;
      if (x != y && x != 1 && y != 1) {
        return null;
      }
      out[r - i] = x == 1 ? y : x;
    }
    return out;
  }

  /** Whether {@code from} broadcasts to exactly {@code to} (numpy's broadcast_to rule). */
  public static boolean broadcastsTo(int[] from, int[] to) {
    if (from.length > to.length) {
      return false;
    }
    for (int i = 1; i <= from.length; i++) {
      int d = from[from.length - i];
      if (d != to[to.length - i] && d != 1) {
        return false;
      }
    }
    return true;
  }

  /** {@code shape} with leading 1s up to {@code rank} axes. */
  public static int[] padLeft(int[] shape, int rank) {
    if (shape.length == rank) {
      return shape;
    }
    int[] padded = new int[rank];
    Arrays.fill(padded, 0, rank - shape.length, 1);
    System.arraycopy(shape, 0, padded, rank - shape.length, shape.length);
    return padded;
  }

  /** {@code shape} without the given axes ({@code sortedAxes} ascending, distinct, in range). */
  public static int[] without(int[] shape, int[] sortedAxes) {
    int[] out = new int[shape.length - sortedAxes.length];
    int j = 0;
    int next = 0;
    for (int i = 0; i < shape.length; i++) {
      if (next < sortedAxes.length && sortedAxes[next] == i) {
        next++;
      } else {
        out[j++] = shape[i];
      }
    }
    return out;
  }

  /** {@code prefix} followed by {@code rest}. */
  public static int[] concat(int[] prefix, int... rest) {
    int[] out = Arrays.copyOf(prefix, prefix.length + rest.length);
    System.arraycopy(rest, 0, out, prefix.length, rest.length);
    return out;
  }

  /** {@code [0, 1, ..., rank-1]}. */
  public static int[] allAxes(int rank) {
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return axes;
  }

  /** {@code shape} permuted: result axis i is {@code shape[axes[i]]}. */
  public static int[] permute(int[] shape, int[] axes) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = shape[axes[i]];
    }
    return out;
  }

  /** {@code [3, 2]}; {@code []} for rank 0. */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }
}
