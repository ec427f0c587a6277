package zkynet;

import java.util.Objects;

/**
 * A module's trainable value. Declared as a {@code final Parameter} field of a {@link Module} class
 * and created with {@link ModuleBase#parameter(Object)}; its name comes from the field. The value is
 * replaced (never mutated in place) by optimizers through {@link #set(Tensor)}.
 */
public final class Parameter implements Operand {
  private final ModuleBase owner;
  private Tensor value;
  private String field;

  Parameter(ModuleBase owner, Tensor value) {
    this.owner = owner;
    this.value = Objects.requireNonNull(value, "value");
  }

  public Tensor value() {
    return value;
  }

  /** Replaces the value; the shape and dtype must stay the same. */
  public void set(Tensor newValue) {
    Objects.requireNonNull(newValue, "newValue");
    if (!java.util.Arrays.equals(newValue.shape(), value.shape()) || newValue.dtype() != value.dtype()) {
      throw new IllegalArgumentException("parameter " + name() + ": cannot set a "
          + newValue.dtype().name().toLowerCase() + " " + java.util.Arrays.toString(newValue.shape())
          + " value in place of a " + value.dtype().name().toLowerCase() + " "
          + java.util.Arrays.toString(value.shape()));
    }
    value = newValue;
  }

  public ModuleBase owner() {
    return owner;
  }

  /** The field name, e.g. {@code w}. */
  public String shortName() {
    owner.bind();
    return field == null ? "?" : field;
  }

  /** The entity's name, e.g. {@code SimpleModel_2.w}. */
  public String name() {
    return owner.name() + "." + shortName();
  }

  /** The role's name, e.g. {@code SimpleModel.w}. */
  public String functionalName() {
    return owner.functionalName() + "." + shortName();
  }

  void bind(String fieldName) {
    if (field == null) {
      field = fieldName;
    }
  }

  @Override
  public String toString() {
    return "Parameter " + name() + " = " + value.preview(6);
  }
}
