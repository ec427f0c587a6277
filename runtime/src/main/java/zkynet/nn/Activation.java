package zkynet.nn;

import zkynet.BuiltinsOps;
import zkynet.Module;
import zkynet.Node;

/**
 * An element-wise activation as a layer, for {@link Sequential}: {@code Activation.relu()}, {@code
 * tanh()}, {@code sigmoid()}, {@code gelu()} (exact, with erf), {@code silu()}.
 */
@Module
public class Activation extends Zk_Activation {
  /** The function applied. */
  public enum Kind {
    RELU, TANH, SIGMOID, GELU, SILU
  }

  private final Kind kind;

  public Activation(Kind kind) {
    if (kind == null) {
      throw new IllegalArgumentException("Activation: kind must not be null");
    }
    this.kind = kind;
  }

  public static Activation relu() {
    return new Activation(Kind.RELU);
  }

  public static Activation tanh() {
    return new Activation(Kind.TANH);
  }

  public static Activation sigmoid() {
    return new Activation(Kind.SIGMOID);
  }

  public static Activation gelu() {
    return new Activation(Kind.GELU);
  }

  public static Activation silu() {
    return new Activation(Kind.SILU);
  }

  /** The function applied. */
  public Kind kind() {
    return kind;
  }

  Node call(Node x) {
    return switch (kind) {
      case RELU -> BuiltinsOps.relu(x);
      case TANH -> BuiltinsOps.tanh(x);
      case SIGMOID -> BuiltinsOps.sigmoid(x);
      case GELU -> BuiltinsOps.gelu(x);
      case SILU -> BuiltinsOps.silu(x);
    };
  }
}
