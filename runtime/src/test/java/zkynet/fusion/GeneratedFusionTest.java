package zkynet.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which operator bodies fused, read from the generated sources (as a user would): each operator
 * class either has a fused loop or a comment saying why not (operators with supplied derivatives
 * have neither: their body is the user's). Runs from the runtime module directory, as Maven does.
 */
class GeneratedFusionTest {
  private static final Pattern CLASS = Pattern.compile("public static final class (\\w+) implements Differentiable");
  private static final Pattern NOT_FUSED = Pattern.compile("// not fused: ([^\n]*)");

  /** Per operator class: "fused", the reason it did not fuse, or "supplied". */
  private static Map<String, String> regions(Path file) throws IOException {
    String text = Files.readString(file);
    Map<String, String> out = new TreeMap<>();
    Matcher m = CLASS.matcher(text);
    int start = m.find() ? m.start() : -1;
    while (start >= 0) {
      String name = m.group(1);
      int end = m.find() ? m.start() : text.length();
      String body = text.substring(start, end);
      Matcher why = NOT_FUSED.matcher(body);
      out.put(name, body.contains("private Tensor fusedForward()") ? "fused"
          : why.find() ? why.group(1) : "supplied");
      start = end < text.length() ? end : -1;
    }
    return out;
  }

  @Test
  void builtInOperatorsSayWhyTheyDoNotFuse() throws IOException {
    Map<String, String> r = regions(Path.of("target/generated-sources/annotations/zkynet/BuiltinsOps.java"));
    for (String op : new String[] {"Add", "Sub", "Mult", "Div", "Neg", "Square", "Exp", "Log", "Tanh",
        "Sigmoid", "Relu", "Sum", "Sin", "Cos", "Log1p", "Expm1", "Erf"}) {
      assertEquals("a single primitive is one loop already", r.get(op), op);
    }
    assertEquals("matmul is not elementwise", r.get("Matmul"));
    assertEquals("a single primitive is one loop already", r.get("Mean"));
    assertEquals("fused", r.get("Mse")); // closed by a full mean
    assertEquals("fused", r.get("Gelu")); // erf is elementwise
    assertEquals("fused", r.get("GeluTanh"));
    assertTrue(r.get("Softmax").startsWith("constant expression"), r.get("Softmax"));
    assertEquals("supplied", r.get("SoftmaxCrossEntropy"));
  }

  @Test
  void userOperatorsFuseOrSayWhyNot() throws IOException {
    Path file = Path.of("target/generated-test-sources/test-annotations/zkynet/fusion/FusedLayersOps.java");
    Map<String, String> r = regions(file);
    assertEquals(Map.of("TanhLayer", "fused", "CubicSum", "fused", "Mixed", "fused", "BiasTanh", "fused", "MeanLoss", "fused",
        "Transcendental", "fused", "RowVariance", "fused", "RowDot", "fused",
        "ColumnDot", "sum(0) is not a full or last-axis (-1) reduction closing the body",
        "AffineTanh", "matmul is not elementwise"), r);
    String text = Files.readString(file);
    // the fused loop: forward-line comments, one local per primitive, the scalar rules
    assertTrue(text.contains("""
                  float y = yOne ? yScalar : ys[i];
                  // FusedLayers.java:14: Tensor z = y.mul(a).add(b);
                  float mul1 = y * (float) a;
                  float z = mul1 + (float) b;
                  // FusedLayers.java:15: return z.tanh();
                  float tanh1 = FastMath.tanh(z);
                  out[i] = tanh1;
        """), "TanhLayer's fused forward");
    assertTrue(text.contains("float dZ = dTanh1 * ScalarRules.tanhWrtSelf(tanh1, z);"), "TanhLayer's fused backward");
    assertTrue(text.contains("float tanh1 = tanh1s[i];"), "the fused backward reads the output, not recomputing it");
  }
}
