package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;

/**
 * Laying out with ELK must not start EMF's "EMF Reference Cleaner" daemon thread: exec:java
 * interrupts daemon threads at the end of a run, and that one dies printing a stack trace.
 */
class ElkLayoutThreadTest {
  private static final String EMF_CLEANER = "EMF Reference Cleaner";

  @Test
  void layoutLeavesNoEmfCleanerThread() throws ClassNotFoundException {
    ModuleGraph g = new VizModels.SeparateWeightsSeparateInputs().apply(3.0, 4.0);
    Drawing d = ElkLayout.layout(GraphViz.of(g).scene());
    assertFalse(d.nodes.isEmpty(), "the layout placed the graph's nodes");
    // Initialise EMF's CommonUtil (where the thread would start) in case the layout did not.
    Class.forName("org.eclipse.emf.common.util.CommonUtil", true, getClass().getClassLoader());
    assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals(EMF_CLEANER)),
        "no thread named '" + EMF_CLEANER + "' after an ELK layout");
  }
}
