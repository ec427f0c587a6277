package zkynet.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.AffineTransform;
import zkynet.viz.Scene.Kind;
import zkynet.viz.Scene.LineStyle;

/**
 * Colours, fonts and text measurement shared by every output (DOT, SVG, PNG), so that the pictures
 * of both engines look alike and node sizes come from the fonts that draw the labels.
 */
final class Style {
  private Style() {}

  static {
    Display.configure(); // before the first font is made
  }

  static final String ROOT_STROKE = "#c62828";
  static final String EDGE = "#4d4d4d";
  static final String CLUSTER_STROKE = "#8c8c8c";
  static final String CLUSTER_FILL = "#f7f7f7";
  static final String CLUSTER_TEXT = "#505050";
  static final String TEXT = "#1a1a1a";
  static final String SHAPE_TEXT = "#555555";
  static final String GRAD_TEXT = "#a0005a";
  static final String LEGEND_TEXT = "#666666";
  static final String BACKGROUND = "#ffffff";

  /** CSS font stack for SVG: DejaVu Sans is what Java's SansSerif measures with on Linux. */
  static final String SVG_FONTS = "DejaVu Sans, Verdana, Geneva, sans-serif";
  /** Font name for Graphviz. */
  static final String DOT_FONT = "Helvetica";

  static String fill(Kind kind) {
    return switch (kind) {
      case VARIABLE -> "#d6e6ff";
      case PARAMETER -> "#ffe3c2";
      case CONSTANT -> "#ececec";
      case OPERATOR -> "#dcf2dc";
    };
  }

  static String stroke(Kind kind) {
    return switch (kind) {
      case VARIABLE -> "#2c5aa0";
      case PARAMETER -> "#b45f06";
      case CONSTANT -> "#707070";
      case OPERATOR -> "#2e7d32";
    };
  }

  static String textColor(LineStyle style) {
    return switch (style) {
      case NAME, VALUE -> TEXT;
      case SHAPE -> SHAPE_TEXT;
      case GRAD -> GRAD_TEXT;
    };
  }

  // ------------------------------------------------------------------ fonts (sizes in px)

  static final Font NAME = new Font(Font.SANS_SERIF, Font.BOLD, 1).deriveFont(13f);
  static final Font VALUE = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(12f);
  static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(10.5f);
  static final Font GRAD = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(11f);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 1).deriveFont(16f);
  static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(11f);
  static final Font CLUSTER = new Font(Font.SANS_SERIF, Font.ITALIC, 1).deriveFont(11f);

  static Font font(LineStyle style) {
    return switch (style) {
      case NAME -> NAME;
      case VALUE -> VALUE;
      case SHAPE -> SMALL;
      case GRAD -> GRAD;
    };
  }

  /** Measurement context: fractional metrics and antialiasing, as {@link PngPainter} draws. */
  private static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);

  static double width(String text, Font font) {
    return font.getStringBounds(text, FRC).getWidth();
  }

  static double ascent(Font font) {
    return metrics(font).getAscent();
  }

  /** Height of one line of text: ascent + descent + leading. */
  static double lineHeight(Font font) {
    LineMetrics m = metrics(font);
    return m.getAscent() + m.getDescent() + m.getLeading();
  }

  private static LineMetrics metrics(Font font) {
    return font.getLineMetrics("Xgjy[]|", FRC);
  }

  static Color color(String hex) {
    return new Color(Integer.parseInt(hex.substring(1), 16));
  }

  /** CSS font description of a font for SVG attributes. */
  static String svgFont(Font font) {
    StringBuilder sb = new StringBuilder();
    sb.append("font-size=\"").append(Svg.num(font.getSize2D())).append('"');
    if (font.isBold()) {
      sb.append(" font-weight=\"bold\"");
    }
    if (font.isItalic()) {
      sb.append(" font-style=\"italic\"");
    }
    return sb.toString();
  }
}
