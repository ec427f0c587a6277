package zkynet.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import zkynet.viz.Drawing.PCluster;
import zkynet.viz.Drawing.PEdge;
import zkynet.viz.Drawing.PNode;
import zkynet.viz.Drawing.Text;
import zkynet.viz.Scene.Kind;

/**
 * Paints a {@link Drawing} with Java2D (headless is fine) into an image, at twice the SVG's size
 * for sharp text (less for very large graphs, so that no side exceeds {@value #MAX_SIDE} pixels).
 */
final class PngPainter {
  private PngPainter() {}

  static final double SCALE = 2;
  static final int MAX_SIDE = 8000;

  static byte[] png(Drawing d) {
    BufferedImage image = paint(d);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static BufferedImage paint(Drawing d) {
    double scale = Math.min(SCALE, MAX_SIDE / Math.max(d.width, d.height));
    int w = Math.max(1, (int) Math.ceil(d.width * scale));
    int h = Math.max(1, (int) Math.ceil(d.height * scale));
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Style.color(Style.BACKGROUND));
      g.fillRect(0, 0, w, h);
      g.scale(scale, scale);
      for (Text t : d.header) {
        text(g, t);
      }
      for (PCluster c : d.clusters) {
        Shape box = new RoundRectangle2D.Double(c.x(), c.y(), c.w(), c.h(), 16, 16);
        g.setColor(Style.color(Style.CLUSTER_FILL));
        g.fill(box);
        g.setColor(Style.color(Style.CLUSTER_STROKE));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {5f, 3f}, 0f));
        g.draw(box);
      }
      Color edge = Style.color(Style.EDGE);
      for (PEdge e : d.edges) {
        g.setColor(edge);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        g.draw(path(e.line(), false));
        Shape head = path(e.arrow(), true);
        g.fill(head);
        g.draw(head);
      }
      for (PCluster c : d.clusters) {
        g.setColor(Style.color(Style.CLUSTER_FILL));
        g.fill(c.plate());
        text(g, c.label());
      }
      for (PNode n : d.nodes) {
        node(g, n);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void node(Graphics2D g, PNode n) {
    Kind kind = n.node().kind();
    boolean root = n.node().root();
    Shape shape = shape(n, 0);
    g.setColor(Style.color(Style.fill(kind)));
    g.fill(shape);
    g.setColor(Style.color(root ? Style.ROOT_STROKE : Style.stroke(kind)));
    float width = root ? 1.8f : 1.2f;
    g.setStroke(kind == Kind.CONSTANT
        ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 3f}, 0f)
        : new BasicStroke(width));
    g.draw(shape);
    if (root) {
      g.setStroke(new BasicStroke(1.2f));
      g.draw(shape(n, SvgWriter.ROOT_RING));
    }
    for (Text t : n.texts()) {
      text(g, t);
    }
  }

  private static Shape shape(PNode n, double inset) {
    double x = n.x() + inset;
    double y = n.y() + inset;
    double w = n.w() - 2 * inset;
    double h = n.h() - 2 * inset;
    Kind kind = n.node().kind();
    if (kind == Kind.VARIABLE) {
      return new Ellipse2D.Double(x, y, w, h);
    }
    double r = Math.max(0, SvgWriter.radius(kind) - inset / 2);
    return r == 0 ? new Rectangle2D.Double(x, y, w, h)
        : new RoundRectangle2D.Double(x, y, w, h, 2 * r, 2 * r);
  }

  private static Path2D path(List<Point2D.Double> pts, boolean close) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(pts.get(0).x, pts.get(0).y);
    for (int i = 1; i < pts.size(); i++) {
      p.lineTo(pts.get(i).x, pts.get(i).y);
    }
    if (close) {
      p.closePath();
    }
    return p;
  }

  private static void text(Graphics2D g, Text t) {
    g.setFont(t.font());
    g.setColor(Style.color(t.color()));
    float x = (float) (t.x() - Style.width(t.text(), t.font()) / 2);
    g.drawString(t.text(), x, (float) t.baseline());
  }
}
