package zkynet.viz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import zkynet.InputNode;
import zkynet.ModuleGraph;
import zkynet.Node;
import zkynet.OperatorNode;
import zkynet.Parameter;
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

    // Instance path of every consumer of each node (for placing parameters).
    Map<Integer, List<String>> consumerPaths = new HashMap<>();
    for (Node n : nodes) {
      if (n instanceof OperatorNode op) {
        for (Node in : op.inputs()) {
          consumerPaths.computeIfAbsent(in.id(), k -> new ArrayList<>()).add(op.instancePath());
        }
      }
    }
    Map<Parameter, String> paramPaths = new IdentityHashMap<>();
    if (graph != null) { // drawing a bare node: paths unknown, parameters keep their field names
      graph.module().namedParameters().forEach((path, p) -> paramPaths.put(p, path));
    }
    Map<String, String> classOf = classes(nodes);

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
      String paramPath = parameterPath(n, paramPaths);
      List<String> path = clusters
          ? clusterPath(n, paramPath, consumerPaths.getOrDefault(n.id(), List.of())) : List.of();
      Cluster cluster = cluster(path, classOf, byPath, allClusters);
      List<Line> lines = new ArrayList<>();
      boolean isRoot = n == root;
      lines.add(new Line((paramPath != null ? paramPath : shortName(n)) + (isRoot ? " (root)" : ""),
          LineStyle.NAME));
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
        : "operator " + n.label() + (n.instancePath().isEmpty() ? "" : " in " + n.instancePath());
    return what + " = " + n.value().preview(8);
  }

  /**
   * A parameter's path in the drawn module ({@code m1.w}); its name ({@code Simple_3.w}) if the
   * module does not reach it, its field name if no module is known; null for other nodes.
   */
  private static String parameterPath(Node n, Map<Parameter, String> paths) {
    if (n instanceof InputNode in && in.slot() instanceof Parameter p) {
      return paths.isEmpty() ? p.shortName() : paths.getOrDefault(p, p.name());
    }
    return null;
  }

  /**
   * The levels of an instance path: {@code "layers.0.inner"} is {@code [layers.0, inner]} (a list
   * element's index belongs to its field; Java field names never start with a digit).
   */
  static List<String> levels(String path) {
    List<String> out = new ArrayList<>();
    if (path.isEmpty()) {
      return out;
    }
    for (String part : path.split("\\.", -1)) {
      if (!out.isEmpty() && !part.isEmpty() && Character.isDigit(part.charAt(0))) {
        out.set(out.size() - 1, out.get(out.size() - 1) + "." + part);
      } else {
        out.add(part);
      }
    }
    return out;
  }

  /**
   * The class of each sub-module instance path, read off the nodes created inside it: a node's
   * module path names the classes ({@code Top/Dense/Linear}) along its instance path ({@code
   * layers.0.lin}).
   */
  private static Map<String, String> classes(List<Node> nodes) {
    Map<String, String> out = new HashMap<>();
    for (Node n : nodes) {
      if (n instanceof InputNode in && in.kind() == InputNode.Kind.PARAMETER) {
        continue; // a parameter's module path is its owner's class only
      }
      List<String> levels = levels(n.instancePath());
      String[] classes = n.modulePath().split("/", -1);
      if (classes.length == levels.size() + 1) {
        for (int i = 0; i < levels.size(); i++) {
          out.putIfAbsent(String.join(".", levels.subList(0, i + 1)), classes[i + 1]);
        }
      }
    }
    return out;
  }

  /**
   * The levels of the cluster a node is drawn in: its sub-module instance path. A parameter goes
   * into its owner's cluster when every consumer is inside it, else to the top (a weight shared
   * between sub-modules belongs to none of them).
   */
  private static List<String> clusterPath(Node n, String paramPath, List<String> consumers) {
    if (paramPath == null) {
      return levels(n.instancePath());
    }
    List<String> owner = levels(paramPath);
    owner = owner.subList(0, Math.max(0, owner.size() - 1));
    for (String c : consumers) {
      List<String> cl = levels(c);
      if (cl.size() < owner.size() || !cl.subList(0, owner.size()).equals(owner)) {
        return List.of();
      }
    }
    return owner;
  }

  /**
   * The cluster of an instance path, created with its ancestors on first use and labelled with
   * its last level and class ({@code m1: SimpleModel}). The top module is the picture itself.
   */
  private static Cluster cluster(List<String> levels, Map<String, String> classOf,
      Map<String, Cluster> byPath, List<Cluster> all) {
    if (levels.isEmpty()) {
      return byPath.get("");
    }
    String path = String.join(".", levels);
    Cluster c = byPath.get(path);
    if (c != null) {
      return c;
    }
    int last = levels.size() - 1;
    Cluster parent = cluster(levels.subList(0, last), classOf, byPath, all);
    String cls = classOf.get(path);
    String label = levels.get(last) + (cls != null ? ": " + cls : "");
    c = new Cluster("cluster_" + (all.size() + 1), path, label, parent);
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
