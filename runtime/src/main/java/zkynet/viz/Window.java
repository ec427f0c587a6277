package zkynet.viz;

import java.awt.Dimension;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/** Shows a picture in a window for some seconds, or says where the files are when there is no display. */
final class Window {
  private Window() {}

  static void showOrReport(GraphViz.PictureFiles files, String title, double seconds) {
    if (!Display.available()) {
      report(files, title, "there is no display (headless)");
      return;
    }
    try {
      BufferedImage image = ImageIO.read(files.png().toFile());
      if (image == null) {
        throw new IOException("cannot decode " + files.png());
      }
      System.out.println("zkynet: showing \"" + title + "\""
          + (seconds > 0 ? " for " + seconds + " s" : " until its window is closed")
          + "; files:\n  " + files.png() + "\n  " + files.svg() + "\n  " + files.dot());
      show(image, title, seconds);
    } catch (IOException | RuntimeException | java.awt.AWTError e) {
      report(files, title, "no window could be opened (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void report(GraphViz.PictureFiles files, String title, String why) {
    System.out.println("zkynet: not showing \"" + title + "\" because " + why
        + "; wrote it to files instead:\n  " + files.png() + "\n  " + files.svg() + "\n  "
        + files.dot());
  }

  private static void show(BufferedImage image, String title, double seconds)
      throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<JFrame> frame = new AtomicReference<>();
    try {
      SwingUtilities.invokeAndWait(() -> {
        JFrame f = new JFrame(title);
        f.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        f.addWindowListener(new WindowAdapter() {
          @Override
          public void windowClosed(WindowEvent e) {
            closed.countDown();
          }
        });
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        // The PNG is drawn at twice the SVG's size: show it at half size where it fits.
        double s = Math.min(1 / PngPainter.SCALE, Math.min(0.9 * screen.width / image.getWidth(),
            0.9 * screen.height / image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * s));
        int h = Math.max(1, (int) Math.round(image.getHeight() * s));
        JScrollPane pane = new JScrollPane(
            new JLabel(new ImageIcon(image.getScaledInstance(w, h, Image.SCALE_SMOOTH))));
        pane.setPreferredSize(new Dimension(w + 4, h + 4));
        f.setContentPane(pane);
        f.pack();
        f.setLocationRelativeTo(null);
        f.setVisible(true);
        frame.set(f);
      });
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (seconds > 0) {
      closed.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
    } else {
      closed.await();
    }
    SwingUtilities.invokeLater(() -> {
      JFrame f = frame.get();
      if (f != null) {
        f.dispose();
      }
    });
  }
}
