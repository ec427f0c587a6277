package zkynet.bench;

/**
 * The workloads, exactly as defined in issue 10; the unit is the one the table reports. A variant
 * ({@link #base} not null) runs its base workload's computation written another way, on zkynet only,
 * and is checked against the same reference; the table compares it with its base's cells.
 */
enum Workload {
  W1("W1", "f(x,w) = (x+w)·x² at x=3, w=1: graph + forward + backward + both grads", 1e3, "µs"),
  W2("W2", "the same f on 1e6 floats (w scalar), loss = sum(f), grads of x and w", 1e6, "ms"),
  W2_OP("W2-op", W2, Variant.OPERATOR, "W2 written as one user `@Operator` `sum((x + w) * x^2)` (fused),"
      + " called from a `@Module`"),
  W3("W3", "MLP 784-256-256-10 tanh, softmax CE, batch 128: one SGD step", 1e6, "ms"),
  W3_BEFORE("W3-before", W3, Variant.BEFORE, "W3 as a model ran before issue 9: the data batch not marked"
      + " `@NoGrad`, `back()` computes every gradient, d loss / d X too (one more GEMM)"),
  W4("W4", "1000 × y = tanh(1.01·y + 0.1) on 1000 floats, loss = sum, grad of x", 1e6, "ms"),
  W4_BEFORE("W4-before", W4, Variant.BEFORE, "W4 as a model ran before issue 9: a = 1.01 and b = 0.1 are"
      + " variable inputs of the module, `back()` computes their gradients (2,000 sums, 1,000 products)"),
  W4_OP("W4-op", W4, Variant.OPERATOR, "W4 with the layer written as one user `@Operator`"
      + " `tanh(a * y + b)` (fused; a, b double constants), applied 1000 times in a `@Module`"),
  D("D", "digits MLP 64-256-10 ReLU, softmax CE, batch 64: one Adam step", 1e6, "ms");

  /** How a variant differs from its base workload. */
  enum Variant {
    /** One of issue 10's workloads. */
    NONE,
    /** The base as it ran before issue 9 (gradients nobody reads): the table shows after ÷ before. */
    BEFORE,
    /** The base written with a user {@code @Operator} (issue 12): the table shows it ÷ DJL's base. */
    OPERATOR
  }

  final String id;
  final String description;
  /** Nanoseconds per reported unit. */
  final double nanosPerUnit;
  final String unit;
  /** The workload this one computes another way; null for issue 10's workloads. */
  final Workload base;
  final Variant variant;

  Workload(String id, String description, double nanosPerUnit, String unit) {
    this.id = id;
    this.description = description;
    this.nanosPerUnit = nanosPerUnit;
    this.unit = unit;
    this.base = null;
    this.variant = Variant.NONE;
  }

  Workload(String id, Workload base, Variant variant, String description) {
    this.id = id;
    this.description = description;
    this.nanosPerUnit = base.nanosPerUnit;
    this.unit = base.unit;
    this.base = base;
    this.variant = variant;
  }

  /** The workload whose reference checks this one and whose DJL cell its ratio divides by. */
  Workload computes() {
    return base != null ? base : this;
  }

  static Workload parse(String id) {
    for (Workload w : values()) {
      if (w.id.equalsIgnoreCase(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload " + id + "; known: "
        + String.join(", ", java.util.Arrays.stream(values()).map(w -> w.id).toList()));
  }
}
