package zkynet.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import zkynet.ModuleGraph;
import zkynet.viz.Drawing.PCluster;
import zkynet.viz.Drawing.PEdge;
import zkynet.viz.Drawing.PNode;
import zkynet.viz.Drawing.Text;
import zkynet.viz.Scene.Kind;

/** Rendering without Graphviz (the ELK path is forced): PNG, SVG, and the geometry behind them. */
class GraphVizRenderTest {
  @TempDir
  Path dir;

  @Test
  void writesDecodablePngAndParseableSvgOfTheSimpleModel() throws Exception {
    ModuleGraph g = new VizModels.Simple(1.0).apply(3.0);
    GraphViz.PictureFiles files = GraphViz.of(g).engine(GraphViz.Engine.ELK)
        .title("f(x) = (x + w) * x^2 at x = 3").write(dir, "simple");
    assertEquals(GraphViz.Engine.ELK, files.engine());
    assertEquals(dir.resolve("simple.dot").toAbsolutePath(), files.dot());
    assertEquals(GraphViz.of(g).title("f(x) = (x + w) * x^2 at x = 3").toDot(),
        Files.readString(files.dot()));

    BufferedImage png = ImageIO.read(files.png().toFile());
    assertTrue(png != null, "the PNG decodes");
    assertTrue(png.getWidth() > 100 && png.getHeight() > 100, png.getWidth() + "x" + png.getHeight());
    assertTrue(colours(png) > 2, "more than background and one ink colour");

    Document svg = parse(Files.readString(files.svg()));
    Element root = svg.getDocumentElement();
    assertEquals("svg", root.getTagName());
    double svgWidth = Double.parseDouble(root.getAttribute("width"));
    double svgHeight = Double.parseDouble(root.getAttribute("height"));
    assertEquals(Math.ceil(svgWidth * PngPainter.SCALE), png.getWidth(), 1.0);
    assertEquals(Math.ceil(svgHeight * PngPainter.SCALE), png.getHeight(), 1.0);

    List<Element> nodes = groups(svg, "node");
    assertEquals(5, nodes.size());
    assertEquals(5, groups(svg, "edge").size());
    assertEquals(0, groups(svg, "cluster").size());
    int shapes = 0;
    int ellipses = 0;
    int texts = 0;
    int rings = 0;
    for (Element n : nodes) {
      for (Element child : children(n)) {
        switch (child.getAttribute("class")) {
          case "shape" -> {
            shapes++;
            ellipses += child.getTagName().equals("ellipse") ? 1 : 0;
          }
          case "root-ring" -> rings++;
          default -> texts += child.getTagName().equals("text") ? 1 : 0;
        }
      }
    }
    assertEquals(5, shapes, "one shape per node");
    assertEquals(1, ellipses, "x is the only variable");
    assertEquals(1, rings, "the root has a double border");
    assertEquals(10, texts, "name and value in each node");
    List<String> labels = new ArrayList<>();
    NodeList all = svg.getElementsByTagName("text");
    for (int i = 0; i < all.getLength(); i++) {
      labels.add(all.item(i).getTextContent());
    }
    assertTrue(labels.containsAll(List.of("f(x) = (x + w) * x^2 at x = 3", "x", "3", "w", "1",
        "add", "4", "square", "9", "mult (root)", "36")), labels.toString());
    for (Element e : groups(svg, "edge")) {
      assertEquals(1, e.getElementsByTagName("polyline").getLength());
      assertEquals(1, e.getElementsByTagName("polygon").getLength(), "an arrowhead");
    }
  }

  @Test
  void gradientsAndTensorsRenderToo() throws Exception {
    ModuleGraph g = new VizModels.SharedWeightSharedInput().apply(new double[] {1, 2});
    g.back();
    GraphViz.Rendering r = GraphViz.of(g).engine(GraphViz.Engine.ELK).render();
    Document svg = parse(r.svg());
    assertEquals(9, groups(svg, "node").size());
    assertEquals(12, groups(svg, "edge").size());
    assertEquals(1, groups(svg, "cluster").size());
    List<Element> labels = groups(svg, "cluster-label");
    assertEquals(1, labels.size());
    assertEquals("inner: Simple", labels.get(0).getElementsByTagName("text").item(0).getTextContent());
    assertTrue(r.svg().indexOf("class=\"cluster-label\"") > r.svg().lastIndexOf("class=\"edge\""),
        "the label (on its plate) is painted over the edges that enter the box");
    assertTrue(r.svg().contains(">grad [2] float32<"), "w's gradient has the root's shape");
    BufferedImage image = r.image();
    assertTrue(image.getWidth() > 300 && image.getHeight() > 300);
  }

  static Stream<Supplier<ModuleGraph>> models() {
    return Stream.of(
        () -> new VizModels.Simple(1.0).apply(3.0),
        () -> new VizModels.SharedWeightSharedInput().apply(3.0),
        () -> new VizModels.SharedWeightSeparateInputs().apply(3.0, 4.0),
        () -> new VizModels.SeparateWeightsSharedInput().apply(3.0),
        () -> new VizModels.SeparateWeightsSeparateInputs().apply(3.0, 4.0),
        () -> new VizModels.Outer().apply(3.0),
        () -> new VizModels.SquareByMult().apply(3.0),
        () -> new VizModels.Doubler().apply(3.0));
  }

  /** Layout quality on the small graphs, for every direction. */
  @ParameterizedTest
  @MethodSource("models")
  void layoutsReadInOneDirectionWithoutCrossingsAndLabelsInsideTheirBoxes(
      Supplier<ModuleGraph> model) {
    ModuleGraph g = model.get();
    g.back();
    for (GraphViz.Direction direction : GraphViz.Direction.values()) {
      Drawing d = ElkLayout.layout(GraphViz.of(g).direction(direction).scene());
      String what = g.module().name() + " " + direction;
      assertEquals(g.nodes().size(), d.nodes.size(), what);

      // Every edge points the same way (inputs before consumers along the direction).
      for (PEdge e : d.edges) {
        PNode from = placed(d, e.edge().from());
        PNode to = placed(d, e.edge().to());
        switch (direction) {
          case TOP_TO_BOTTOM -> assertTrue(from.y() + from.h() <= to.y() + 0.5, what);
          case BOTTOM_TO_TOP -> assertTrue(to.y() + to.h() <= from.y() + 0.5, what);
          case LEFT_TO_RIGHT -> assertTrue(from.x() + from.w() <= to.x() + 0.5, what);
        }
        // The line starts on the source's outline and the arrow's tip touches the target's box.
        Point2D.Double start = e.line().get(0);
        Point2D.Double tip = e.arrow().get(0);
        assertTrue(onOutline(from, start), what + ": edge starts on its source " + start);
        assertTrue(onBox(to, tip), what + ": arrow ends on its target " + tip);
      }

      // No two edges cross.
      List<Line2D> segments = new ArrayList<>();
      List<Integer> owner = new ArrayList<>();
      for (int i = 0; i < d.edges.size(); i++) {
        List<Point2D.Double> pts = new ArrayList<>(d.edges.get(i).line());
        pts.add(d.edges.get(i).arrow().get(0));
        for (int k = 0; k + 1 < pts.size(); k++) {
          segments.add(new Line2D.Double(pts.get(k), pts.get(k + 1)));
          owner.add(i);
        }
      }
      for (int a = 0; a < segments.size(); a++) {
        for (int b = a + 1; b < segments.size(); b++) {
          if (!owner.get(a).equals(owner.get(b))) {
            assertTrue(!properlyCross(segments.get(a), segments.get(b)),
                what + ": edges " + owner.get(a) + " and " + owner.get(b) + " cross");
          }
        }
      }

      // Nodes do not overlap, and each label line fits inside its node's shape.
      for (PNode n : d.nodes) {
        for (PNode m : d.nodes) {
          if (n != m) {
            assertTrue(n.x() + n.w() <= m.x() || m.x() + m.w() <= n.x()
                || n.y() + n.h() <= m.y() || m.y() + m.h() <= n.y(), what + ": overlap");
          }
        }
        for (Text t : n.texts()) {
          double w = Style.width(t.text(), t.font());
          double top = t.baseline() - Style.ascent(t.font());
          double bottom = top + Style.lineHeight(t.font());
          double left = t.x() - w / 2;
          double right = t.x() + w / 2;
          String where = what + ": label '" + t.text() + "'";
          assertTrue(left >= n.x() + 2 && right <= n.x() + n.w() - 2, where + " fits in width");
          assertTrue(top >= n.y() + 2 && bottom <= n.y() + n.h() - 2, where + " fits in height");
          if (n.node().kind() == Kind.VARIABLE) {
            for (double[] c : new double[][] {{left, top}, {right, top}, {left, bottom}, {right, bottom}}) {
              double u = (c[0] - n.cx()) / (n.w() / 2);
              double v = (c[1] - n.cy()) / (n.h() / 2);
              assertTrue(u * u + v * v <= 1.0001, where + " fits in the ellipse");
            }
          }
        }
      }

      // Clusters hold their nodes and fit their label.
      for (PCluster c : d.clusters) {
        for (PNode n : d.nodes) {
          if (n.node().cluster() == c.cluster()) {
            assertTrue(n.x() >= c.x() && n.x() + n.w() <= c.x() + c.w()
                && n.y() >= c.y() && n.y() + n.h() <= c.y() + c.h(), what + ": " + n.node().id()
                + " inside " + c.cluster().label);
          }
        }
        assertTrue(Style.width(c.label().text(), c.label().font()) <= c.w(), what);
      }
      assertTrue(d.width > 0 && d.height > 0);
    }
  }

  @Test
  void rootSitsAtTheEndOfTheDirection() {
    ModuleGraph g = new VizModels.SeparateWeightsSeparateInputs().apply(3.0, 4.0);
    Drawing down = ElkLayout.layout(GraphViz.of(g).scene());
    Drawing up = ElkLayout.layout(GraphViz.of(g).direction(GraphViz.Direction.BOTTOM_TO_TOP).scene());
    PNode rootDown = down.nodes.stream().filter(n -> n.node().root()).findFirst().orElseThrow();
    PNode rootUp = up.nodes.stream().filter(n -> n.node().root()).findFirst().orElseThrow();
    assertTrue(down.nodes.stream().allMatch(n -> n.y() <= rootDown.y()), "root at the bottom");
    assertTrue(up.nodes.stream().allMatch(n -> n.y() >= rootUp.y()), "root at the top");
  }

  @Test
  void graphvizEngineIsUsedWhenInstalledAndOtherwiseAClearError() throws Exception {
    ModuleGraph g = new VizModels.Simple(1.0).apply(3.0);
    if (GraphViz.graphvizAvailable()) {
      GraphViz.Rendering r = GraphViz.of(g).engine(GraphViz.Engine.GRAPHVIZ).render();
      assertEquals(GraphViz.Engine.GRAPHVIZ, r.engine());
      assertEquals(5, groups(parse(r.svg()), "node").size());
      assertTrue(r.image().getWidth() > 100);
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> GraphViz.of(g).engine(GraphViz.Engine.GRAPHVIZ).render());
      assertTrue(e.getMessage().contains("dot"), e.getMessage());
      assertEquals(GraphViz.Engine.ELK, GraphViz.of(g).render().engine(), "AUTO falls back to ELK");
    }
  }

  @Test
  void pictureFilesAreWrittenIntoANewDirectory() throws Exception {
    Path nested = dir.resolve("a/b");
    GraphViz.PictureFiles files = GraphViz.write(new VizModels.Doubler().apply(3.0), nested,
        "doubler", "2 * x");
    for (Path p : List.of(files.dot(), files.svg(), files.png())) {
      assertTrue(Files.size(p) > 100, p.toString());
      assertTrue(p.startsWith(nested.toAbsolutePath()));
    }
    assertTrue(ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(files.png()))) != null);
    assertThrows(IllegalArgumentException.class,
        () -> GraphViz.of(new VizModels.Doubler().apply(3.0)).write(dir, "../escape"));
  }

  @Test
  void degenerateGraphsRender() throws Exception {
    GraphViz.Rendering one = GraphViz.of(new VizModels.Identity().apply(3.0))
        .engine(GraphViz.Engine.ELK).render();
    Document svg = parse(one.svg());
    assertEquals(1, groups(svg, "node").size());
    assertEquals(0, groups(svg, "edge").size());
    assertTrue(one.svg().contains(">x (root)<"), "the root is the input itself");
    assertTrue(one.image().getWidth() > 100);

    GraphViz.Rendering unused = GraphViz.of(new VizModels.IgnoresY().apply(3.0, 4.0))
        .engine(GraphViz.Engine.ELK).render();
    Document svg2 = parse(unused.svg());
    assertEquals(3, groups(svg2, "node").size(), "y is drawn although nothing uses it");
    assertEquals(1, groups(svg2, "edge").size());
  }

  @Test
  void longChainsStayWithinTheImageSizeLimit() {
    ModuleGraph g = new VizModels.Chain(150).apply(0.0);
    assertEquals(75.0, g.value().item(), 1e-3);
    // No time limit here (timed unit tests fail on a loaded machine): layout speed is for benchmarks.
    GraphViz.Rendering r = GraphViz.of(g).engine(GraphViz.Engine.ELK).render();
    BufferedImage image = r.image();
    assertTrue(image.getHeight() <= PngPainter.MAX_SIDE && image.getWidth() <= PngPainter.MAX_SIDE,
        image.getWidth() + "x" + image.getHeight());
    assertTrue(image.getHeight() > 4000, "still one layer per operator: " + image.getHeight());
  }

  // ------------------------------------------------------------------ helpers

  static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y) & 0xffffff);
        if (seen.size() > 16) {
          return seen.size();
        }
      }
    }
    return seen.size();
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    // Graphviz's SVG names the SVG 1.1 DTD: never fetch it.
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> groups(Document svg, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList gs = svg.getElementsByTagName("g");
    for (int i = 0; i < gs.getLength(); i++) {
      Element g = (Element) gs.item(i);
      if (g.getAttribute("class").equals(cls)) {
        out.add(g);
      }
    }
    return out;
  }

  private static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (org.w3c.dom.Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element el) {
        out.add(el);
      }
    }
    return out;
  }

  private static PNode placed(Drawing d, Scene.SNode n) {
    return d.nodes.stream().filter(p -> p.node() == n).findFirst().orElseThrow();
  }

  private static boolean onBox(PNode n, Point2D.Double p) {
    double eps = 1.0;
    boolean inside = p.x >= n.x() - eps && p.x <= n.x() + n.w() + eps
        && p.y >= n.y() - eps && p.y <= n.y() + n.h() + eps;
    boolean border = Math.abs(p.x - n.x()) <= eps || Math.abs(p.x - n.x() - n.w()) <= eps
        || Math.abs(p.y - n.y()) <= eps || Math.abs(p.y - n.y() - n.h()) <= eps;
    return inside && border;
  }

  private static boolean onOutline(PNode n, Point2D.Double p) {
    if (n.node().kind() != Kind.VARIABLE) {
      return onBox(n, p);
    }
    double u = (p.x - n.cx()) / (n.w() / 2);
    double v = (p.y - n.cy()) / (n.h() / 2);
    return Math.abs(Math.hypot(u, v) - 1) < 0.02;
  }

  /** Whether two segments cross at a point inside both (touching at ends does not count). */
  private static boolean properlyCross(Line2D a, Line2D b) {
    double d1 = orient(b.getP1(), b.getP2(), a.getP1());
    double d2 = orient(b.getP1(), b.getP2(), a.getP2());
    double d3 = orient(a.getP1(), a.getP2(), b.getP1());
    double d4 = orient(a.getP1(), a.getP2(), b.getP2());
    double eps = 1e-6;
    return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
  }

  private static double orient(Point2D p, Point2D q, Point2D r) {
    return (q.getX() - p.getX()) * (r.getY() - p.getY()) - (q.getY() - p.getY()) * (r.getX() - p.getX());
  }
}
