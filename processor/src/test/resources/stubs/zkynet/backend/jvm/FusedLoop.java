package zkynet.backend.jvm;

import zkynet.Tensor;

public final class FusedLoop {
  public final int size = 0;
  public final int cols = 1;
  public final int rows = 0;

  public float[] floats(Tensor t) {
    return null;
  }

  public int stride(Tensor t) {
    return 0;
  }

  public int length(int r) {
    return 0;
  }

  public Tensor result(float[] data) {
    return null;
  }

  public interface Rows {
    void run(int start, int end, Chunk chunk);
  }

  public void forRows(int cost, Rows body) {}

  public Tensor sum(int cost, Rows body) {
    return null;
  }

  public Tensor mean(int cost, Rows body) {
    return null;
  }

  public Tensor[] backward(int cost, Tensor[] inputs, boolean[] needed, Rows body) {
    return null;
  }

  public static final class Chunk {
    public float[] sum() {
      return null;
    }

    public int sumStride() {
      return 0;
    }

    public float[] gradient(int k) {
      return null;
    }

    public int stride(int k) {
      return 0;
    }

    public void row(int length) {}
  }
}
