package zkynet.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of tensor backends. The current backend makes the storage of new tensors; it is chosen
 * once, from the system property {@code zkynet.backend} (default {@code "nd4j"}), or set explicitly
 * with {@link #use(String)} before tensors are created. Backends are created lazily, so merely
 * registering the ND4J backend does not load ND4J.
 */
public final class Backends {
  /** System property naming the backend to use. */
  public static final String PROPERTY = "zkynet.backend";

  private static final Map<String, Supplier<Backend>> FACTORIES = new LinkedHashMap<>();
  private static volatile Backend current;

  static {
    register("nd4j", () -> Nd4jBackend.INSTANCE);
  }

  private Backends() {}

  /** Registers a backend under {@code name}; it is created only when chosen. */
  public static synchronized void register(String name, Supplier<Backend> factory) {
    FACTORIES.put(name, factory);
  }

  /** The registered names, in registration order. */
  public static synchronized Iterable<String> names() {
    return java.util.List.copyOf(FACTORIES.keySet());
  }

  /** The backend that makes new tensors. */
  public static Backend current() {
    Backend b = current;
    if (b == null) {
      synchronized (Backends.class) {
        b = current;
        if (b == null) {
          b = current = create(System.getProperty(PROPERTY, "nd4j"));
        }
      }
    }
    return b;
  }

  /** Makes the backend registered as {@code name} the current one and returns it. */
  public static synchronized Backend use(String name) {
    Backend b = create(name);
    current = b;
    return b;
  }

  private static synchronized Backend create(String name) {
    Supplier<Backend> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown tensor backend \"" + name + "\"; registered: " + FACTORIES.keySet());
    }
    return factory.get();
  }

  /** {@code x} as storage of {@code target}: itself if it already belongs there, else a copy. */
  public static Storage transfer(Storage x, Backend target) {
    if (x.backend() == target) {
      return x;
    }
    return target.create(x.backend().read(x), x.shape().clone(), x.dtype());
  }
}
