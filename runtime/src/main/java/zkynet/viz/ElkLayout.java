package zkynet.viz;

import java.awt.Font;
import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.alg.layered.options.OrderingStrategy;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.math.KVector;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.HierarchyHandling;
import org.eclipse.elk.core.options.SizeConstraint;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
import zkynet.viz.Drawing.PCluster;
import zkynet.viz.Drawing.PEdge;
import zkynet.viz.Drawing.PNode;
import zkynet.viz.Drawing.Text;
import zkynet.viz.Scene.Cluster;
import zkynet.viz.Scene.Kind;
import zkynet.viz.Scene.Line;
import zkynet.viz.Scene.SEdge;
import zkynet.viz.Scene.SNode;

/**
 * Lays a {@link Scene} out with the Eclipse Layout Kernel's layered algorithm (a Sugiyama-style
 * layout, pure Java) and turns the result into a {@link Drawing}. Node sizes come from the measured
 * label text, so labels always fit; sub-module clusters are compound nodes laid out together with
 * the rest of the graph ({@code hierarchyHandling = INCLUDE_CHILDREN}).
 */
final class ElkLayout {
  /**
   * EMF (under ELK) starts a daemon thread, "EMF Reference Cleaner", when its CommonUtil class loads,
   * unless this property is "false"; then its string and URI pools clear their references as they
   * are used. The thread dies with an InterruptedException stack trace when a launcher interrupts
   * daemon threads at the end of a run (exec:java does), so it is switched off before any EMF class
   * loads. A value the user set wins.
   */
  static final String EMF_CLEANER_THREAD = "org.eclipse.emf.common.util.ReferenceClearingQueue";

  static {
    if (System.getProperty(EMF_CLEANER_THREAD) == null) {
      System.setProperty(EMF_CLEANER_THREAD, "false");
    }
    // ELK finds its algorithms through ServiceLoader on the context class loader, which misses them
    // under some launchers (exec:java, application servers): register the layered algorithm directly.
    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  private ElkLayout() {}

  static final double MARGIN = 14;
  private static final double BOX_PAD_X = 12;
  private static final double BOX_PAD_Y = 7;
  private static final double ROOT_RING = 4;
  /** An ellipse around a w x h text block needs sqrt(2) times the block's size. */
  private static final double ELLIPSE = Math.sqrt(2);
  private static final double ARROW_LENGTH = 9;
  private static final double ARROW_HALF_WIDTH = 4;
  private static final double CLUSTER_PAD = 10;

  static Drawing layout(Scene scene) {
    // ---- the ELK graph
    ElkNode graph = ElkGraphUtil.createGraph();
    graph.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    graph.setProperty(CoreOptions.DIRECTION, direction(scene.direction));
    graph.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN);
    graph.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
    graph.setProperty(CoreOptions.PADDING, new ElkPadding(0));
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE, 22.0);
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 42.0);
    graph.setProperty(LayeredOptions.SPACING_EDGE_NODE, 12.0);
    graph.setProperty(LayeredOptions.SPACING_EDGE_EDGE, 8.0);
    graph.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, OrderingStrategy.NODES_AND_EDGES);

    Map<Cluster, ElkNode> clusterNodes = new LinkedHashMap<>();
    clusterNodes.put(scene.top, graph);
    Map<SNode, ElkNode> elkNodes = new IdentityHashMap<>();
    Map<SNode, double[]> textBlocks = new IdentityHashMap<>();
    for (SNode n : scene.nodes) {
      ElkNode parent = clusterNode(n.cluster(), clusterNodes);
      ElkNode e = ElkGraphUtil.createNode(parent);
      e.setIdentifier(n.id());
      double[] block = textBlock(n.lines());
      textBlocks.put(n, block);
      double ring = n.root() ? 2 * ROOT_RING : 0;
      double w;
      double h;
      if (n.kind() == Kind.VARIABLE) {
        w = (block[0] + 8) * ELLIPSE + ring;
        h = (block[1] + 4) * ELLIPSE + ring;
      } else {
        w = block[0] + 2 * BOX_PAD_X + ring;
        h = block[1] + 2 * BOX_PAD_Y + ring;
      }
      e.setDimensions(Math.ceil(Math.max(w, 44)), Math.ceil(Math.max(h, 30)));
      elkNodes.put(n, e);
    }
    Map<SEdge, ElkEdge> elkEdges = new LinkedHashMap<>();
    for (SEdge s : scene.edges) {
      elkEdges.put(s, ElkGraphUtil.createSimpleEdge(elkNodes.get(s.from()), elkNodes.get(s.to())));
    }

    new RecursiveGraphLayoutEngine().layout(graph, new BasicProgressMonitor());

    // ---- the header above the graph
    double graphW = graph.getWidth();
    double graphH = graph.getHeight();
    double titleW = Style.width(scene.title, Style.TITLE);
    double wrapAt = Math.max(Math.max(graphW, titleW), 320);
    List<String> legendLines = wrap(scene.legend, Style.LEGEND, wrapAt);
    double contentW = Math.max(graphW, titleW);
    for (String l : legendLines) {
      contentW = Math.max(contentW, Style.width(l, Style.LEGEND));
    }
    double width = Math.ceil(contentW + 2 * MARGIN);
    List<Text> header = new ArrayList<>();
    double y = MARGIN + Style.ascent(Style.TITLE);
    header.add(new Text(scene.title, width / 2, y, Style.TITLE, Style.TEXT));
    y += Style.lineHeight(Style.TITLE) - Style.ascent(Style.TITLE);
    for (String l : legendLines) {
      y += Style.ascent(Style.LEGEND) + 2;
      header.add(new Text(l, width / 2, y, Style.LEGEND, Style.LEGEND_TEXT));
      y += Style.lineHeight(Style.LEGEND) - Style.ascent(Style.LEGEND);
    }
    double dx = MARGIN + (contentW - graphW) / 2;
    double dy = y + 14;
    double height = Math.ceil(dy + graphH + MARGIN);

    // ---- clusters, outermost first
    List<PCluster> clusters = new ArrayList<>();
    for (Map.Entry<Cluster, ElkNode> c : clusterNodes.entrySet()) {
      if (c.getKey().isTop()) {
        continue;
      }
      ElkNode e = c.getValue();
      double[] p = absolute(e);
      double x = dx + p[0];
      double top = dy + p[1];
      Text label = new Text(c.getKey().label, x + e.getWidth() / 2,
          top + 5 + Style.ascent(Style.CLUSTER), Style.CLUSTER, Style.CLUSTER_TEXT);
      clusters.add(new PCluster(c.getKey(), x, top, e.getWidth(), e.getHeight(), label));
    }
    clusters.sort((a, b) -> Integer.compare(a.cluster().depth(), b.cluster().depth()));

    // ---- nodes
    Map<SNode, PNode> placed = new IdentityHashMap<>();
    List<PNode> nodes = new ArrayList<>();
    for (SNode n : scene.nodes) {
      ElkNode e = elkNodes.get(n);
      double[] p = absolute(e);
      double x = dx + p[0];
      double top = dy + p[1];
      double[] block = textBlocks.get(n);
      List<Text> texts = new ArrayList<>();
      double cx = x + e.getWidth() / 2;
      double ty = top + (e.getHeight() - block[1]) / 2;
      for (Line line : n.lines()) {
        Font f = Style.font(line.style());
        texts.add(new Text(line.text(), cx, ty + Style.ascent(f), f, Style.textColor(line.style())));
        ty += Style.lineHeight(f);
      }
      PNode pn = new PNode(n, x, top, e.getWidth(), e.getHeight(), texts);
      placed.put(n, pn);
      nodes.add(pn);
    }

    // ---- edges
    List<PEdge> edges = new ArrayList<>();
    for (Map.Entry<SEdge, ElkEdge> entry : elkEdges.entrySet()) {
      ElkEdge e = entry.getValue();
      if (e.getSections().isEmpty()) {
        throw new IllegalStateException("ELK did not route the edge " + entry.getKey().from().id()
            + " -> " + entry.getKey().to().id());
      }
      double[] origin = absolute(e.getContainingNode());
      double ox = dx + origin[0];
      double oy = dy + origin[1];
      List<Point2D.Double> pts = new ArrayList<>();
      for (ElkEdgeSection s : e.getSections()) {
        add(pts, ox + s.getStartX(), oy + s.getStartY());
        for (ElkBendPoint b : s.getBendPoints()) {
          add(pts, ox + b.getX(), oy + b.getY());
        }
        add(pts, ox + s.getEndX(), oy + s.getEndY());
      }
      PNode from = placed.get(entry.getKey().from());
      if (from.node().kind() == Kind.VARIABLE && pts.size() >= 2) {
        pts.set(0, onEllipse(from, pts.get(1), pts.get(0)));
      }
      edges.add(arrow(entry.getKey(), pts));
    }
    return new Drawing(scene.title, width, height, header, clusters, nodes, edges);
  }

  private static ElkNode clusterNode(Cluster c, Map<Cluster, ElkNode> made) {
    ElkNode e = made.get(c);
    if (e != null) {
      return e;
    }
    ElkNode parent = clusterNode(c.parent, made);
    e = ElkGraphUtil.createNode(parent);
    e.setIdentifier(c.id);
    double labelH = Style.lineHeight(Style.CLUSTER);
    e.setProperty(CoreOptions.PADDING,
        new ElkPadding(labelH + 10, CLUSTER_PAD, CLUSTER_PAD, CLUSTER_PAD));
    e.setProperty(CoreOptions.NODE_SIZE_CONSTRAINTS, EnumSet.of(SizeConstraint.MINIMUM_SIZE));
    e.setProperty(CoreOptions.NODE_SIZE_MINIMUM,
        new KVector(Math.ceil(Style.width(c.label, Style.CLUSTER) + 2 * CLUSTER_PAD), 0));
    made.put(c, e);
    return e;
  }

  /** Width and height of a node's label lines. */
  static double[] textBlock(List<Line> lines) {
    double w = 0;
    double h = 0;
    for (Line line : lines) {
      Font f = Style.font(line.style());
      w = Math.max(w, Style.width(line.text(), f));
      h += Style.lineHeight(f);
    }
    return new double[] {w, h};
  }

  /** Position of an ELK node relative to the root graph. */
  private static double[] absolute(ElkNode node) {
    double x = 0;
    double y = 0;
    for (ElkNode n = node; n != null && n.getParent() != null; n = n.getParent()) {
      x += n.getX();
      y += n.getY();
    }
    return new double[] {x, y};
  }

  private static void add(List<Point2D.Double> pts, double x, double y) {
    if (pts.isEmpty() || pts.get(pts.size() - 1).distance(x, y) > 1e-6) {
      pts.add(new Point2D.Double(x, y));
    }
  }

  /**
   * Where the segment from {@code outside} to {@code onBox} (a point on the node's bounding box)
   * first meets the node's ellipse; the point on the ellipse towards {@code onBox} if it misses.
   */
  static Point2D.Double onEllipse(PNode n, Point2D.Double outside, Point2D.Double onBox) {
    double a = n.w() / 2;
    double b = n.h() / 2;
    double px = (outside.x - n.cx()) / a;
    double py = (outside.y - n.cy()) / b;
    double qx = (onBox.x - n.cx()) / a;
    double qy = (onBox.y - n.cy()) / b;
    double ddx = qx - px;
    double ddy = qy - py;
    double qa = ddx * ddx + ddy * ddy;
    double qb = 2 * (px * ddx + py * ddy);
    double qc = px * px + py * py - 1;
    double disc = qb * qb - 4 * qa * qc;
    if (qa > 0 && disc >= 0) {
      double t = (-qb - Math.sqrt(disc)) / (2 * qa);
      if (t >= 0 && t <= 1) {
        return new Point2D.Double(outside.x + t * (onBox.x - outside.x),
            outside.y + t * (onBox.y - outside.y));
      }
    }
    double r = Math.hypot(qx, qy);
    return r == 0 ? onBox : new Point2D.Double(n.cx() + a * qx / r, n.cy() + b * qy / r);
  }

  /** Splits the polyline into the line (ending at the arrow's base) and the arrowhead. */
  private static PEdge arrow(SEdge edge, List<Point2D.Double> pts) {
    Point2D.Double tip = pts.get(pts.size() - 1);
    Point2D.Double prev = pts.get(pts.size() - 2);
    double len = tip.distance(prev);
    double ux = (tip.x - prev.x) / len;
    double uy = (tip.y - prev.y) / len;
    double arrowLen = Math.min(ARROW_LENGTH, len * 0.8);
    Point2D.Double base = new Point2D.Double(tip.x - ux * arrowLen, tip.y - uy * arrowLen);
    List<Point2D.Double> line = new ArrayList<>(pts.subList(0, pts.size() - 1));
    line.add(base);
    List<Point2D.Double> head = List.of(tip,
        new Point2D.Double(base.x - uy * ARROW_HALF_WIDTH, base.y + ux * ARROW_HALF_WIDTH),
        new Point2D.Double(base.x + uy * ARROW_HALF_WIDTH, base.y - ux * ARROW_HALF_WIDTH));
    return new PEdge(edge, line, head);
  }

  private static List<String> wrap(String text, Font font, double maxWidth) {
    List<String> lines = new ArrayList<>();
    String current = "";
    for (String part : text.split(java.util.regex.Pattern.quote(Scene.LEGEND_SEPARATOR))) {
      String candidate = current.isEmpty() ? part : current + Scene.LEGEND_SEPARATOR + part;
      if (!current.isEmpty() && Style.width(candidate, font) > maxWidth) {
        lines.add(current);
        current = part;
      } else {
        current = candidate;
      }
    }
    if (!current.isEmpty()) {
      lines.add(current);
    }
    return lines;
  }

  private static Direction direction(GraphViz.Direction d) {
    return switch (d) {
      case TOP_TO_BOTTOM -> Direction.DOWN;
      case BOTTOM_TO_TOP -> Direction.UP;
      case LEFT_TO_RIGHT -> Direction.RIGHT;
    };
  }
}
