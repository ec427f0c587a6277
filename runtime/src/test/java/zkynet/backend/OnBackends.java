package zkynet.backend;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** For tests parameterised over the registered backends. */
public final class OnBackends {
  private OnBackends() {}

  /** The registered backend names (a JUnit {@code @MethodSource}). */
  public static Stream<String> names() {
    return StreamSupport.stream(Backends.names().spliterator(), false);
  }

  /** Runs {@code body} with {@code name} as the current backend, then restores the previous one. */
  public static void on(String name, Runnable body) {
    String previous = Backends.current().name();
    Backends.use(name);
    try {
      body.run();
    } finally {
      Backends.use(previous);
    }
  }
}
