package zkynet.bench;

/** The workloads, exactly as defined in issue 10; the unit is the one the table reports. */
enum Workload {
  W1("W1", "f(x,w) = (x+w)·x² at x=3, w=1: graph + forward + backward + both grads", 1e3, "µs"),
  W2("W2", "the same f on 1e6 floats (w scalar), loss = sum(f), grads of x and w", 1e6, "ms"),
  W3("W3", "MLP 784-256-256-10 tanh, softmax CE, batch 128: one SGD step", 1e6, "ms"),
  W4("W4", "1000 × y = tanh(1.01·y + 0.1) on 1000 floats, loss = sum, grad of x", 1e6, "ms"),
  D("D", "digits MLP 64-256-10 ReLU, softmax CE, batch 64: one Adam step", 1e6, "ms");

  final String id;
  final String description;
  /** Nanoseconds per reported unit. */
  final double nanosPerUnit;
  final String unit;

  Workload(String id, String description, double nanosPerUnit, String unit) {
    this.id = id;
    this.description = description;
    this.nanosPerUnit = nanosPerUnit;
    this.unit = unit;
  }

  static Workload parse(String id) {
    for (Workload w : values()) {
      if (w.id.equalsIgnoreCase(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload " + id + "; known: W1, W2, W3, W4, D");
  }
}
