/**
 * Pictures of computational graphs (the seed's {@code plot_cg}).
 *
 * <p>{@link zkynet.viz.GraphViz} is the entry point: it turns a {@link zkynet.ModuleGraph} (or a node
 * and its ancestors) into Graphviz DOT text, renders SVG and PNG files, and shows them in a window
 * for a few seconds where a display exists.
 *
 * <p>Pipeline, one class per phase: {@code SceneBuilder} reads the graph into an immutable
 * {@code Scene} (labels, styles, clusters, edges); {@code DotWriter} prints it as DOT; rendering uses
 * Graphviz's {@code dot} when it is on the PATH ({@code GraphvizCli}) and otherwise lays the scene out
 * with the Eclipse Layout Kernel ({@code ElkLayout}, pure Java) and draws the resulting
 * {@code Drawing} as SVG ({@code SvgWriter}) and PNG ({@code PngPainter}) from the same coordinates.
 * {@code Window} shows a PNG on screen.
 */
package zkynet.viz;
