package zkynet.viz;

import zkynet.viz.Scene.Cluster;
import zkynet.viz.Scene.Kind;
import zkynet.viz.Scene.Line;
import zkynet.viz.Scene.SEdge;
import zkynet.viz.Scene.SNode;

/**
 * Prints a {@link Scene} as Graphviz DOT: one statement per node ({@code n<id> [...]}), clusters
 * as {@code subgraph cluster_<k>}, one edge statement per use of a value, the title as the graph's
 * label. Labels are Graphviz HTML-like labels (bold name, then the value lines).
 */
final class DotWriter {
  private DotWriter() {}

  static String write(Scene scene) {
    StringBuilder sb = new StringBuilder();
    sb.append("// ").append(scene.title.replace('\n', ' ')).append('\n');
    sb.append("// Drawn by zkynet.viz.GraphViz; render with: dot -Tsvg file.dot -o file.svg\n");
    sb.append("digraph cg {\n");
    sb.append("  graph [rankdir=").append(rankdir(scene.direction))
        .append(", labelloc=t, fontname=\"").append(Style.DOT_FONT).append('"')
        .append(", nodesep=0.3, ranksep=0.45, bgcolor=\"").append(Style.BACKGROUND).append('"')
        .append(", tooltip=").append(quote(scene.title)).append(",\n         label=<")
        .append("<FONT POINT-SIZE=\"16\"><B>").append(html(scene.title)).append("</B></FONT><BR/>")
        .append("<FONT POINT-SIZE=\"11\" COLOR=\"").append(Style.LEGEND_TEXT).append("\">")
        .append(html(scene.legend)).append("</FONT>>];\n");
    sb.append("  node [fontname=\"").append(Style.DOT_FONT).append("\", fontsize=12, fontcolor=\"")
        .append(Style.TEXT).append("\", penwidth=1.2, margin=\"0.14,0.06\"];\n");
    sb.append("  edge [color=\"").append(Style.EDGE).append("\", arrowsize=0.7];\n");
    writeCluster(sb, scene.top, "  ");
    for (SEdge e : scene.edges) {
      sb.append("  ").append(e.from().id()).append(" -> ").append(e.to().id()).append(";\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static void writeCluster(StringBuilder sb, Cluster c, String indent) {
    String inner = indent;
    if (!c.isTop()) {
      sb.append(indent).append("subgraph ").append(c.id).append(" {\n");
      inner = indent + "  ";
      sb.append(inner).append("label=").append(quote(c.label)).append("; tooltip=")
          .append(quote(c.path)).append("; style=\"rounded,dashed,filled\"; fillcolor=\"")
          .append(Style.CLUSTER_FILL).append("\"; color=\"").append(Style.CLUSTER_STROKE)
          .append("\"; fontcolor=\"").append(Style.CLUSTER_TEXT)
          .append("\"; fontsize=11; fontname=\"Helvetica-Oblique\";\n");
    }
    for (SNode n : c.nodes) {
      sb.append(inner).append(n.id()).append(" [").append(nodeAttributes(n)).append("];\n");
    }
    for (Cluster child : c.children) {
      writeCluster(sb, child, inner);
    }
    if (!c.isTop()) {
      sb.append(indent).append("}\n");
    }
  }

  private static String nodeAttributes(SNode n) {
    StringBuilder sb = new StringBuilder();
    sb.append("shape=").append(n.kind() == Kind.VARIABLE ? "ellipse" : "box");
    String style = switch (n.kind()) {
      case VARIABLE, OPERATOR -> "filled";
      case PARAMETER -> "rounded,filled";
      case CONSTANT -> "dashed,filled";
    };
    sb.append(", style=\"").append(style).append('"');
    sb.append(", fillcolor=\"").append(Style.fill(n.kind())).append('"');
    if (n.root()) {
      sb.append(", color=\"").append(Style.ROOT_STROKE).append("\", peripheries=2, penwidth=1.8");
    } else {
      sb.append(", color=\"").append(Style.stroke(n.kind())).append('"');
    }
    sb.append(", label=<").append(label(n)).append('>');
    sb.append(", tooltip=").append(quote(n.tooltip()));
    return sb.toString();
  }

  private static String label(SNode n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n.lines().size(); i++) {
      Line line = n.lines().get(i);
      if (i > 0) {
        sb.append("<BR/>");
      }
      String text = html(line.text());
      switch (line.style()) {
        case NAME -> sb.append("<FONT POINT-SIZE=\"13\"><B>").append(text).append("</B></FONT>");
        case VALUE -> sb.append(text);
        case SHAPE -> sb.append("<FONT POINT-SIZE=\"10.5\" COLOR=\"").append(Style.SHAPE_TEXT)
            .append("\">").append(text).append("</FONT>");
        case GRAD -> sb.append("<FONT POINT-SIZE=\"11\" COLOR=\"").append(Style.GRAD_TEXT)
            .append("\">").append(text).append("</FONT>");
      }
    }
    return sb.toString();
  }

  private static String rankdir(GraphViz.Direction d) {
    return switch (d) {
      case TOP_TO_BOTTOM -> "TB";
      case BOTTOM_TO_TOP -> "BT";
      case LEFT_TO_RIGHT -> "LR";
    };
  }

  /** A DOT double-quoted string. */
  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /** Text for a Graphviz HTML-like label. */
  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
