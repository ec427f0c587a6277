package zkynet.io;

import java.io.IOException;

/**
 * Malformed data in a file a loader reads ({@link Csv}, {@link Idx}): the message names the file and
 * the place (line and column, or the byte layout) and what is wrong.
 */
public final class DataFormatException extends IOException {
  public DataFormatException(String message) {
    super(message);
  }
}
