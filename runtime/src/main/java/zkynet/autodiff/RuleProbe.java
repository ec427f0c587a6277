package zkynet.autodiff;

import java.util.function.Consumer;

/**
 * For tests and tools that count the work of a backward pass, not for timing: an observer receives
 * the name of every rule of {@link Rules} as it runs. With no observer (the default) a rule pays one
 * field read. One observer for the whole JVM; set it, run the sweep, reset it in {@code finally}.
 *
 * <pre>{@code
 * Map<String, Integer> counts = new TreeMap<>();
 * RuleProbe.observe(rule -> counts.merge(rule, 1, Integer::sum));
 * try { graph.back(); } finally { RuleProbe.observe(null); }
 * }</pre>
 */
public final class RuleProbe {
  private static volatile Consumer<String> observer;

  private RuleProbe() {}

  /** Observes every rule that runs from now on; null stops observing. */
  public static void observe(Consumer<String> observer) {
    RuleProbe.observer = observer;
  }

  static void ran(String rule) {
    Consumer<String> o = observer;
    if (o != null) {
      o.accept(rule);
    }
  }
}
