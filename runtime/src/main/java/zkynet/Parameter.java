package zkynet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.UnaryOperator;

/**
 * A module's trainable value. Declared as a {@code final Parameter} field of a {@link Module} class
 * and created with {@link ModuleBase#parameter(Object)}; its name comes from the field. The value is
 * replaced (never mutated in place) by optimizers through {@link #update} or by {@link #set(Tensor)}.
 *
 * <p><b>Concurrency contract.</b> Values are published in atomic groups: {@link #update} replaces the
 * values of several parameters as one step, and a module call ({@code apply}) reads the values of
 * every parameter reachable from the called module as one snapshot, taken when the call starts and
 * used for the whole call. So a call sees all of a step or none of it. Updates of overlapping sets
 * of parameters are serialised (each parameter has a lock; an update takes the locks of its
 * parameters in a fixed global order, so two updates never deadlock), so no update is lost: each
 * one computes its new values from the values the previous one published. Readers never block
 * updates and wait only for the few reference writes that publish one.
 */
public final class Parameter implements Operand {
  /** Orders the publication of groups of values against snapshots (see the class comment). */
  private static final StampedLock PUBLICATION = new StampedLock();
  private static final AtomicLong IDS = new AtomicLong();

  private final ModuleBase owner;
  private final long id = IDS.incrementAndGet();
  private final ReentrantLock updates = new ReentrantLock();
  private volatile Tensor value;
  private volatile String field;

  Parameter(ModuleBase owner, Tensor value) {
    this.owner = owner;
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The latest published value. */
  public Tensor value() {
    return value;
  }

  /** Replaces the value; the shape and dtype must stay the same. Serialised with {@link #update}. */
  public void set(Tensor newValue) {
    Objects.requireNonNull(newValue, "newValue");
    update(List.of(this), current -> new Tensor[] {newValue});
  }

  /**
   * Replaces the values of {@code parameters} as one atomic step. Takes the update locks of the
   * parameters (in a fixed global order), calls {@code step} with their current values (in the
   * order of the list), checks that every new value has the shape and dtype of the old one, and
   * publishes them all at once: a module call started before the publication sees none of the new
   * values, one started after sees all. A null in the result leaves that parameter unchanged. If
   * {@code step} throws or a value does not fit, nothing is changed.
   *
   * @return the values that were published (nulls where unchanged)
   */
  public static Tensor[] update(List<Parameter> parameters, UnaryOperator<Tensor[]> step) {
    Objects.requireNonNull(step, "step");
    List<Parameter> ordered = new ArrayList<>(parameters);
    ordered.sort(Comparator.comparingLong(p -> p.id));
    int locked = 0;
    try {
      for (Parameter p : ordered) {
        p.updates.lock();
        locked++;
      }
      Tensor[] current = new Tensor[parameters.size()];
      for (int i = 0; i < current.length; i++) {
        current[i] = parameters.get(i).value;
      }
      Tensor[] next = step.apply(current.clone());
      if (next == null || next.length != current.length) {
        throw new IllegalStateException("a parameter update must return one value per parameter ("
            + current.length + "), got " + (next == null ? "null" : String.valueOf(next.length)));
      }
      for (int i = 0; i < next.length; i++) {
        if (next[i] != null) {
          parameters.get(i).checkFits(next[i], current[i]);
        }
      }
      publish(parameters, next);
      return next;
    } finally {
      for (int i = locked - 1; i >= 0; i--) {
        ordered.get(i).updates.unlock();
      }
    }
  }

  private static void publish(List<Parameter> parameters, Tensor[] values) {
    for (Tensor v : values) {
      if (v != null) {
        keep(v, "a parameter's new value");
      }
    }
    long stamp = PUBLICATION.writeLock();
    try {
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          parameters.get(i).value = values[i];
        }
      }
    } finally {
      PUBLICATION.unlockWrite(stamp);
    }
  }

  /** The values of {@code parameters} as one consistent snapshot (never half of an update). */
  static Tensor[] snapshot(Parameter[] parameters) {
    long stamp = PUBLICATION.tryOptimisticRead();
    Tensor[] out = read(parameters);
    if (!PUBLICATION.validate(stamp)) {
      stamp = PUBLICATION.readLock();
      try {
        out = read(parameters);
      } finally {
        PUBLICATION.unlockRead(stamp);
      }
    }
    return out;
  }

  private static Tensor[] read(Parameter[] parameters) {
    Tensor[] out = new Tensor[parameters.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = parameters[i].value;
    }
    return out;
  }

  /**
   * Keeps {@code t}'s memory from ever being recycled by the graph that made it (see {@link
   * ModuleGraph#close()}): for values stored beyond a graph (parameters, buffers, optimizer state).
   */
  static Tensor keep(Tensor t, String what) {
    if (!t.storage().pin()) {
      throw new IllegalStateException(what + ": the tensor belongs to a closed graph and was "
          + "recycled; read it before closing the graph");
    }
    return t;
  }

  private void checkFits(Tensor newValue, Tensor old) {
    checkFits("parameter " + name(), newValue, old);
  }

  /** An error naming {@code what} unless the new value has the old one's shape and dtype. */
  static void checkFits(String what, Tensor newValue, Tensor old) {
    if (!Arrays.equals(newValue.shape(), old.shape()) || newValue.dtype() != old.dtype()) {
      throw new IllegalArgumentException(what + ": cannot set a "
          + newValue.dtype().name().toLowerCase() + " " + Arrays.toString(newValue.shape())
          + " value in place of a " + old.dtype().name().toLowerCase() + " "
          + Arrays.toString(old.shape()));
    }
  }

  public ModuleBase owner() {
    return owner;
  }

  /** The field name, e.g. {@code w}. */
  public String shortName() {
    owner.bind();
    String f = field;
    return f == null ? "?" : f;
  }

  /** The entity's name, e.g. {@code SimpleModel_2.w}. */
  public String name() {
    return owner.name() + "." + shortName();
  }

  /** The role's name, e.g. {@code SimpleModel.w}. */
  public String functionalName() {
    return owner.functionalName() + "." + shortName();
  }

  /** Called once per field by the owner while it builds its structure (under its lock). */
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
