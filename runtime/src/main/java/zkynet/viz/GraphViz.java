package zkynet.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import zkynet.ModuleGraph;
import zkynet.Node;

/**
 * Pictures of computational graphs, like the seed's {@code plot_cg(root, wait=2, title=...)}.
 *
 * <pre>{@code
 * ModuleGraph g = new SimpleModel(1.0).apply(3.0);
 * g.back();
 * GraphViz.show(g, 2, "f(x) = (x + w) * x^2 at x = 3");          // a window for 2 s, or files
 * String dot = GraphViz.toDot(g);                                  // DOT text, no native code
 * GraphViz.of(g).direction(GraphViz.Direction.BOTTOM_TO_TOP)       // the builder for more options
 *     .title("simple model").write(Path.of("pictures"), "simple"); // simple.dot, .svg, .png
 * }</pre>
 *
 * <p>The picture shows every input node (variables as blue ellipses, parameters as orange rounded
 * boxes, constants as grey dashed boxes) labelled with its short name and value, every operator
 * (green boxes) with its name and value (rank 0: the number; otherwise the shape and dtype, then the
 * first few values), one edge per use of a value (so {@code mult(x, x)} has two edges from
 * {@code x}), the root with a double red border, each node's gradient once {@link ModuleGraph#back()}
 * has run, and the sub-modules each operator was called from as dashed boxes (clusters).
 *
 * <p>Rendering uses Graphviz's {@code dot} when it is on the PATH (or named by the system property
 * {@code zkynet.viz.dot}; {@code none} turns it off) and otherwise the Eclipse Layout Kernel's layered
 * layout, drawn with Java2D: nothing needs to be installed. The DOT text is the same either way.
 *
 * <p>A {@code GraphViz} is a small mutable builder for one picture; it is not thread-safe.
 */
public final class GraphViz {
  /** Which way edges point: from the inputs towards the root. */
  public enum Direction {
    /** Inputs at the top, the root at the bottom (Graphviz's default, as in the seed). */
    TOP_TO_BOTTOM,
    /** Inputs at the bottom, the root at the top. */
    BOTTOM_TO_TOP,
    /** Inputs on the left, the root on the right. */
    LEFT_TO_RIGHT
  }

  /** The layout engine. */
  public enum Engine {
    /** Graphviz when {@code dot} is available, the Eclipse Layout Kernel otherwise. */
    AUTO,
    /** Graphviz's {@code dot} program; an error if it is not installed. */
    GRAPHVIZ,
    /** The Eclipse Layout Kernel (pure Java), drawn with Java2D. */
    ELK
  }

  /** A rendered picture: SVG text and PNG bytes, and the engine that laid it out. */
  public record Rendering(String svg, byte[] png, Engine engine) {
    /** The PNG decoded. */
    public BufferedImage image() {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        if (image == null) {
          throw new IllegalStateException("the " + engine + " PNG could not be decoded");
        }
        return image;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The files written for one picture, and the engine that laid it out (GRAPHVIZ or ELK). */
  public record PictureFiles(Path dot, Path svg, Path png, Engine engine) {
    @Override
    public String toString() {
      return png + "\n" + svg + "\n" + dot;
    }
  }

  private final ModuleGraph graph;
  private final Node root;
  private final boolean wholeGraph;
  private String title;
  private Direction direction = Direction.TOP_TO_BOTTOM;
  private Boolean gradients;
  private boolean clusters = true;
  private int maxValues = 4;
  private Engine engine = Engine.AUTO;

  private GraphViz(ModuleGraph graph, Node root, boolean wholeGraph) {
    this.graph = graph;
    this.root = root;
    this.wholeGraph = wholeGraph;
  }

  // ------------------------------------------------------------------ what to draw

  /** Every node of one call (its inputs, parameters, constants and operators). */
  public static GraphViz of(ModuleGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return new GraphViz(graph, graph.root(), true);
  }

  /** A node and its ancestors (everything it was computed from); no gradients. */
  public static GraphViz of(Node node) {
    Objects.requireNonNull(node, "node");
    return new GraphViz(null, node, false);
  }

  /** A node of {@code graph} and its ancestors; gradients come from {@code graph}. */
  public static GraphViz of(ModuleGraph graph, Node node) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(node, "node");
    if (node.callId() != graph.callId()) {
      throw new IllegalArgumentException("node " + node.label() + " belongs to call " + node.callId()
          + ", not to the graph of call " + graph.callId() + " (" + graph.module().name() + ")");
    }
    return new GraphViz(graph, node, false);
  }

  // ------------------------------------------------------------------ options

  /** The title drawn above the graph; by default the module's name and the call id. */
  public GraphViz title(String title) {
    this.title = title;
    return this;
  }

  /** Which way the edges point; {@link Direction#TOP_TO_BOTTOM} by default. */
  public GraphViz direction(Direction direction) {
    this.direction = Objects.requireNonNull(direction, "direction");
    return this;
  }

  /**
   * Whether to label nodes with their gradients. By default they are shown exactly when the graph
   * has them ({@link ModuleGraph#hasGradients()}); asking for them before {@code back()} is an
   * error.
   */
  public GraphViz gradients(boolean show) {
    this.gradients = show;
    return this;
  }

  /** Whether to draw boxes around the operators of each sub-module call; on by default. */
  public GraphViz clusters(boolean draw) {
    this.clusters = draw;
    return this;
  }

  /** How many values of a tensor a label shows before "..."; 4 by default. */
  public GraphViz maxValues(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxValues must be >= 0, got " + n);
    }
    this.maxValues = n;
    return this;
  }

  /** The layout engine; {@link Engine#AUTO} by default. */
  public GraphViz engine(Engine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    return this;
  }

  // ------------------------------------------------------------------ outputs

  /** Graphviz DOT text of the picture (pure Java, nothing native). */
  public String toDot() {
    return DotWriter.write(scene());
  }

  /** Lays the picture out and draws it as SVG and PNG. */
  public Rendering render() {
    return render(scene());
  }

  private Rendering render(Scene scene) {
    Engine use = resolveEngine();
    if (use == Engine.GRAPHVIZ) {
      String dot = DotWriter.write(scene);
      try {
        byte[] svg = GraphvizCli.render(dot, "svg");
        byte[] png = GraphvizCli.render(dot, "png");
        return new Rendering(new String(svg, StandardCharsets.UTF_8), png, Engine.GRAPHVIZ);
      } catch (IOException | RuntimeException e) {
        if (engine == Engine.GRAPHVIZ) {
          throw new IllegalStateException("Graphviz could not draw \"" + scene.title + "\": "
              + e.getMessage(), e);
        }
        System.err.println("zkynet.viz: Graphviz's dot failed (" + e.getMessage()
            + "); drawing \"" + scene.title + "\" with the Eclipse Layout Kernel instead");
      }
    }
    Drawing drawing = ElkLayout.layout(scene);
    return new Rendering(SvgWriter.write(drawing), PngPainter.png(drawing), Engine.ELK);
  }

  /**
   * Writes {@code baseName.dot}, {@code baseName.svg} and {@code baseName.png} into {@code dir}
   * (created if missing).
   */
  public PictureFiles write(Path dir, String baseName) {
    return write(scene(), dir, baseName);
  }

  private PictureFiles write(Scene scene, Path dir, String baseName) {
    Objects.requireNonNull(dir, "dir");
    if (baseName == null || baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")) {
      throw new IllegalArgumentException("baseName must be a plain file name, got \"" + baseName + "\"");
    }
    String dot = DotWriter.write(scene);
    Rendering r = render(scene);
    try {
      Files.createDirectories(dir);
      Path dotFile = dir.resolve(baseName + ".dot");
      Path svgFile = dir.resolve(baseName + ".svg");
      Path pngFile = dir.resolve(baseName + ".png");
      Files.writeString(dotFile, dot, StandardCharsets.UTF_8);
      Files.writeString(svgFile, r.svg(), StandardCharsets.UTF_8);
      Files.write(pngFile, r.png());
      return new PictureFiles(dotFile.toAbsolutePath(), svgFile.toAbsolutePath(),
          pngFile.toAbsolutePath(), r.engine());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the picture \"" + baseName + "\" into " + dir, e);
    }
  }

  /**
   * Writes the DOT, SVG and PNG files into {@code dir} (named after the title), then shows the PNG
   * in a window for {@code seconds} (until the window is closed when {@code seconds <= 0}). Without
   * a display (headless, or the system property {@code zkynet.viz.headless=true}) it says on stdout
   * that it wrote files instead, and where.
   */
  public PictureFiles show(double seconds, Path dir) {
    Scene scene = scene();
    return show(scene, seconds, dir, fileName(scene.title));
  }

  /** As {@link #show(double, Path)}, naming the files {@code baseName.dot/.svg/.png}. */
  public PictureFiles show(double seconds, Path dir, String baseName) {
    return show(scene(), seconds, dir, baseName);
  }

  private PictureFiles show(Scene scene, double seconds, Path dir, String baseName) {
    PictureFiles files = write(scene, dir, baseName);
    Window.showOrReport(files, scene.title, seconds);
    return files;
  }

  // ------------------------------------------------------------------ static conveniences

  /** DOT text of every node of {@code graph}, with gradients if {@code back()} has run. */
  public static String toDot(ModuleGraph graph) {
    return of(graph).toDot();
  }

  /** Writes {@code baseName.dot/.svg/.png} of {@code graph} into {@code dir}. */
  public static PictureFiles write(ModuleGraph graph, Path dir, String baseName, String title) {
    return of(graph).title(title).write(dir, baseName);
  }

  /**
   * The seed's {@code plot_cg(root, wait=seconds, title=title)}: writes DOT, SVG and PNG files into
   * {@link #defaultDirectory()} and shows the picture for {@code seconds} where a display exists.
   */
  public static PictureFiles show(ModuleGraph graph, double seconds, String title) {
    return show(graph, seconds, title, defaultDirectory());
  }

  /** As {@link #show(ModuleGraph, double, String)}, writing the files into {@code dir}. */
  public static PictureFiles show(ModuleGraph graph, double seconds, String title, Path dir) {
    return of(graph).title(title).show(seconds, dir);
  }

  /** Where {@link #show(ModuleGraph, double, String)} writes: {@code <java.io.tmpdir>/zkynet-cg}. */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "zkynet-cg");
  }

  /** Whether Graphviz's {@code dot} program was found (then {@link Engine#AUTO} uses it). */
  public static boolean graphvizAvailable() {
    return GraphvizCli.executable().isPresent();
  }

  // ------------------------------------------------------------------ internals

  Scene scene() {
    boolean grads;
    if (gradients == null) {
      grads = graph != null && graph.hasGradients();
    } else {
      grads = gradients;
      if (grads && graph == null) {
        throw new IllegalStateException("gradients need the ModuleGraph: use GraphViz.of(graph, node)"
            + " instead of GraphViz.of(node)");
      }
      if (grads && !graph.hasGradients()) {
        throw new IllegalStateException("no gradients to draw: call back() on the graph of "
            + graph.module().name() + " (call " + graph.callId() + ") first");
      }
    }
    String t = title;
    if (t == null || t.isBlank()) {
      t = graph != null
          ? (wholeGraph ? graph.module().name() : root.label() + " in " + graph.module().name())
              + " (call " + graph.callId() + ")"
          : root.label() + " (call " + root.callId() + ")";
    }
    return SceneBuilder.build(graph, root, wholeGraph, t, direction, grads, clusters, maxValues);
  }

  private Engine resolveEngine() {
    return switch (engine) {
      case ELK -> Engine.ELK;
      case GRAPHVIZ -> {
        if (GraphvizCli.executable().isEmpty()) {
          throw new IllegalStateException("Engine.GRAPHVIZ needs Graphviz's dot program on the PATH "
              + "(or its path in the system property zkynet.viz.dot); use Engine.AUTO or Engine.ELK "
              + "to draw without it");
        }
        yield Engine.GRAPHVIZ;
      }
      case AUTO -> GraphvizCli.executable().isPresent() ? Engine.GRAPHVIZ : Engine.ELK;
    };
  }

  /** A file name from a title: lower case letters, digits, '-', '_' and '.', at most 60 chars. */
  static String fileName(String title) {
    String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-")
        .replaceAll("^[-.]+|-+$", "");
    if (s.length() > 60) {
      s = s.substring(0, 60).replaceAll("-+$", "");
    }
    return s.isEmpty() ? "cg" : s;
  }
}
