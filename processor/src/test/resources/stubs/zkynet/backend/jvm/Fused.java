package zkynet.backend.jvm;

import zkynet.Tensor;

public final class Fused {
  public static final int COSTLY = 24;
  public static final int CHEAP = 1;

  private Fused() {}

  public interface Range {
    void run(int start, int end);
  }

  public interface SumRange {
    double run(int start, int end);
  }

  public static boolean applies(Tensor first, Tensor... others) {
    return false;
  }

  public static Tensor widest(Tensor first, Tensor... others) {
    return null;
  }

  public static boolean matches(Tensor g, Tensor output) {
    return false;
  }

  public static float[] floats(Tensor t) {
    return null;
  }

  public static float[] floats(Tensor t, int n) {
    return null;
  }

  public static Tensor gradient(float[] g, Tensor input) {
    return null;
  }

  public static float scalar(Tensor t) {
    return 0;
  }

  public static Tensor result(float[] data, Tensor like) {
    return null;
  }

  public static float pow(float x, float c) {
    return 0;
  }

  public static void forRange(int n, int cost, Range body) {}

  public static Tensor sum(int n, int cost, SumRange body) {
    return null;
  }
}
