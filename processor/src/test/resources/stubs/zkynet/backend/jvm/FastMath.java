package zkynet.backend.jvm;

public final class FastMath {
  private FastMath() {}

  public static float exp(float x) {
    return 0;
  }

  public static float log(float x) {
    return 0;
  }

  public static float tanh(float x) {
    return 0;
  }

  public static float sigmoid(float x) {
    return 0;
  }
}
