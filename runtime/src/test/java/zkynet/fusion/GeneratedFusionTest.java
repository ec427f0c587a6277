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
 * have neither: their body is the user's); a body that does not fuse as a whole lists the
 * elementwise regions that do, each a private class of its own with the fused loops. Runs from the
 * runtime module directory, as Maven does.
 */
class GeneratedFusionTest {
  private static final Pattern CLASS = Pattern.compile("(?:public|private) static final class (\\w+) implements Differentiable");
  private static final Pattern NOT_FUSED = Pattern.compile("// not fused: ([^\n]*)");
  private static final Pattern REGION = Pattern.compile("// fused region (\\w+): ([^\n]*)");

  /** Per operator class: "fused", the reason it did not fuse, or "supplied". */
  private static Map<String, String> status(Path file) throws IOException {
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

  /** Per operator class whose body fused region by region: "Region1: add, tanh; Region2: ...". */
  private static Map<String, String> regions(Path file) throws IOException {
    String text = Files.readString(file);
    Map<String, String> out = new TreeMap<>();
    Matcher m = REGION.matcher(text);
    while (m.find()) {
      String region = m.group(1);
      String op = region.substring(0, region.lastIndexOf("Region"));
      out.merge(op, region.substring(op.length()) + ": " + m.group(2), (a, b) -> a + "; " + b);
    }
    return out;
  }

  private static final String BUILTINS = "target/generated-sources/annotations/zkynet/BuiltinsOps.java";
  private static final String FUNCTIONAL = "target/generated-sources/annotations/zkynet/nn/FunctionalOps.java";
  private static final String REGION_LAYERS =
      "target/generated-test-sources/test-annotations/zkynet/fusion/RegionLayersOps.java";

  /**
   * Built-ins that do not fuse as a whole but have elementwise regions of two or more primitives:
   * each region is a class with fused loops. {@code logSoftmax}'s {@code log} of the row sums stays
   * out of a loop over the rows' elements (and its {@code sub} alone is one loop already). A last-axis
   * {@code sum(new int[] {-1}, keepDims)} closes a region: {@code dot}'s products, {@code
   * normalizeLast}'s row variance; not {@code logSoftmax}'s row sums of {@code exp} alone (the fused
   * backward would compute the {@code exp} again: measured slower).
   */
  @Test
  void builtInRegionsFuse() throws IOException {
    assertEquals(Map.of("LogSumExp", "Region1: sub, exp; Region2: log, add", "Variance", "Region1: sub, mul",
        "Softmax", "Region1: sub, exp", "Dot", "Region1: mul, sum(-1)"),
        regions(Path.of(BUILTINS)));
    assertEquals(Map.of("NormalizeLast", "Region1: mul, mean(-1); Region2: add, sqrt, div",
        "LayerNorm", "Region1: mul, add",
        "BatchNorm", "Region1: add, sqrt, div, mul, add", "BatchNormWith", "Region1: sub, div, mul, add",
        "GruCell", "Region1: add, sigmoid, add, sigmoid, mul, add, tanh, sub, mul, add"),
        regions(Path.of(FUNCTIONAL)));
    Map<String, String> status = status(Path.of(FUNCTIONAL));
    assertEquals("fused", status.get("GruCellRegion1"));
    assertEquals("matmul is not elementwise", status.get("Linear")); // its region, add, is one primitive
    assertEquals("calls operator NormalizeLast (fusion does not cross operator calls)", status.get("LayerNorm"));
  }

  /** User operators fused region by region: the regions, why the rest did not fuse, the outer code. */
  @Test
  void userRegionsFuseOrSayWhyNot() throws IOException {
    Path file = Path.of(REGION_LAYERS);
    assertEquals(Map.of("Dense", "Region1: add, tanh", "AroundReshape", "Region1: mul, exp; Region2: add, tanh",
        "AroundColumnSum", "Region1: mul, exp; Region2: log, mul",
        "UsedTwice", "Region1: mul, add; Region2: mul, sigmoid; Region3: add, exp, sub",
        "WithCall", "Region1: mul, add, sigmoid", "OddNames", "Region1: mul, add, tanh",
        "RowLoss", "Region1: sub, mul, mean(-1)", "DeadValueAfterProduct", "Region1: add, tanh",
        "DeadValue", "Region1: mul, tanh", "RowLogShift", "Region1: sub, mul"),
        regions(file));
    Map<String, String> status = status(file);
    for (String region : new String[] {"DenseRegion1", "AroundReshapeRegion2", "UsedTwiceRegion3",
        "WithCallRegion1", "OddNamesRegion1", "RowLossRegion1"}) {
      assertEquals("fused", status.get(region), region);
    }
    assertEquals("matmul is not elementwise", status.get("Dense"));
    assertEquals("unused is computed but not used", status.get("DeadValue"));
    assertEquals("reshape is not elementwise", status.get("AroundReshape"));
    assertEquals("sum(0) is not a full or last-axis (-1) reduction closing the body", status.get("AroundColumnSum"));
    String text = Files.readString(file);
    assertTrue(text.contains("// not fused: region sum1 (a single primitive is one loop already)"), "UsedTwice's sum");
    assertTrue(text.contains("""
              // fused region RowLogShiftRegion1: sub, mul
              // not fused: log1 (computed from reductions only, with a transcendental function: op by op over their own elements, not at each element of the loop)
        """), "RowLogShift's log of the row sums");
    assertTrue(text.contains("""
              // RegionLayers.java:17: return x.matmul(w).add(b).tanh();
              matmul1 = x.matmul(w);
              // one fused loop: add, tanh
              region1 = new DenseRegion1(matmul1, b);
              tanh1 = region1.output();
        """), "Dense's forward calls its region");
    // a user's names are kept, the generated ones renamed
    assertTrue(text.contains("region2 = new OddNamesRegion1(matmul1, fused, gOut);"), "OddNames' region call");
    assertTrue(text.contains("loop2 = Fused.plan(matmul1, gOut);"), "OddNames' region's plan");
    assertTrue(text.contains("if (fused2 && Fused.matches(gOut2, tanh1)) {"), "OddNames' region's backward");
  }

  @Test
  void builtInOperatorsSayWhyTheyDoNotFuse() throws IOException {
    Map<String, String> r = status(Path.of(BUILTINS));
    for (String op : new String[] {"Add", "Sub", "Mult", "Div", "Neg", "Square", "Exp", "Log", "Tanh",
        "Sigmoid", "Relu", "Sum", "Sin", "Cos", "Log1p", "Expm1", "Erf"}) {
      assertEquals("a single primitive is one loop already", r.get(op), op);
    }
    assertEquals("matmul is not elementwise", r.get("Matmul"));
    assertEquals("a single primitive is one loop already", r.get("Mean"));
    assertEquals("fused", r.get("Mse")); // closed by a full mean
    assertEquals("fused", r.get("Gelu")); // erf is elementwise
    assertEquals("fused", r.get("GeluTanh"));
    assertEquals("max is not elementwise", r.get("Softmax")); // its region (sub, exp) fuses: RegionFusionTest
    assertEquals("supplied", r.get("SoftmaxCrossEntropy"));
  }

  @Test
  void userOperatorsFuseOrSayWhyNot() throws IOException {
    Path file = Path.of("target/generated-test-sources/test-annotations/zkynet/fusion/FusedLayersOps.java");
    Map<String, String> r = status(file);
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
