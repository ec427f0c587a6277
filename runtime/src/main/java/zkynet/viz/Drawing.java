package zkynet.viz;

import java.awt.geom.Rectangle2D;
import java.awt.Font;
import java.awt.geom.Point2D;
import java.util.List;
import zkynet.viz.Scene.Cluster;
import zkynet.viz.Scene.SEdge;
import zkynet.viz.Scene.SNode;

/**
 * A laid-out picture in absolute pixel coordinates (origin top left): what {@link SvgWriter} and
 * {@link PngPainter} both draw, so the two outputs agree exactly.
 */
final class Drawing {
  /** One line of text, centred on {@code x}, with its baseline at {@code baseline}. */
  record Text(String text, double x, double baseline, Font font, String color) {}

  /** A node's box (the bounding box of its shape) and its label lines. */
  record PNode(SNode node, double x, double y, double w, double h, List<Text> texts) {
    double cx() {
      return x + w / 2;
    }

    double cy() {
      return y + h / 2;
    }
  }

  /** A cluster's box and its label (at the top). */
  record PCluster(Cluster cluster, double x, double y, double w, double h, Text label) {
    /**
     * The plate under the label, in the cluster's fill: painted after the edges, so an edge that
     * enters the box under its label passes behind the text instead of through it.
     */
    Rectangle2D.Double plate() {
      double width = Style.width(label.text(), label.font()) + 6;
      double top = label.baseline() - Style.ascent(label.font()) - 1;
      return new Rectangle2D.Double(label.x() - width / 2, top, width,
          Style.lineHeight(label.font()) + 2);
    }
  }

  /**
   * An edge: the polyline from the source's border to the base of the arrowhead, and the
   * arrowhead's three corners (tip first, touching the target).
   */
  record PEdge(SEdge edge, List<Point2D.Double> line, List<Point2D.Double> arrow) {}

  final String title;
  final double width;
  final double height;
  final List<Text> header;
  final List<PCluster> clusters;
  final List<PNode> nodes;
  final List<PEdge> edges;

  Drawing(String title, double width, double height, List<Text> header, List<PCluster> clusters,
      List<PNode> nodes, List<PEdge> edges) {
    this.title = title;
    this.width = width;
    this.height = height;
    this.header = List.copyOf(header);
    this.clusters = List.copyOf(clusters);
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
  }
}
