package zkynet.viz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a picture shows, independent of any output format: nodes with their label lines and
 * styles, the edges (one per use of a value), the clusters of module calls, and the header. Built by
 * {@link SceneBuilder}; read by {@link DotWriter} and {@link ElkLayout}.
 */
final class Scene {
  /** The kind of a node, which decides its shape and colours. */
  enum Kind { VARIABLE, PARAMETER, CONSTANT, OPERATOR }

  /** The role of one line of a label, which decides its font and colour. */
  enum LineStyle { NAME, VALUE, SHAPE, GRAD }

  /** One line of a node's label. */
  record Line(String text, LineStyle style) {}

  /** A node of the picture: {@code id} is {@code n} followed by the graph node's id. */
  record SNode(String id, Kind kind, boolean root, List<Line> lines, String tooltip, Cluster cluster) {
    SNode {
      lines = List.copyOf(lines);
    }
  }

  /** One use of {@code from} as argument {@code arg} of the operator {@code to}. */
  record SEdge(SNode from, SNode to, int arg) {}

  /**
   * A module path drawn as a box around the nodes created inside it. The top cluster (path "") is
   * the picture itself and is not drawn.
   */
  static final class Cluster {
    final String id;
    final String path;
    final String label;
    final Cluster parent;
    final List<Cluster> children = new ArrayList<>();
    final List<SNode> nodes = new ArrayList<>();

    Cluster(String id, String path, String label, Cluster parent) {
      this.id = id;
      this.path = path;
      this.label = label;
      this.parent = parent;
    }

    boolean isTop() {
      return parent == null;
    }

    /** Nesting depth: 0 for the top, 1 for its children, ... */
    int depth() {
      int d = 0;
      for (Cluster c = parent; c != null; c = c.parent) {
        d++;
      }
      return d;
    }
  }

  /** Between the entries of the legend (SVG collapses runs of spaces, so not just spaces). */
  static final String LEGEND_SEPARATOR = "  \u00b7  ";

  final String title;
  /** One line naming the styles, entries separated by {@link #LEGEND_SEPARATOR}. */
  final String legend;
  final GraphViz.Direction direction;
  final List<SNode> nodes;
  final List<SEdge> edges;
  final Cluster top;
  final List<Cluster> clusters;

  Scene(String title, String legend, GraphViz.Direction direction, List<SNode> nodes,
      List<SEdge> edges, Cluster top, List<Cluster> clusters) {
    this.title = title;
    this.legend = legend;
    this.direction = direction;
    this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    this.edges = Collections.unmodifiableList(new ArrayList<>(edges));
    this.top = top;
    this.clusters = Collections.unmodifiableList(new ArrayList<>(clusters));
  }
}
