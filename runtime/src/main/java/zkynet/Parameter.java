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
import zkynet.backend.Arena;

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
  /** Whether this parameter holds a lease on {@link #value} (written under the publication lock). */
  private boolean held;
  private volatile String field;

  Parameter(ModuleBase owner, Tensor value) {
    this.owner = owner;
    this.value = Objects.requireNonNull(value, "value");
  }

  /**
   * The latest published value. The value read here is never recycled (an optimizer's values
   * otherwise are, once replaced and read by no open call).
   */
  public Tensor value() {
    while (true) {
      Tensor v = value;
      if (v.storage().pin()) {
        return v;
      }
      // replaced and recycled between the read and the pin: the newer value is published
    }
  }

  /** The value's shape (reading it keeps nothing from recycling). */
  public int[] shape() {
    return value.shape();
  }

  /** The value's dtype. */
  public DType dtype() {
    return value.dtype();
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
    return update(parameters, step, null);
  }

  /**
   * {@link #update(List, UnaryOperator)} for zkynet's own optimizers ({@code key} is theirs alone):
   * the current values handed to {@code step} are not pinned (the optimizers keep none of them), and
   * each new value that {@code arena} made (the step's kernels) is held by its parameter instead of
   * pinned, so that once it is replaced, and no call that read it is still open, its memory is
   * recycled (see {@link ModuleGraph#close()}).
   */
  public static Tensor[] update(List<Parameter> parameters, UnaryOperator<Tensor[]> step,
      zkynet.train.Optimizer.Key key, Arena arena) {
    Objects.requireNonNull(key, "key");
    return update(parameters, step, Objects.requireNonNull(arena, "arena"));
  }

  private static Tensor[] update(List<Parameter> parameters, UnaryOperator<Tensor[]> step,
      Arena arena) {
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
        if (arena == null) {
          keep(current[i], "parameter " + parameters.get(i).name()); // step is anyone's code
        }
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
      publish(parameters, next, arena);
      return next;
    } finally {
      for (int i = locked - 1; i >= 0; i--) {
        ordered.get(i).updates.unlock();
      }
    }
  }

  /**
   * Publishes {@code values} at once. A value {@code arena} made is held by its parameter (leased);
   * any other is pinned, since whoever made it may keep it. A replaced value the parameter held is
   * released after the publication: recycled unless an open call still reads it.
   */
  private static void publish(List<Parameter> parameters, Tensor[] values, Arena arena) {
    boolean[] hold = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      Tensor v = values[i];
      if (v != null) {
        hold[i] = arena != null && v.storage().madeBy(arena) && v.storage().lease();
        if (!hold[i]) {
          keep(v, "a parameter's new value");
        }
      }
    }
    Tensor[] released = new Tensor[values.length];
    long stamp = PUBLICATION.writeLock();
    try {
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          Parameter p = parameters.get(i);
          released[i] = p.held ? p.value : null;
          p.value = values[i];
          p.held = hold[i];
        }
      }
    } finally {
      PUBLICATION.unlockWrite(stamp);
    }
    for (Tensor r : released) {
      if (r != null) {
        r.storage().release();
      }
    }
  }

  /**
   * The values of {@code parameters} as one consistent snapshot (never half of an update), each
   * leased for a call that releases them when its graph is closed ({@code lease}), or else pinned.
   */
  static Tensor[] snapshot(Parameter[] parameters, boolean lease) {
    long stamp = PUBLICATION.tryOptimisticRead();
    Tensor[] out = read(parameters);
    int held = acquire(out, lease);
    if (held == out.length && PUBLICATION.validate(stamp)) {
      return out;
    }
    // A publication came in between: what was leased is given back, and the current values are
    // read and leased with publications held off (they cannot fail then: a current value is held
    // by its parameter or pinned).
    release(out, held);
    stamp = PUBLICATION.readLock();
    try {
      out = read(parameters);
      if (acquire(out, lease) != out.length) {
        throw new IllegalStateException("a current parameter value was recycled");
      }
      return out;
    } finally {
      PUBLICATION.unlockRead(stamp);
    }
  }

  /** Leases (or pins) {@code values} in order; the number acquired before one was found recycled. */
  private static int acquire(Tensor[] values, boolean lease) {
    for (int i = 0; i < values.length; i++) {
      if (!(lease ? values[i].storage().lease() : values[i].storage().pin())) {
        return i;
      }
    }
    return values.length;
  }

  /** Releases the leases of the first {@code count} values. */
  static void release(Tensor[] values, int count) {
    for (int i = 0; i < count; i++) {
      values[i].storage().release();
    }
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
    return "Parameter " + name() + " = " + value().preview(6);
  }
}
