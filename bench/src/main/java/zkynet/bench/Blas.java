package zkynet.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one place the benchmarks call BLAS, so it can be switched: OpenBLAS through JavaCPP ({@code
 * org.bytedeco:openblas}, the same library and version zkynet's GEMM seam loads), single-precision
 * row-major GEMM on direct buffers, so no call copies arrays: the floor for the GEMM-only limit.
 */
final class Blas {
  private Blas() {}

  /** Sets OpenBLAS's thread count (it also reads OPENBLAS_NUM_THREADS when it loads). */
  static void threads(int n) {
    openblas_nolapack.blas_set_num_threads(n);
  }

  static String describe() {
    return openblas_nolapack.OPENBLAS_VERSION.trim() + " (org.bytedeco:openblas), "
        + openblas_nolapack.blas_get_num_threads() + " threads";
  }

  /** A zeroed direct buffer of n floats in native byte order. */
  static FloatBuffer allocate(int n) {
    return ByteBuffer.allocateDirect(Float.BYTES * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  static FloatBuffer of(float[] values) {
    FloatBuffer b = allocate(values.length);
    b.put(values).rewind();
    return b;
  }

  static float[] toArray(FloatBuffer b) {
    float[] a = new float[b.capacity()];
    b.get(0, a);
    return a;
  }

  /** c[m, n] = op(a) op(b), row-major, with op(a) [m, k] and op(b) [k, n]; op transposes when asked. */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatBuffer a, FloatBuffer b,
      FloatBuffer c) {
    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 0f, c, n);
  }
}
