package zkynet.viz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import zkynet.InputNode;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.OperatorNode;
import zkynet.Tensor;
import zkynet.backend.TensorFormat;
import zkynet.viz.Scene.Cluster;
import zkynet.viz.Scene.Kind;
import zkynet.viz.Scene.Line;
import zkynet.viz.Scene.LineStyle;
import zkynet.viz.Scene.SEdge;
import zkynet.viz.Scene.SNode;

/** Reads a graph (or a node's ancestors) into a {@link Scene}: labels, styles, clusters, edges. */
final class SceneBuilder {
  /** Tensors with more elements than this are sliced before reading the values a label shows. */
  private static final long READ_ALL_LIMIT = 4096;

  private SceneBuilder() {}

  static Scene build(ModuleGraph graph, Node root, boolean wholeGraph, String title,
      GraphViz.Direction direction, boolean gradients, boolean clusters, int maxValues) {
    List<Node> nodes = wholeGraph ? graph.nodes() : ancestors(root);

    // Module path of every consumer of each node (for placing parameters).
    Map<Integer, List<String>> consumerPaths = new HashMap<>();
    for (Node n : nodes) {
      if (n instanceof OperatorNode op) {
        for (Node in : op.inputs()) {
          consumerPaths.computeIfAbsent(in.id(), k -> new ArrayList<>()).add(op.modulePath());
        }
      }
    }

    Cluster top = new Cluster("top", "", "", null);
    Map<String, Cluster> byPath = new LinkedHashMap<>();
    byPath.put("", top);
    List<Cluster> allClusters = new ArrayList<>();
    List<SNode> sceneNodes = new ArrayList<>();
    Map<Integer, SNode> byId = new HashMap<>();
    EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);

    for (Node n : nodes) {
      Kind kind = kindOf(n);
      kinds.add(kind);
      String path = clusters ? clusterPath(n, consumerPaths.getOrDefault(n.id(), List.of())) : "";
      Cluster cluster = cluster(path, byPath, allClusters);
      List<Line> lines = new ArrayList<>();
      boolean isRoot = n == root;
      lines.add(new Line(shortName(n) + (isRoot ? " (root)" : ""), LineStyle.NAME));
      valueLines(n.value(), maxValues, "", LineStyle.VALUE, lines);
      if (gradients && graph.hasGradient(n)) {
        valueLines(graph.grad(n), maxValues, "grad ", LineStyle.GRAD, lines);
      }
      SNode s = new SNode("n" + n.id(), kind, isRoot, lines, tooltip(n, kind), cluster);
      cluster.nodes.add(s);
      sceneNodes.add(s);
      byId.put(n.id(), s);
    }

    List<SEdge> edges = new ArrayList<>();
    for (Node n : nodes) {
      if (n instanceof OperatorNode op) {
        List<Node> inputs = op.inputs();
        for (int k = 0; k < inputs.size(); k++) {
          SNode from = byId.get(inputs.get(k).id());
          if (from == null) {
            throw new IllegalStateException("input " + inputs.get(k) + " of " + op
                + " is not among the nodes drawn");
          }
          edges.add(new SEdge(from, byId.get(n.id()), k));
        }
      }
    }
    return new Scene(title, legend(kinds, gradients), direction, sceneNodes, edges, top, allClusters);
  }

  /** {@code node} and everything it was computed from, in creation (topological) order. */
  static List<Node> ancestors(Node node) {
    Map<Integer, Node> seen = new TreeMap<>();
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      if (seen.putIfAbsent(n.id(), n) == null && n instanceof OperatorNode op) {
        for (Node in : op.inputs()) {
          stack.push(in);
        }
      }
    }
    return new ArrayList<>(seen.values());
  }

  private static Kind kindOf(Node n) {
    if (n instanceof OperatorNode) {
      return Kind.OPERATOR;
    }
    return switch (((InputNode) n).kind()) {
      case VARIABLE -> Kind.VARIABLE;
      case PARAMETER -> Kind.PARAMETER;
      case CONSTANT -> Kind.CONSTANT;
    };
  }

  private static String shortName(Node n) {
    if (n instanceof InputNode in && in.kind() == InputNode.Kind.CONSTANT) {
      return "const";
    }
    return n.label();
  }

  private static String tooltip(Node n, Kind kind) {
    String what = n instanceof InputNode in
        ? kind.name().toLowerCase() + " " + in.name()
        : "operator " + n.label() + (n.modulePath().isEmpty() ? "" : " in " + n.modulePath());
    return what + " = " + n.value().preview(8);
  }

  /**
   * The module path of the cluster a node is drawn in. Operators, constants and variables use
   * their own module path. A parameter's node records only its owner's functional name, so it goes
   * into the deepest cluster that holds all its consumers and is named after its owner (or the top).
   */
  private static String clusterPath(Node n, List<String> consumers) {
    String own = n.modulePath();
    if (n instanceof InputNode in && in.kind() == InputNode.Kind.PARAMETER) {
      if (consumers.isEmpty()) {
        return "";
      }
      String[] common = consumers.get(0).split("/", -1);
      int len = common.length;
      for (String c : consumers) {
        String[] parts = c.split("/", -1);
        int i = 0;
        while (i < len && i < parts.length && parts[i].equals(common[i])) {
          i++;
        }
        len = i;
      }
      for (int k = len; k > 0; k--) {
        if (common[k - 1].equals(own)) {
          return String.join("/", Arrays.copyOf(common, k));
        }
      }
      return "";
    }
    return own;
  }

  /**
   * The cluster of a module path, created with its ancestors on first use. The top module's own
   * path (one component) is the picture itself: only sub-module calls become clusters.
   */
  private static Cluster cluster(String path, Map<String, Cluster> byPath, List<Cluster> all) {
    if (path == null || path.isEmpty() || !path.contains("/")) {
      return byPath.get("");
    }
    Cluster c = byPath.get(path);
    if (c != null) {
      return c;
    }
    String parentPath = path.substring(0, path.lastIndexOf('/'));
    Cluster parent = cluster(parentPath, byPath, all);
    c = new Cluster("cluster_" + (all.size() + 1), path, path.substring(path.lastIndexOf('/') + 1),
        parent);
    parent.children.add(c);
    byPath.put(path, c);
    all.add(c);
    return c;
  }

  /**
   * Label lines of a value: a rank-0 tensor as one line ({@code 36}, {@code grad 9}); others as
   * the shape and dtype ({@code [3] float32}) and then the first values ({@code [36, 80, 150]}).
   */
  static void valueLines(Tensor t, int maxValues, String prefix, LineStyle style, List<Line> out) {
    int[] shape = t.shape();
    if (shape.length == 0) {
      out.add(new Line(prefix + TensorFormat.compact(t.item()), style));
      return;
    }
    out.add(new Line(prefix + TensorFormat.shape(shape).replace(" ", "") + " "
        + TensorFormat.name(t.dtype()), style == LineStyle.GRAD ? LineStyle.GRAD : LineStyle.SHAPE));
    out.add(new Line(values(t, maxValues), style));
  }

  private static String values(Tensor t, int maxValues) {
    long size = t.size();
    int n = (int) Math.min(size, maxValues);
    double[] data;
    if (size <= READ_ALL_LIMIT) {
      data = t.toDoubleArray();
    } else {
      data = t.reshape((int) size).slice(0, 0, n).toDoubleArray();
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(TensorFormat.compact(data[i]));
    }
    if (n < size) {
      sb.append(n == 0 ? "..." : ", ...");
    }
    return sb.append(']').toString();
  }

  private static String legend(Set<Kind> kinds, boolean gradients) {
    List<String> parts = new ArrayList<>();
    if (kinds.contains(Kind.VARIABLE)) {
      parts.add("blue ellipse: variable");
    }
    if (kinds.contains(Kind.PARAMETER)) {
      parts.add("orange: parameter");
    }
    if (kinds.contains(Kind.CONSTANT)) {
      parts.add("grey: constant");
    }
    if (kinds.contains(Kind.OPERATOR)) {
      parts.add("green: operator");
    }
    parts.add("double border: root");
    if (gradients) {
      parts.add("grad: d root / d node");
    }
    return String.join(Scene.LEGEND_SEPARATOR, parts);
  }
}
