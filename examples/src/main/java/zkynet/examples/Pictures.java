package zkynet.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import zkynet.ModuleGraph;
import zkynet.viz.GraphViz;

/**
 * Pictures of the seed's computational graphs, like its {@code plot_cg(result.root, wait=2,
 * title=...)}: the simple model at x = 3 and the four composite models, each after {@code back()} so
 * that the nodes also show their gradients. Each picture is written as DOT, SVG and PNG.
 *
 * <p>{@code main [dir] [seconds]} shows each picture for {@code seconds} (2 by default) where a display
 * exists and otherwise says where it wrote the files; {@link #writeAll(Path)} only writes them.
 */
public final class Pictures {
  private Pictures() {}

  /** One picture: file base name, title, and the call to draw. */
  private record Picture(String name, String title, Supplier<ModuleGraph> graph) {
    ModuleGraph call() {
      ModuleGraph g = graph.get();
      g.back();
      return g;
    }
  }

  private static List<Picture> pictures() {
    return List.of(
        new Picture("simple-model", "SimpleModel: f(x) = (x + w) * x^2 at x = 3, w = 1",
            () -> new SimpleModel(1.0).apply(3.0)),
        new Picture("composite-no-sharing",
            "CompositeNoSharing: f(x; w1) + f(y; w2) at x = 3, y = 4",
            () -> new CompositeNoSharing(1.0, 2.0).apply(3.0, 4.0)),
        new Picture("composite-weight-sharing",
            "CompositeWeightSharing: f(x; w) + f(y; w) at x = 3, y = 4",
            () -> new CompositeWeightSharing(1.0).apply(3.0, 4.0)),
        new Picture("composite-input-sharing",
            "CompositeInputSharing: f(x; w1) + f(x; w2) at x = 3",
            () -> new CompositeInputSharing(1.0, 2.0).apply(3.0)),
        new Picture("composite-weight-and-input-sharing",
            "CompositeWeightAndInputSharing: f(x; w) + f(x; w) at x = 3",
            () -> new CompositeWeightAndInputSharing(1.0).apply(3.0)));
  }

  /**
   * Writes {@code <name>.dot}, {@code .svg} and {@code .png} of each picture into {@code dir} and
   * returns the PNG files (the DOT and SVG files sit next to them).
   */
  public static List<Path> writeAll(Path dir) {
    List<Path> pngs = new ArrayList<>();
    for (Picture p : pictures()) {
      pngs.add(GraphViz.of(p.call()).title(p.title()).write(dir, p.name()).png());
    }
    return pngs;
  }

  /** {@code Pictures [dir (default: pictures)] [seconds per window (default: 2)]}. */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "pictures");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    for (Picture p : pictures()) {
      GraphViz.of(p.call()).title(p.title()).show(seconds, dir, p.name());
    }
  }
}
