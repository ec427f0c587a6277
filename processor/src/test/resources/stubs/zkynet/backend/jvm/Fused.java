package zkynet.backend.jvm;

import zkynet.Tensor;

public final class Fused {
  public static final int COSTLY = 24;
  public static final int CHEAP = 1;

  private Fused() {}

  public static FusedLoop plan(Tensor... operands) {
    return null;
  }

  public static FusedLoop planRows(Tensor... operands) {
    return null;
  }

  public static boolean matches(Tensor g, Tensor output) {
    return false;
  }

  public static float[] floats(Tensor t) {
    return null;
  }

  public static float scalar(Tensor t) {
    return 0;
  }

  public static float pow(float x, float c) {
    return 0;
  }
}
