package zkynet.backend.jvm;

import java.util.Arrays;
import zkynet.DType;
import zkynet.backend.Arena;
import zkynet.backend.Backend;
import zkynet.backend.Shapes;
import zkynet.backend.Storage;

/**
 * A float32 ({@code float[]}) or float64 ({@code double[]}) array with a row-major layout: element
 * {@code (i0, i1, ...)} is at {@code offset + sum(ik * strides[k])}. {@code strides == null} means
 * contiguous from {@code offset} in row-major order (every kernel result); views (transpose,
 * broadcast, slice, reshape of a contiguous array) share the array with other strides. The array is
 * never written after the storage is returned (see {@link zkynet.backend.Backend}). A large array a
 * kernel allocated while a graph's {@link Arena} was current has a {@link Block}, shared by its
 * views, through which the graph gives it back to the {@link ArrayPool} when it is closed.
 */
final class JvmStorage implements Storage {
  final float[] f;
  final double[] d;
  final int[] shape;
  private final int[] strides;
  final int offset;
  final int size;
  private final Block block;

  private JvmStorage(float[] f, double[] d, int[] shape, int[] strides, int offset, int size,
      Block block) {
    this.f = f;
    this.d = d;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.size = size;
    this.block = block;
  }

  /** A contiguous float32 array (kept, not copied). */
  static JvmStorage of(float[] f, int[] shape) {
    return new JvmStorage(f, null, shape, null, 0, f.length, null);
  }

  /** A contiguous float64 array (kept, not copied). */
  static JvmStorage of(double[] d, int[] shape) {
    return new JvmStorage(null, d, shape, null, 0, d.length, null);
  }

  /** {@code data} itself for float64, else a float32 copy of it (rounded to nearest). */
  static JvmStorage of(double[] data, int[] shape, DType dtype) {
    if (dtype == DType.FLOAT64) {
      return of(data, shape);
    }
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return of(f, shape);
  }

  /**
   * A zeroed contiguous array of {@code dtype} for a kernel's result: a pooled one if there is one,
   * owned by the current arena (if any) when it is large enough to be recycled.
   */
  static JvmStorage zeros(DType dtype, int[] shape, int size) {
    return result(dtype, shape, size, true);
  }

  /**
   * Like {@link #zeros}, but a pooled array keeps what it held: for a kernel that writes every
   * element (a new array is zeroed by the JVM anyway).
   */
  static JvmStorage uninitialized(DType dtype, int[] shape, int size) {
    return result(dtype, shape, size, false);
  }

  private static JvmStorage result(DType dtype, int[] shape, int size, boolean zeroed) {
    Arena arena = size < ArrayPool.MIN_LENGTH ? null : Arena.current();
    Block block = arena == null ? null : new Block(arena);
    JvmStorage out = dtype == DType.FLOAT32
        ? new JvmStorage(ArrayPool.floats(size, zeroed), null, shape, null, 0, size, block)
        : new JvmStorage(null, ArrayPool.doubles(size, zeroed), shape, null, 0, size, block);
    if (arena != null) {
      arena.made(out);
    }
    return out;
  }

  /** A view of this storage's array with another layout; contiguous if {@code strides} is row-major. */
  JvmStorage view(int[] shape, int[] strides, int offset) {
    int size = (int) Shapes.size(shape);
    boolean contiguous = Layout.isContiguous(shape, strides);
    return new JvmStorage(f, d, shape, contiguous ? null : strides, offset, size, block);
  }

  /** Whether the elements are {@code offset .. offset + size - 1} in row-major order. */
  boolean contiguous() {
    return strides == null;
  }

  /** Contiguous from index 0 of its array: the form every elementwise kernel works on. */
  boolean dense() {
    return strides == null && offset == 0;
  }

  /** The strides (row-major ones for contiguous storage). Callers must not modify them. */
  int[] strides() {
    return strides == null ? Shapes.strides(shape) : strides;
  }

  boolean isFloat() {
    return f != null;
  }

  @Override public boolean pin() {
    return block == null || block.pin();
  }

  @Override public void recycle(Arena arena) {
    if (block != null && block.recycle(arena)) {
      giveBack();
    }
  }

  @Override public boolean madeBy(Arena arena) {
    return block != null && block.madeBy(arena);
  }

  @Override public boolean lease() {
    return block == null || block.lease();
  }

  @Override public void release() {
    if (block != null && block.release()) {
      giveBack();
    }
  }

  private void giveBack() {
    if (f != null) {
      ArrayPool.give(f);
    } else {
      ArrayPool.give(d);
    }
  }

  @Override public Backend backend() {
    return JvmBackend.INSTANCE;
  }

  @Override public int[] shape() {
    return shape;
  }

  @Override public DType dtype() {
    return f != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  @Override public String toString() {
    return "jvm" + Arrays.toString(shape) + " " + dtype() + (contiguous() ? "" : " view");
  }
}
