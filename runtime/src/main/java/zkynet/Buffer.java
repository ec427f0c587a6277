package zkynet;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A module's non-trainable state (PyTorch's buffers), such as the running mean and variance of
 * {@code zkynet.nn.BatchNorm1d}: saved in checkpoints next to the parameters, under the module's
 * path ({@code layers.1.running_mean}), but never seen by optimizers and never differentiated.
 * Created in a module's constructor with {@link ModuleBase#buffer(String, Tensor)}.
 *
 * <p>The value is replaced, never mutated in place; {@link #update} is atomic (serialised on this
 * buffer), so calls on several threads never lose an update, and a reader sees the old value or the
 * new one.
 */
public final class Buffer {
  private final ModuleBase owner;
  private final String shortName;
  private volatile Tensor value;

  Buffer(ModuleBase owner, String shortName, Tensor value) {
    this.owner = owner;
    this.shortName = shortName;
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The latest value. */
  public Tensor value() {
    return value;
  }

  /** Replaces the value; the shape and dtype must stay the same. */
  public synchronized void set(Tensor newValue) {
    checkFits(Objects.requireNonNull(newValue, "newValue"));
    value = Parameter.keep(newValue, "buffer " + name());
  }

  /** Replaces the value by {@code f(value)} atomically; returns the new value. */
  public synchronized Tensor update(UnaryOperator<Tensor> f) {
    Tensor next = f.apply(value);
    checkFits(Objects.requireNonNull(next, "new value of buffer " + name()));
    value = Parameter.keep(next, "buffer " + name());
    return next;
  }

  private void checkFits(Tensor next) {
    Parameter.checkFits("buffer " + name(), next, value);
  }

  public ModuleBase owner() {
    return owner;
  }

  /** The name given at creation, e.g. {@code running_mean}. */
  public String shortName() {
    return shortName;
  }

  /** The entity's name, e.g. {@code BatchNorm1d_2.running_mean}. */
  public String name() {
    return owner.name() + "." + shortName;
  }

  @Override
  public String toString() {
    return "Buffer " + name() + " = " + value.preview(6);
  }
}
