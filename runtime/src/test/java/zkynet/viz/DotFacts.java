package zkynet.viz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read back from DOT text written by {@link DotWriter}: nodes, edges, clusters. */
final class DotFacts {
  private static final Pattern NODE = Pattern.compile("^\\s*(n\\d+) \\[(.*)\\];$");
  private static final Pattern EDGE = Pattern.compile("^\\s*(n\\d+) -> (n\\d+);$");
  private static final Pattern CLUSTER = Pattern.compile("^\\s*subgraph (cluster_\\d+) \\{$");
  private static final Pattern CLUSTER_LABEL = Pattern.compile("^\\s*label=\"([^\"]*)\";");

  /** A node statement: its id, attributes text, label lines and enclosing cluster labels. */
  record DotNode(String id, String attributes, List<String> lines, List<String> clusters) {
    String name() {
      return lines.get(0);
    }

    boolean has(String attribute) {
      return attributes.contains(attribute);
    }
  }

  /** Nodes in order of appearance. */
  final Map<String, DotNode> nodes = new LinkedHashMap<>();
  /** Edges as {from id, to id}, one per statement. */
  final List<String[]> edges = new ArrayList<>();
  /** Cluster labels in order of appearance. */
  final List<String> clusters = new ArrayList<>();

  DotFacts(String dot) {
    Deque<String> open = new ArrayDeque<>();
    boolean expectLabel = false;
    for (String line : dot.split("\n")) {
      Matcher m;
      if ((m = CLUSTER.matcher(line)).matches()) {
        open.addLast("?");
        expectLabel = true;
      } else if (expectLabel && (m = CLUSTER_LABEL.matcher(line)).find()) {
        open.removeLast();
        open.addLast(m.group(1));
        clusters.add(m.group(1));
        expectLabel = false;
      } else if ((m = NODE.matcher(line)).matches()) {
        nodes.put(m.group(1), new DotNode(m.group(1), m.group(2), labelLines(m.group(2)),
            List.copyOf(open)));
      } else if ((m = EDGE.matcher(line)).matches()) {
        edges.add(new String[] {m.group(1), m.group(2)});
      } else if (line.trim().equals("}") && !open.isEmpty()) {
        open.removeLast();
      }
    }
  }

  private static List<String> labelLines(String attributes) {
    int start = attributes.indexOf("label=<") + "label=<".length();
    int end = attributes.indexOf(">, tooltip=");
    String html = attributes.substring(start, end);
    List<String> lines = new ArrayList<>();
    for (String part : html.split("<BR/>")) {
      lines.add(part.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">")
          .replace("&quot;", "\"").replace("&amp;", "&"));
    }
    return lines;
  }

  /** Nodes whose first label line is {@code name}. */
  List<DotNode> named(String name) {
    return nodes.values().stream().filter(n -> n.name().equals(name)).toList();
  }

  /** The only node named {@code name}. */
  DotNode one(String name) {
    List<DotNode> found = named(name);
    if (found.size() != 1) {
      throw new AssertionError("expected one node named " + name + ", found " + found.size()
          + " among " + nodes.values().stream().map(DotNode::name).toList());
    }
    return found.get(0);
  }

  /** Edges as "from -> to" by node name, in statement order. */
  List<String> edgeNames() {
    return edges.stream()
        .map(e -> nodes.get(e[0]).name() + " -> " + nodes.get(e[1]).name())
        .toList();
  }

  /** How many edges leave the node. */
  long outDegree(DotNode n) {
    return edges.stream().filter(e -> e[0].equals(n.id())).count();
  }

  /** Names of the nodes that consume {@code n}, one per edge. */
  List<String> consumers(DotNode n) {
    return edges.stream().filter(e -> e[0].equals(n.id())).map(e -> nodes.get(e[1]).name()).toList();
  }
}
