package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.OperatorNode;
import zkynet.viz.DotFacts.DotNode;

/** The DOT text: nodes, edges, labels, styles and clusters of the seed's models. */
class GraphVizDotTest {
  private static ModuleGraph simpleAtThree() {
    return new VizModels.Simple(1.0).apply(3.0);
  }

  @Test
  void simpleModelHasFiveNodesAndFiveEdgesWithTheirValues() {
    DotFacts dot = new DotFacts(GraphViz.toDot(simpleAtThree()));

    assertEquals(5, dot.nodes.size(), "2 inputs and 3 operators");
    assertEquals(List.of("x", "w", "add", "square", "mult (root)"),
        dot.nodes.values().stream().map(DotNode::name).toList());
    assertEquals(List.of("3"), dot.one("x").lines().subList(1, 2));
    assertEquals(List.of("x", "3"), dot.one("x").lines());
    assertEquals(List.of("w", "1"), dot.one("w").lines());
    assertEquals(List.of("add", "4"), dot.one("add").lines());
    assertEquals(List.of("square", "9"), dot.one("square").lines());
    assertEquals(List.of("mult (root)", "36"), dot.one("mult (root)").lines());

    assertEquals(5, dot.edges.size());
    assertEquals(List.of("x -> add", "w -> add", "x -> square", "add -> mult (root)",
        "square -> mult (root)"), dot.edgeNames());
    assertTrue(dot.clusters.isEmpty(), "the top module is the picture itself, not a cluster");
  }

  @Test
  void kindsAreStyledDifferentlyAndTheRootIsMarked() {
    DotFacts dot = new DotFacts(GraphViz.toDot(simpleAtThree()));
    DotNode x = dot.one("x");
    DotNode w = dot.one("w");
    DotNode add = dot.one("add");
    DotNode root = dot.one("mult (root)");
    assertTrue(x.has("shape=ellipse"), x.attributes());
    assertTrue(x.has("fillcolor=\"" + Style.fill(Scene.Kind.VARIABLE) + "\""));
    assertTrue(w.has("shape=box") && w.has("style=\"rounded,filled\""), w.attributes());
    assertTrue(w.has("fillcolor=\"" + Style.fill(Scene.Kind.PARAMETER) + "\""));
    assertTrue(add.has("shape=box") && add.has("style=\"filled\""), add.attributes());
    assertTrue(add.has("fillcolor=\"" + Style.fill(Scene.Kind.OPERATOR) + "\""));
    assertTrue(root.has("peripheries=2") && root.has(Style.ROOT_STROKE), root.attributes());
    assertEquals(1, dot.nodes.values().stream().filter(n -> n.has("peripheries=2")).count());
    assertTrue(x.has("tooltip=\"variable Simple_"), "tooltips name the entity: " + x.attributes());
    assertTrue(w.has(".w = [] float32 1\""), w.attributes());
  }

  @Test
  void titleDirectionAndEscaping() {
    String dot = GraphViz.of(simpleAtThree()).title("f(x) = (x + w) * x^2 <at> \"x = 3\" & more")
        .direction(GraphViz.Direction.BOTTOM_TO_TOP).toDot();
    assertTrue(dot.contains("rankdir=BT"), dot);
    assertTrue(dot.contains("<B>f(x) = (x + w) * x^2 &lt;at&gt; &quot;x = 3&quot; &amp; more</B>"), dot);
    assertTrue(dot.contains("tooltip=\"f(x) = (x + w) * x^2 <at> \\\"x = 3\\\" & more\""), dot);
    assertTrue(GraphViz.of(simpleAtThree()).direction(GraphViz.Direction.LEFT_TO_RIGHT).toDot()
        .contains("rankdir=LR"));
    String byDefault = GraphViz.toDot(simpleAtThree());
    assertTrue(byDefault.contains("rankdir=TB"));
    assertTrue(byDefault.matches("(?s).*<B>Simple_\\d+ \\(call \\d+\\)</B>.*"), "default title");
  }

  @Test
  void gradientsAreShownAfterBack() {
    ModuleGraph g = simpleAtThree();
    assertFalse(GraphViz.toDot(g).contains("grad"), "no gradients before back()");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GraphViz.of(g).gradients(true).toDot());
    assertTrue(e.getMessage().contains("call back()"), e.getMessage());

    g.back();
    DotFacts dot = new DotFacts(GraphViz.toDot(g));
    assertEquals(List.of("x", "3", "grad 33"), dot.one("x").lines());
    assertEquals(List.of("w", "1", "grad 9"), dot.one("w").lines());
    assertEquals(List.of("add", "4", "grad 9"), dot.one("add").lines());
    assertEquals(List.of("square", "9", "grad 4"), dot.one("square").lines());
    assertEquals(List.of("mult (root)", "36", "grad 1"), dot.one("mult (root)").lines());
    assertFalse(GraphViz.of(g).gradients(false).toDot().contains("grad "));
  }

  @Test
  void tensorLabelsShowShapeDtypeAndAShortPreview() {
    ModuleGraph g = new VizModels.Simple(1.0).apply(new double[] {3, 4, 5});
    DotFacts dot = new DotFacts(GraphViz.toDot(g));
    assertEquals(List.of("mult (root)", "[3] float32", "[36, 80, 150]"),
        dot.one("mult (root)").lines());
    assertEquals(List.of("w", "1"), dot.one("w").lines(), "w stays a scalar");
    DotFacts two = new DotFacts(GraphViz.of(g).maxValues(2).toDot());
    assertEquals(List.of("mult (root)", "[3] float32", "[36, 80, ...]"),
        two.one("mult (root)").lines());

    g.back();
    DotFacts grads = new DotFacts(GraphViz.toDot(g));
    assertEquals(List.of("x", "[3] float32", "[3, 4, 5]", "grad [3,3] float32",
        "[33, 0, 0, 0, ...]"), grads.one("x").lines(), "jacrev layout: root.shape ++ x.shape");
    assertEquals(List.of("w", "1", "grad [3] float32", "[9, 16, 25]"), grads.one("w").lines());
  }

  @Test
  void largeTensorsAreAbbreviated() {
    double[][] big = new double[100][60];
    big[0][1] = 2;
    DotFacts dot = new DotFacts(GraphViz.toDot(new VizModels.Simple(1.0).apply((Object) big)));
    assertEquals(List.of("x", "[100,60] float32", "[0, 2, 0, 0, ...]"), dot.one("x").lines());
    assertEquals(List.of("mult (root)", "[100,60] float32", "[0, 12, 0, 0, ...]"),
        dot.one("mult (root)").lines());
  }

  @Test
  void aValueUsedTwiceByOneOperatorHasTwoEdges() {
    DotFacts dot = new DotFacts(GraphViz.toDot(new VizModels.SquareByMult().apply(3.0)));
    assertEquals(2, dot.nodes.size());
    assertEquals(List.of("x -> mult (root)", "x -> mult (root)"), dot.edgeNames());
    assertEquals(List.of("mult (root)", "9"), dot.one("mult (root)").lines());
  }

  @Test
  void constantsAreGreyDashedBoxes() {
    DotFacts dot = new DotFacts(GraphViz.toDot(new VizModels.Doubler().apply(3.0)));
    assertEquals(3, dot.nodes.size());
    DotNode c = dot.one("const");
    assertEquals(List.of("const", "2"), c.lines());
    assertTrue(c.has("style=\"dashed,filled\"") && c.has(Style.fill(Scene.Kind.CONSTANT)),
        c.attributes());
    assertEquals(List.of("x -> mult (root)", "const -> mult (root)").stream().sorted().toList(),
        dot.edgeNames().stream().sorted().toList());
  }

  /**
   * model, node count, edge count, value, consumers of each w, uses of each input, the w nodes'
   * labels (their parameter paths), the sub-module clusters (instance path and class).
   */
  static Stream<Arguments> composites() {
    List<String> inner = List.of("inner: Simple");
    List<String> twoInstances = List.of("first: Simple", "second: Simple");
    return Stream.of(
        Arguments.of("weight and input sharing",
            (Supplier<ModuleGraph>) () -> new VizModels.SharedWeightSharedInput().apply(3.0),
            9, 12, 72.0, List.of(2), List.of(4), List.of("inner.w"), inner),
        Arguments.of("weight sharing",
            (Supplier<ModuleGraph>) () -> new VizModels.SharedWeightSeparateInputs().apply(3.0, 4.0),
            10, 12, 116.0, List.of(2), List.of(2, 2), List.of("inner.w"), inner),
        Arguments.of("input sharing",
            (Supplier<ModuleGraph>) () -> new VizModels.SeparateWeightsSharedInput().apply(3.0),
            10, 12, 81.0, List.of(1, 1), List.of(4), List.of("first.w", "second.w"), twoInstances),
        Arguments.of("no sharing",
            (Supplier<ModuleGraph>) () -> new VizModels.SeparateWeightsSeparateInputs().apply(3.0, 4.0),
            11, 12, 132.0, List.of(1, 1), List.of(2, 2), List.of("first.w", "second.w"), twoInstances));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("composites")
  void compositesHaveTheNodesAndEdgesTheirStructureImplies(String name,
      Supplier<ModuleGraph> model, int nodes, int edges, double value, List<Integer> wConsumers,
      List<Integer> variableConsumers, List<String> wNames, List<String> clusters) {
    ModuleGraph g = model.get();
    assertEquals(value, g.value().item(), 1e-4);
    DotFacts dot = new DotFacts(GraphViz.toDot(g));
    assertEquals(nodes, dot.nodes.size(), name + ": nodes");
    assertEquals(edges, dot.edges.size(), name + ": edges (5 per inner call + 2 into the top add)");
    assertEquals(g.nodes().size(), dot.nodes.size(), "every node of the call is drawn");

    List<DotNode> ws = dot.nodes.values().stream().filter(n -> n.name().endsWith(".w")).toList();
    assertEquals(wNames, ws.stream().map(DotNode::name).toList(), name + ": parameters by path");
    assertEquals(wConsumers, ws.stream().map(w -> (int) dot.outDegree(w)).toList(), name + ": w");
    for (DotNode w : ws) {
      assertTrue(dot.consumers(w).stream().allMatch("add"::equals), "w feeds inner adds only");
    }
    List<DotNode> variables = dot.nodes.values().stream().filter(n -> n.has("shape=ellipse")).toList();
    assertEquals(variableConsumers, variables.stream().map(v -> (int) dot.outDegree(v)).toList(),
        name + ": uses of each input");

    // One cluster per sub-module instance (two calls of one instance share it), holding its
    // operators and its parameter; the top add and the inputs are outside.
    assertEquals(clusters, dot.clusters);
    for (DotNode n : dot.nodes.values()) {
      boolean top = n.name().equals("add (root)") || n.has("shape=ellipse");
      assertEquals(top ? 0 : 1, n.clusters().size(), n.name());
    }
    for (DotNode w : ws) {
      String instance = w.name().substring(0, w.name().indexOf('.'));
      assertEquals(List.of(instance + ": Simple"), w.clusters(), w.name() + " sits in its owner");
      for (String[] e : dot.edges) {
        if (e[0].equals(w.id())) {
          assertEquals(w.clusters(), dot.nodes.get(e[1]).clusters(), "consumers of " + w.name());
        }
      }
    }
    List<List<String>> mults = dot.named("mult").stream().map(DotNode::clusters).toList();
    assertEquals(clusters.size() == 1 ? List.of(inner(clusters, 0), inner(clusters, 0))
        : List.of(inner(clusters, 0), inner(clusters, 1)), mults, "the inner mults, by instance");
    assertEquals(1, dot.named("add (root)").size());
  }

  private static List<String> inner(List<String> clusters, int i) {
    return List.of(clusters.get(i));
  }

  @Test
  void nestedModulesGiveNestedClusters() {
    DotFacts dot = new DotFacts(GraphViz.toDot(new VizModels.Outer().apply(3.0)));
    List<String> inner = List.of("middle: SharedWeightSharedInput", "inner: Simple");
    assertEquals(inner, dot.clusters);
    assertEquals(inner, dot.one("middle.inner.w").clusters());
    assertEquals(List.of(List.of("middle: SharedWeightSharedInput"), inner, inner),
        dot.named("add").stream().map(DotNode::clusters).toList(), "the middle add, then the inner ones");
    assertEquals(List.of(), dot.one("square (root)").clusters());
    assertEquals(List.of(), dot.one("x").clusters());
    assertEquals(10, dot.nodes.size());
    assertEquals(13, dot.edges.size());

    String flat = GraphViz.of(new VizModels.Outer().apply(3.0)).clusters(false).toDot();
    assertFalse(flat.contains("subgraph"), flat);
    assertEquals(10, new DotFacts(flat).nodes.size());
  }

  @Test
  void aNodeIsDrawnWithItsAncestorsOnly() {
    ModuleGraph g = simpleAtThree();
    Node add = g.nodes().stream()
        .filter(n -> n instanceof OperatorNode op && op.operator().equals("add"))
        .findFirst().orElseThrow();
    DotFacts dot = new DotFacts(GraphViz.of(add).toDot());
    assertEquals(List.of("x", "w", "add (root)"),
        dot.nodes.values().stream().map(DotNode::name).toList());
    assertEquals(List.of("x -> add (root)", "w -> add (root)"), dot.edgeNames());

    assertThrows(IllegalStateException.class, () -> GraphViz.of(add).gradients(true).toDot());
    g.back();
    DotFacts withGrads = new DotFacts(GraphViz.of(g, add).toDot());
    assertEquals(List.of("add (root)", "4", "grad 9"), withGrads.one("add (root)").lines(),
        "gradients are those of the graph's root");
    ModuleGraph other = simpleAtThree();
    assertThrows(IllegalArgumentException.class, () -> GraphViz.of(other, add));
  }

  @Test
  void fileNamesComeFromTitles() {
    assertEquals("f-x-x-w-x-2-at-x-3", GraphViz.fileName("f(x) = (x + w) * x^2 at x = 3"));
    assertEquals("simple_1-call-7", GraphViz.fileName("Simple_1 (call 7)"));
    assertEquals("cg", GraphViz.fileName("***"));
    assertTrue(GraphViz.fileName("x".repeat(100)).length() <= 60);
  }
}
