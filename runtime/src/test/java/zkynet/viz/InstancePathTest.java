package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import zkynet.InputNode;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.OperatorNode;

/** Nodes know which sub-module instance made them, and pictures cluster by that path. */
class InstancePathTest {
  private static List<String> paths(ModuleGraph g, String operator) {
    return g.nodes().stream()
        .filter(n -> n instanceof OperatorNode op && op.operator().equals(operator))
        .map(Node::instancePath).toList();
  }

  @Test
  void listElementsAndNestedModulesHaveFieldPaths() {
    ModuleGraph g = new VizModels.Stack().apply(1.0);
    // layer 0: inner called twice (2 mults), then its add; the same for layer 1.
    assertEquals(List.of("layers.0.inner", "layers.0.inner", "layers.1.inner", "layers.1.inner"),
        paths(g, "mult"));
    assertEquals(List.of("layers.0.inner", "layers.0.inner", "layers.0", "layers.1.inner",
        "layers.1.inner", "layers.1"), paths(g, "add"));
    Node x = g.nodes().get(0);
    assertEquals("", x.instancePath(), "the top module's input");
    assertEquals("Stack/SharedWeightSharedInput/Simple",
        g.nodes().stream()
            .filter(n -> n instanceof OperatorNode && n.instancePath().equals("layers.1.inner"))
            .findFirst().orElseThrow().modulePath(), "the functional path is unchanged");
  }

  @Test
  void levelsKeepListIndicesWithTheirField() {
    assertEquals(List.of(), SceneBuilder.levels(""));
    assertEquals(List.of("m1"), SceneBuilder.levels("m1"));
    assertEquals(List.of("layers.0", "inner"), SceneBuilder.levels("layers.0.inner"));
    assertEquals(List.of("a", "b.12", "c.3"), SceneBuilder.levels("a.b.12.c.3"));
  }

  @Test
  void listClustersNestByInstance() {
    DotFacts dot = new DotFacts(GraphViz.toDot(new VizModels.Stack().apply(1.0)));
    assertEquals(List.of("layers.0: SharedWeightSharedInput", "inner: Simple",
        "layers.1: SharedWeightSharedInput", "inner: Simple"), dot.clusters);
    assertEquals(List.of("layers.0: SharedWeightSharedInput", "inner: Simple"),
        dot.one("layers.0.inner.w").clusters());
    assertEquals(List.of("layers.1: SharedWeightSharedInput", "inner: Simple"),
        dot.one("layers.1.inner.w").clusters());
    assertEquals(List.of("layers.1: SharedWeightSharedInput"), dot.one("add (root)").clusters());
  }

  @Test
  void aSharedWeightSitsOutsideAndAModuleMadeOnTheFlyGoesByName() {
    ModuleGraph g = new VizModels.SharedParameter().apply(2.0);
    assertEquals(List.of("a", "b"), paths(g, "mult").subList(0, 2));
    String made = paths(g, "square").get(0);
    assertTrue(made.matches("Simple_\\d+"), made);
    InputNode k = (InputNode) g.nodes().stream()
        .filter(n -> n instanceof InputNode in && in.kind() == InputNode.Kind.PARAMETER).findFirst()
        .orElseThrow();
    assertEquals("a", k.instancePath(), "created where first used");

    DotFacts dot = new DotFacts(GraphViz.toDot(g));
    assertEquals(List.of(), dot.one("k").clusters(), "shared by a and b: in neither");
    assertEquals(2, dot.consumers(dot.one("k")).size());
    assertEquals(List.of("a: Scale", "b: Scale", made + ": Simple"), dot.clusters);
    assertEquals(List.of(made + ": Simple"), dot.one(made + ".w").clusters(),
        "a parameter the top module cannot reach is labelled with its owner's name");
  }

  @Test
  void pathsStayPerCallWhenThreadsShareAModule() throws Exception {
    VizModels.Stack shared = new VizModels.Stack();
    List<String> expected = List.of("layers.0.inner", "layers.0.inner", "layers.1.inner",
        "layers.1.inner");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        double x = i;
        calls.add(pool.submit(() -> paths(shared.apply(x), "mult")));
      }
      for (Future<List<String>> f : calls) {
        assertEquals(expected, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
