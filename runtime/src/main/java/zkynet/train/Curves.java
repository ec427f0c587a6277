package zkynet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import zkynet.io.AtomicFiles;

/**
 * Loss and accuracy curves of a {@link History} as one PNG (XChart): on the left the loss of every
 * training step (faint) and the mean loss of every epoch (drawn where the epoch ends), on the right the accuracy of each evaluated
 * dataset per epoch. The file is written atomically.
 */
public final class Curves {
  private Curves() {}

  /** Writes the curves to {@code png} (parent directories are created). */
  public static void writePng(History history, Path png, String title) throws IOException {
    if (history.epochs().isEmpty()) {
      throw new IllegalArgumentException("Curves: the history has no epochs to plot");
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<XYChart> charts = List.of(lossChart(history, title), accuracyChart(history, title));
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(charts, 1, 2, out,
        BitmapEncoder.BitmapFormat.PNG));
  }

  private static XYChart lossChart(History h, String title) {
    XYChart c = new XYChartBuilder().width(640).height(440)
        .title(title + ": training loss").xAxisTitle("epoch").yAxisTitle("loss").build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    c.getStyler().setXAxisDecimalPattern("0.#");
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setXAxisMax((double) h.epochs().size());
    List<Double> batch = h.batchLosses();
    int perEpoch = Math.max(1, batch.size() / h.epochs().size());
    if (!batch.isEmpty()) {
      double[] x = new double[batch.size()];
      double[] y = new double[batch.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (i + 1) / (double) perEpoch; // in epochs, after this step
        y[i] = batch.get(i);
      }
      XYSeries s = c.addSeries("batch", x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(new java.awt.Color(120, 160, 220, 110));
    }
    double[] ex = new double[h.epochs().size()];
    double[] ey = new double[ex.length];
    for (int i = 0; i < ex.length; i++) {
      ex[i] = h.epochs().get(i).epoch();
      ey[i] = h.epochs().get(i).loss();
    }
    XYSeries e = c.addSeries("epoch mean", ex, ey);
    e.setLineColor(new java.awt.Color(20, 60, 160));
    e.setMarkerColor(new java.awt.Color(20, 60, 160));
    return c;
  }

  private static XYChart accuracyChart(History h, String title) {
    XYChart c = new XYChartBuilder().width(640).height(440)
        .title(title + ": accuracy").xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    c.getStyler().setXAxisDecimalPattern("0.#");
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (History.Epoch e : h.epochs()) {
      e.accuracy().forEach((name, acc) -> series.computeIfAbsent(name, k -> new ArrayList<>())
          .add(new double[] {e.epoch(), 100 * acc}));
    }
    if (series.isEmpty()) {
      c.addSeries("(no evaluation)", new double[] {0}, new double[] {0});
    }
    series.forEach((name, points) -> {
      double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
      c.addSeries(name, x, y);
    });
    return c;
  }
}
