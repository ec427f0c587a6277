package zkynet.viz;

import java.awt.GraphicsEnvironment;
import java.util.Locale;

/** Whether a window can be opened; puts AWT into headless mode where there is no display. */
final class Display {
  private Display() {}

  static {
    configure();
  }

  /**
   * Sets {@code java.awt.headless=true} on Unix-like systems without {@code DISPLAY} or
   * {@code WAYLAND_DISPLAY}, unless the property was set explicitly. Called before any drawing.
   */
  static void configure() {
    if (System.getProperty("java.awt.headless") != null) {
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    boolean unixLike = !os.contains("win") && !os.contains("mac");
    if (unixLike && isBlank(System.getenv("DISPLAY")) && isBlank(System.getenv("WAYLAND_DISPLAY"))) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * Whether to open windows: false in headless mode and when the system property
   * {@code zkynet.viz.headless} is {@code true}.
   */
  static boolean available() {
    configure();
    if (Boolean.getBoolean("zkynet.viz.headless")) {
      return false;
    }
    return !GraphicsEnvironment.isHeadless();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
