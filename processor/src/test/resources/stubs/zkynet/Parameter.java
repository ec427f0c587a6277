package zkynet;

/** Test stub of zkynet.Parameter: a module's trainable value. */
public final class Parameter implements Operand {
  public Tensor value() {
    return null;
  }

  public void set(Tensor newValue) {}

  public String name() {
    return null;
  }
}
