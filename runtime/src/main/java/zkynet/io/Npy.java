package zkynet.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zkynet.DType;
import zkynet.Tensor;

/**
 * NumPy's {@code .npy} format (format versions 1.0, 2.0 and 3.0), for float32 and float64 arrays:
 * the magic {@code \x93NUMPY}, a version, a little-endian header length, a header that is a Python
 * dict literal ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}) padded with
 * spaces to a multiple of 64 bytes and ending in a newline, then the raw data. Writing produces
 * exactly what {@code numpy.save} produces for a C-ordered little-endian array; reading also
 * accepts big-endian data and Fortran order.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;

  private Npy() {}

  /** A malformed .npy stream. */
  public static class FormatException extends IOException {
    public FormatException(String message) {
      super(message);
    }
  }

  /** A well-formed .npy array of a dtype zkynet does not read (anything but float32/float64). */
  public static final class UnsupportedDtypeException extends FormatException {
    private final Header header;

    UnsupportedDtypeException(Header header) {
      super("unsupported dtype " + header.describeDtype()
          + "; only float32 ('<f4') and float64 ('<f8') arrays can be read");
      this.header = header;
    }

    public Header header() {
      return header;
    }
  }

  /**
   * A parsed header: the dtype descriptor as written ({@code '<f4'}), the zkynet dtype it maps to
   * (null when it is not a float32/float64 type), and the shape.
   */
  public record Header(String descr, DType dtype, boolean fortranOrder, int[] shape) {
    /** Number of elements. */
    public long size() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    /** The dtype in words, e.g. {@code float32 ('<f4')}. */
    public String describeDtype() {
      return (dtype == null ? numpyName(descr) : dtype.name().toLowerCase()) + " ('" + descr + "')";
    }
  }

  // ------------------------------------------------------------------------------------ writing

  /** The .npy bytes of a tensor (little-endian, C order). */
  public static byte[] encode(Tensor t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(t, out);
    } catch (IOException e) {
      throw new AssertionError(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  public static void write(Tensor t, OutputStream out) throws IOException {
    boolean f32 = t.dtype() == DType.FLOAT32;
    String dict = "{'descr': '" + (f32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': "
        + shapeLiteral(t.shape()) + ", }";
    // numpy pads so that magic + version + length field + header is a multiple of 64 bytes.
    int version = 1;
    int prefix = MAGIC.length + 2 + 2;
    int total = roundUp(prefix + dict.length() + 1);
    if (total - prefix > 0xFFFF) {
      version = 2;
      prefix = MAGIC.length + 2 + 4;
      total = roundUp(prefix + dict.length() + 1);
    }
    int headerLen = total - prefix;
    StringBuilder header = new StringBuilder(dict);
    while (header.length() < headerLen - 1) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer pre = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) {
      pre.putShort((short) headerLen);
    } else {
      pre.putInt(headerLen);
    }
    out.write(pre.array());
    out.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    double[] data = t.toDoubleArray();
    ByteBuffer buf = ByteBuffer.allocate(data.length * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : data) {
      if (f32) {
        buf.putFloat((float) d);
      } else {
        buf.putDouble(d);
      }
    }
    out.write(buf.array());
  }

  private static int roundUp(int n) {
    return (n + ALIGN - 1) / ALIGN * ALIGN;
  }

  static String shapeLiteral(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  // ------------------------------------------------------------------------------------ reading

  /** Reads the header of a .npy byte array. */
  public static Header header(byte[] bytes) throws FormatException {
    return parse(bytes).header;
  }

  /**
   * Decodes a float32 or float64 .npy byte array; a {@link FormatException} saying what is wrong
   * for anything else (bad magic, truncated data, an unsupported dtype, trailing bytes).
   */
  public static Tensor decode(byte[] bytes) throws FormatException {
    Parsed p = parse(bytes);
    Header h = p.header;
    if (h.dtype == null) {
      throw new UnsupportedDtypeException(h);
    }
    int item = h.dtype == DType.FLOAT32 ? 4 : 8;
    long expected = dataBytes(h, item);
    long actual = bytes.length - p.dataOffset;
    if (actual != expected) {
      throw new FormatException("the data is " + actual + " bytes, but shape "
          + Arrays.toString(h.shape) + " of " + h.describeDtype() + " needs " + expected
          + (actual < expected ? " (truncated)" : ""));
    }
    ByteOrder order = h.descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer buf = ByteBuffer.wrap(bytes, p.dataOffset, (int) expected).order(order);
    double[] data = new double[Math.toIntExact(h.size())];
    for (int i = 0; i < data.length; i++) {
      data[i] = item == 4 ? buf.getFloat() : buf.getDouble();
    }
    if (h.fortranOrder && h.shape.length > 1) {
      data = fortranToC(data, h.shape);
    }
    return Tensor.of(data, h.dtype, h.shape);
  }

  /** The bytes the data of {@code h} needs; an error for a shape too large to hold in memory. */
  private static long dataBytes(Header h, int item) throws FormatException {
    long bytes = item;
    for (int d : h.shape) {
      bytes *= d;
      if (bytes > Integer.MAX_VALUE) {
        throw new FormatException("shape " + Arrays.toString(h.shape) + " of " + h.describeDtype()
            + " is too large (over 2 GB of data)");
      }
    }
    return bytes;
  }

  private record Parsed(Header header, int dataOffset) {}

  private static Parsed parse(byte[] b) throws FormatException {
    if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
      throw new FormatException("not a .npy array (the magic string \\x93NUMPY is missing)");
    }
    int major = b[6] & 0xFF;
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int start;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xFFFF;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw new FormatException("truncated .npy header");
      }
      headerLen = buf.getInt(8) & 0xFFFFFFFFL;
      start = 12;
    } else {
      throw new FormatException("unsupported .npy format version " + major + "." + (b[7] & 0xFF));
    }
    if (start + headerLen > b.length) {
      throw new FormatException("truncated .npy header (" + headerLen + " bytes announced, "
          + (b.length - start) + " present)");
    }
    String text = new String(b, start, (int) headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(text).dict();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (!(descr instanceof String d)) {
      throw new FormatException("the .npy header has no string 'descr'"
          + (descr instanceof List ? " (structured dtypes are not supported)" : "") + ": " + text.trim());
    }
    if (!(fortran instanceof Boolean f)) {
      throw new FormatException("the .npy header has no boolean 'fortran_order': " + text.trim());
    }
    if (!(shape instanceof List<?> dims)) {
      throw new FormatException("the .npy header has no tuple 'shape': " + text.trim());
    }
    int[] s = new int[dims.size()];
    for (int i = 0; i < s.length; i++) {
      if (!(dims.get(i) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
        throw new FormatException("the .npy header has a bad dimension in 'shape': " + text.trim());
      }
      s[i] = (int) (long) (Long) dims.get(i);
    }
    return new Parsed(new Header(d, dtypeOf(d), f, s), (int) (start + headerLen));
  }

  private static DType dtypeOf(String descr) {
    return switch (descr) {
      case "<f4", "=f4", ">f4" -> DType.FLOAT32;
      case "<f8", "=f8", ">f8" -> DType.FLOAT64;
      default -> null;
    };
  }

  private static String numpyName(String descr) {
    if (descr.length() < 3) {
      return "unknown dtype";
    }
    String kind = switch (descr.charAt(1)) {
      case 'f' -> "float";
      case 'i' -> "int";
      case 'u' -> "uint";
      case 'b' -> "bool";
      case 'c' -> "complex";
      default -> null;
    };
    if (kind == null) {
      return "unknown dtype";
    }
    try {
      return kind.equals("bool") ? kind : kind + 8 * Integer.parseInt(descr.substring(2));
    } catch (NumberFormatException e) {
      return "unknown dtype";
    }
  }

  /** Column-major data of {@code shape} to row-major. */
  private static double[] fortranToC(double[] f, int[] shape) {
    double[] c = new double[f.length];
    int rank = shape.length;
    int[] idx = new int[rank];
    long[] fStride = new long[rank];
    long s = 1;
    for (int i = 0; i < rank; i++) {
      fStride[i] = s;
      s *= shape[i];
    }
    for (int k = 0; k < c.length; k++) {
      long off = 0;
      for (int i = 0; i < rank; i++) {
        off += idx[i] * fStride[i];
      }
      c[k] = f[(int) off];
      for (int i = rank - 1; i >= 0; i--) { // advance the C-order index
        if (++idx[i] < shape[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return c;
  }

  /** The Python literal subset numpy writes: dicts, tuples/lists, strings, ints, True/False. */
  private static final class HeaderParser {
    private final String s;
    private int i;

    HeaderParser(String s) {
      this.s = s;
    }

    Map<String, Object> dict() throws FormatException {
      Object v = value();
      skip();
      if (i != s.length() || !(v instanceof Map<?, ?> m)) {
        throw fail("expected one dict literal");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> out = (Map<String, Object>) m;
      return out;
    }

    private Object value() throws FormatException {
      skip();
      if (i >= s.length()) {
        throw fail("unexpected end");
      }
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
          skip();
          if (peek('}')) {
            i++;
            return m;
          }
          Object k = value();
          if (!(k instanceof String key)) {
            throw fail("dict keys must be strings");
          }
          skip();
          expect(':');
          m.put(key, value());
          skip();
          if (peek(',')) {
            i++;
          } else if (!peek('}')) {
            throw fail("expected ',' or '}'");
          }
        }
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        i++;
        List<Object> items = new ArrayList<>();
        while (true) {
          skip();
          if (peek(close)) {
            i++;
            return items;
          }
          items.add(value());
          skip();
          if (peek(',')) {
            i++;
          } else if (!peek(close)) {
            throw fail("expected ',' or '" + close + "'");
          }
        }
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) {
          throw fail("unterminated string");
        }
        String str = s.substring(i + 1, end);
        i = end + 1;
        return str;
      }
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
          || s.charAt(i) == '-')) {
        i++;
      }
      String word = s.substring(start, i);
      switch (word) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        default:
          String digits = word.endsWith("L") ? word.substring(0, word.length() - 1) : word;
          try {
            return Long.parseLong(digits);
          } catch (NumberFormatException e) {
            i = start;
            throw fail("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
          }
      }
    }

    private boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) throws FormatException {
      if (!peek(c)) {
        throw fail("expected '" + c + "'");
      }
      i++;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private FormatException fail(String why) {
      return new FormatException("malformed .npy header (" + why + " at character " + i + "): "
          + s.trim());
    }
  }
}
