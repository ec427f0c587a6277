package zkynet.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import zkynet.backend.jvm.JvmBackend;

/**
 * The registry of tensor backends. The current backend makes the storage of new tensors; it is chosen
 * once, from the system property {@code zkynet.backend} (default {@code "jvm"}, the {@link JvmBackend}),
 * or set explicitly with {@link #use(String)} before tensors are created. {@code "nd4j"} selects the
 * opt-in ND4J backend, which needs ND4J on the classpath. Backends are created lazily, so merely
 * registering the ND4J backend does not load ND4J.
 */
public final class Backends {
  /** System property naming the backend to use. */
  public static final String PROPERTY = "zkynet.backend";

  private static final Map<String, Supplier<Backend>> FACTORIES = new LinkedHashMap<>();
  private static volatile Backend current;

  /** The backend used when the property is not set. */
  public static final String DEFAULT = "jvm";

  static {
    register("jvm", () -> JvmBackend.INSTANCE);
    register("nd4j", Backends::nd4j);
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
          b = current = create(System.getProperty(PROPERTY, DEFAULT));
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

  /** The ND4J backend, or an error saying how to add ND4J when it is not on the classpath. */
  private static Backend nd4j() {
    String missing = "the tensor backend \"nd4j\" needs ND4J on the classpath; add the dependencies"
        + " org.nd4j:nd4j-native (with its classifier, e.g. linux-x86_64), or org.nd4j:nd4j-cuda-11.6"
        + " for ND4J's GPU build (see the README), or use the default backend \"jvm\"";
    try {
      Class.forName("org.nd4j.linalg.factory.Nd4j", false, Backends.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(missing, e);
    }
    try {
      return Nd4jBackend.INSTANCE;
    } catch (LinkageError e) { // nd4j-api without its natives, or natives that do not load here
      throw new IllegalStateException(missing + " (ND4J failed to load: " + e + ")", e);
    }
  }

  /** {@code x} as storage of {@code target}: itself if it already belongs there, else a copy. */
  public static Storage transfer(Storage x, Backend target) {
    if (x.backend() == target) {
      return x;
    }
    return target.create(x.backend().read(x), x.shape().clone(), x.dtype());
  }
}
