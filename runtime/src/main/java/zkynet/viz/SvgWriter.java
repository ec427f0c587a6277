package zkynet.viz;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import zkynet.viz.Drawing.PCluster;
import zkynet.viz.Drawing.PEdge;
import zkynet.viz.Drawing.PNode;
import zkynet.viz.Drawing.Text;
import zkynet.viz.Scene.Kind;

/**
 * Writes a {@link Drawing} as SVG with the structure Graphviz uses: a {@code <g class="cluster">},
 * {@code <g class="edge">} or {@code <g class="node">} per element, each with a {@code <title>}
 * (tooltip), its shape and one {@code <text>} per label line.
 */
final class SvgWriter {
  private SvgWriter() {}

  static final double ROOT_RING = 3.5;
  static final double PARAMETER_RADIUS = 9;
  static final double OPERATOR_RADIUS = 3;

  static String write(Drawing d) {
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(Svg.num(d.width))
        .append("\" height=\"").append(Svg.num(d.height)).append("\" viewBox=\"0 0 ")
        .append(Svg.num(d.width)).append(' ').append(Svg.num(d.height))
        .append("\" font-family=\"").append(Style.SVG_FONTS).append("\">\n");
    sb.append("<title>").append(Svg.esc(d.title)).append("</title>\n");
    sb.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(Svg.num(d.width))
        .append("\" height=\"").append(Svg.num(d.height)).append("\" fill=\"")
        .append(Style.BACKGROUND).append("\"/>\n");
    sb.append("<g class=\"header\">\n");
    for (Text t : d.header) {
      text(sb, t);
    }
    sb.append("</g>\n");
    for (PCluster c : d.clusters) {
      sb.append("<g class=\"cluster\" id=\"").append(c.cluster().id).append("\">\n");
      sb.append("<title>").append(Svg.esc(c.cluster().path)).append("</title>\n");
      sb.append("<rect x=\"").append(Svg.num(c.x())).append("\" y=\"").append(Svg.num(c.y()))
          .append("\" width=\"").append(Svg.num(c.w())).append("\" height=\"").append(Svg.num(c.h()))
          .append("\" rx=\"8\" fill=\"").append(Style.CLUSTER_FILL).append("\" stroke=\"")
          .append(Style.CLUSTER_STROKE).append("\" stroke-dasharray=\"5,3\"/>\n");
      sb.append("</g>\n");
    }
    for (PEdge e : d.edges) {
      sb.append("<g class=\"edge\" id=\"").append(e.edge().from().id()).append("-")
          .append(e.edge().to().id()).append("-").append(e.edge().arg()).append("\">\n");
      sb.append("<title>").append(Svg.esc(e.edge().from().id() + " -> " + e.edge().to().id()
          + " (argument " + e.edge().arg() + ")")).append("</title>\n");
      sb.append("<polyline fill=\"none\" stroke=\"").append(Style.EDGE)
          .append("\" stroke-width=\"1.2\" points=\"").append(points(e.line())).append("\"/>\n");
      sb.append("<polygon fill=\"").append(Style.EDGE).append("\" stroke=\"").append(Style.EDGE)
          .append("\" points=\"").append(points(e.arrow())).append("\"/>\n");
      sb.append("</g>\n");
    }
    for (PCluster c : d.clusters) {
      Rectangle2D.Double p = c.plate();
      sb.append("<g class=\"cluster-label\" id=\"").append(c.cluster().id).append("-label\">\n");
      sb.append("<rect x=\"").append(Svg.num(p.x)).append("\" y=\"").append(Svg.num(p.y))
          .append("\" width=\"").append(Svg.num(p.width)).append("\" height=\"")
          .append(Svg.num(p.height)).append("\" fill=\"").append(Style.CLUSTER_FILL).append("\"/>\n");
      text(sb, c.label());
      sb.append("</g>\n");
    }
    for (PNode n : d.nodes) {
      sb.append("<g class=\"node\" id=\"").append(n.node().id()).append("\">\n");
      sb.append("<title>").append(Svg.esc(n.node().tooltip())).append("</title>\n");
      shape(sb, n);
      for (Text t : n.texts()) {
        text(sb, t);
      }
      sb.append("</g>\n");
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void shape(StringBuilder sb, PNode n) {
    Kind kind = n.node().kind();
    String fill = Style.fill(kind);
    String stroke = n.node().root() ? Style.ROOT_STROKE : Style.stroke(kind);
    String width = n.node().root() ? "1.8" : "1.2";
    String common = " fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"" + width + "\""
        + (kind == Kind.CONSTANT ? " stroke-dasharray=\"4,3\"" : "");
    shapeElement(sb, n, 0, "shape", common);
    if (n.node().root()) {
      shapeElement(sb, n, ROOT_RING, "root-ring",
          " fill=\"none\" stroke=\"" + stroke + "\" stroke-width=\"1.2\"");
    }
  }

  private static void shapeElement(StringBuilder sb, PNode n, double inset, String cls, String attrs) {
    double x = n.x() + inset;
    double y = n.y() + inset;
    double w = n.w() - 2 * inset;
    double h = n.h() - 2 * inset;
    if (n.node().kind() == Kind.VARIABLE) {
      sb.append("<ellipse class=\"").append(cls).append("\" cx=\"").append(Svg.num(x + w / 2))
          .append("\" cy=\"").append(Svg.num(y + h / 2)).append("\" rx=\"").append(Svg.num(w / 2))
          .append("\" ry=\"").append(Svg.num(h / 2)).append('"').append(attrs).append("/>\n");
    } else {
      double r = Math.max(0, radius(n.node().kind()) - inset / 2);
      sb.append("<rect class=\"").append(cls).append("\" x=\"").append(Svg.num(x))
          .append("\" y=\"").append(Svg.num(y)).append("\" width=\"").append(Svg.num(w))
          .append("\" height=\"").append(Svg.num(h)).append("\" rx=\"").append(Svg.num(r))
          .append('"').append(attrs).append("/>\n");
    }
  }

  static double radius(Kind kind) {
    return switch (kind) {
      case PARAMETER -> PARAMETER_RADIUS;
      case OPERATOR -> OPERATOR_RADIUS;
      case VARIABLE, CONSTANT -> 0;
    };
  }

  private static void text(StringBuilder sb, Text t) {
    sb.append("<text x=\"").append(Svg.num(t.x())).append("\" y=\"").append(Svg.num(t.baseline()))
        .append("\" text-anchor=\"middle\" ").append(Style.svgFont(t.font())).append(" fill=\"")
        .append(t.color()).append("\">").append(Svg.esc(t.text())).append("</text>\n");
  }

  private static String points(List<Point2D.Double> pts) {
    StringBuilder sb = new StringBuilder();
    for (Point2D.Double p : pts) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(Svg.num(p.x)).append(',').append(Svg.num(p.y));
    }
    return sb.toString();
  }
}
