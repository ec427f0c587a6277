package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No generated backward tests an adjoint for null where the answer is known at compile time. Read
 * from the sources the processor generated for the runtime (its built-in operators and test
 * operators) and for these examples: every null test must be on an adjoint declared null whose every
 * contribution is a part returned by a called operator that may return null for it (its backward's
 * {@code @GradientFlow} says {@code MAYBE}: a user's {@code @Derivative}). An adjoint initialised
 * with the cotangent, receiving a rule's contribution, or a part the callee returns whenever asked
 * ({@code WHEN_NEEDED}), is never null when read. Runs from the examples module directory, as Maven
 * does.
 */
class GeneratedNullTestsTest {
  private static final List<Path> GENERATED = List.of(
      Path.of("..", "runtime", "target", "generated-sources", "annotations"),
      Path.of("..", "runtime", "target", "generated-test-sources", "test-annotations"),
      Path.of("target", "generated-sources", "annotations"),
      Path.of("target", "generated-test-sources", "test-annotations"));
  private static final Pattern BACKWARD = Pattern.compile(
      "public (?:zkynet\\.)?Tensor\\[\\] backward\\((?:zkynet\\.)?Tensor (\\w+), boolean\\[\\] \\w+\\) \\{(.*?)\\n    }\\n",
      Pattern.DOTALL);
  private static final Pattern NULL_TEST = Pattern.compile("(\\w+) [!=]= null");
  /** An operator class (or a region's, private), up to its backward's {@code @GradientFlow} (group 2: the flows). */
  private static final Pattern FLOWS = Pattern.compile("(?:public|private) static final class (\\w+) implements"
      + " (?:zkynet\\.autodiff\\.)?Differentiable \\{(?:(?!static final class ).)*?@(?:zkynet\\.autodiff\\.)?GradientFlow\\((.*?)\\)\\n"
      + "\\s+public (?:zkynet\\.)?Tensor\\[\\] backward\\(", Pattern.DOTALL);
  private static final Pattern CALL_FIELD = Pattern.compile("private final ([\\w.]+) (\\w+);");

  /** What a called operator returns for part {@code part}: NONE, WHEN_NEEDED, MAYBE; null if unknown. */
  interface PartFlow {
    String flow(String callField, int part);
  }

  @Test
  void noGeneratedNullTestHasAnAnswerKnownAtCompileTime() throws IOException {
    Map<String, String> sources = new LinkedHashMap<>();
    for (Path dir : GENERATED) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith("Ops.java")).toList()) {
          sources.put(f.getFileName().toString(), Files.readString(f));
        }
      }
    }
    Map<String, List<String>> flows = new HashMap<>();
    sources.forEach((file, text) -> flows.putAll(flows(file, text)));
    List<String> problems = new ArrayList<>();
    int methods = 0;
    int partsRead = 0;
    for (Map.Entry<String, String> source : sources.entrySet()) {
      String file = source.getKey();
      String text = source.getValue();
      Matcher m = BACKWARD.matcher(text);
      while (m.find()) {
        methods++;
        Map<String, String> calls = callFields(file, text.substring(text.lastIndexOf(
            "static final class ", m.start()), m.start()));
        PartFlow partFlow = (field, part) -> {
          List<String> f = flows.get(calls.get(field));
          return f == null || part >= f.size() ? null : f.get(part);
        };
        partsRead += m.group(2).split("\\.backward\\(", -1).length - 1;
        for (String p : constantNullTests(m.group(1), m.group(2), partFlow)) {
          problems.add(file + ": " + p);
        }
      }
    }
    assertTrue(sources.keySet().containsAll(List.of("BuiltinsOps.java", "ActivationsOps.java",
        "AdversarialOps.java")) && methods >= 20 && partsRead >= 5,
        "read only " + methods + " generated backward methods (" + partsRead + " calling other operators),"
        + " from " + sources.keySet() + " in " + GENERATED + ": build the runtime and its tests first"
        + " (mvn verify does)");
    assertEquals(methods, flows.size(), "every generated backward carries @GradientFlow");
    assertEquals(List.of(), problems, "null tests whose answer is known at compile time");
  }

  /** Per operator class ({@code FooOps.Bar}), the flows its backward's {@code @GradientFlow} lists. */
  static Map<String, List<String>> flows(String file, String text) {
    String facade = file.replace(".java", "");
    Map<String, List<String>> flows = new HashMap<>();
    Matcher m = FLOWS.matcher(text);
    while (m.find()) {
      List<String> each = new ArrayList<>();
      Matcher flow = Pattern.compile("\\bFlow\\.(\\w+)").matcher(m.group(2));
      while (flow.find()) {
        each.add(flow.group(1));
      }
      flows.put(facade + "." + m.group(1), each);
    }
    return flows;
  }

  /** The fields of one operator class's text that hold called operators, to their class ({@code FooOps.Bar}). */
  static Map<String, String> callFields(String file, String classText) {
    Map<String, String> calls = new HashMap<>();
    Matcher m = CALL_FIELD.matcher(classText);
    while (m.find()) {
      if (m.group(1).endsWith("Tensor")) {
        continue;
      }
      String[] type = m.group(1).split("\\.");
      calls.put(m.group(2), type.length >= 2 ? type[type.length - 2] + "." + type[type.length - 1]
          : file.replace(".java", "") + "." + type[0]);
    }
    return calls;
  }

  @Test
  void theCheckSeesAConstantNullTest() {
    PartFlow unknown = (field, part) -> null;
    String ruleFed = """
          Tensor gE = null;
          Tensor gLog1 = g;
          gE = Grad.accumulate(gE, Rules.logWrtSelf(gLog1, log1, e), e, batch);
          if (gE != null) {
            gX = Grad.accumulate(gX, Rules.expWrtSelf(gE, e, x), x, batch);
          }
        """;
    assertEquals(List.of("gE is tested for null but always receives a rule's contribution"
        + " or a part its callee returns whenever asked"), constantNullTests("g", ruleFed, unknown));
    assertEquals(List.of("gLog1 is tested for null but holds the cotangent"),
        constantNullTests("g", "Tensor gLog1 = g;\nif (gLog1 != null) {\n}\n", unknown));
    String viaNullable = """
          Tensor gMul3 = null;
          Tensor gMul12 = null;
          Tensor[] gSquashCall2 = squashCall2.backward(g, new boolean[] {true});
          gMul12 = Grad.accumulate(gMul12, gSquashCall2[0], mul1, batch);
          if (gMul12 != null) {
            gMul3 = Grad.accumulate(gMul3, Rules.subWrtSelf(gMul12, mul1, mul3, tanh1), mul3, batch);
          }
          if (gMul3 != null) {
          }
        """;
    assertEquals(List.of(), constantNullTests("g", viaNullable, unknown));
    assertEquals(List.of(), constantNullTests("g", viaNullable, (field, part) -> "MAYBE"));
    String partFed = """
          Tensor gNeg1 = null;
          Tensor[] gSoftplusCall2 = softplusCall2.backward(g, new boolean[] {true});
          gNeg1 = Grad.accumulate(gNeg1, gSoftplusCall2[0], neg1, batch);
          if (gNeg1 != null) {
            gX = Grad.accumulate(gX, Rules.negWrtSelf(gNeg1, neg1, x), x, batch);
          }
        """;
    assertEquals(List.of(), constantNullTests("g", partFed, (field, part) -> "MAYBE"));
    // the callee returns the part whenever asked: the test's answer is known
    assertEquals(List.of("gNeg1 is tested for null but always receives a rule's contribution"
        + " or a part its callee returns whenever asked"),
        constantNullTests("g", partFed, (field, part) -> field.equals("softplusCall2") && part == 0
            ? "WHEN_NEEDED" : null));
  }

  @Test
  void callFieldsAndFlowsAreReadFromGeneratedText() {
    String text = """
        public static final class Pad implements Differentiable {
          private final Tensor x;
          private final Pad2d pad2dCall1;
          private final zkynet.BuiltinsOps.Tanh tanhCall1;

          @Override
          @GradientFlow({GradientFlow.Flow.WHEN_NEEDED, GradientFlow.Flow.NONE})
          public Tensor[] backward(Tensor gOut, boolean[] needed) {
        """;
    assertEquals(Map.of("ConvolutionOps.Pad", List.of("WHEN_NEEDED", "NONE")), flows("ConvolutionOps.java", text));
    assertEquals(Map.of("pad2dCall1", "ConvolutionOps.Pad2d", "tanhCall1", "BuiltinsOps.Tanh"),
        callFields("ConvolutionOps.java", text));
  }

  /** The null tests of one backward body whose answer is known at compile time, explained. */
  static List<String> constantNullTests(String cotangent, String body, PartFlow partFlow) {
    List<String> out = new ArrayList<>();
    Matcher m = NULL_TEST.matcher(body);
    while (m.find()) {
      String v = m.group(1);
      if (body.contains("Tensor " + v + " = " + cotangent + ";")) {
        out.add(v + " is tested for null but holds the cotangent");
      } else if (!mayBeNull(v, body, partFlow, new HashSet<>())) {
        out.add(v + " is tested for null but always receives a rule's contribution"
            + " or a part its callee returns whenever asked");
      }
    }
    return out;
  }

  /**
   * Whether adjoint {@code v} may be null when read: declared null, and every contribution to it is
   * a part a called operator may return null for (MAYBE, or not known), or comes (through a rule or
   * as is) from an adjoint that may itself be null.
   */
  private static boolean mayBeNull(String v, String body, PartFlow partFlow, Set<String> seen) {
    if (!seen.add(v) || !body.contains("Tensor " + v + " = null;")) {
      return false; // the cotangent, or a local that is never null
    }
    Matcher assign = Pattern.compile("\\n\\s*" + v + " = (?:[\\w.]+\\.)?Grad\\.accumulate\\(" + v
        + ", (.*);").matcher(body);
    while (assign.find()) {
      String contribution = assign.group(1);
      Matcher part = Pattern.compile("^(\\w+)\\[(\\d+)\\], ").matcher(contribution);
      Matcher rule = Pattern.compile("^(?:[\\w.]+\\.)?Rules\\.\\w+\\((\\w+), ").matcher(contribution);
      Matcher as = Pattern.compile("^(\\w+), ").matcher(contribution);
      boolean nullable = part.find() ? mayBeNullPart(part.group(1), Integer.parseInt(part.group(2)), body, partFlow)
          : (rule.find() && mayBeNull(rule.group(1), body, partFlow, seen))
          || (!contribution.contains("(") && as.find() && mayBeNull(as.group(1), body, partFlow, seen));
      if (!nullable) {
        return false;
      }
    }
    return true;
  }

  /** Whether part {@code part} of {@code parts} (a called operator's backward's result) may be null. */
  private static boolean mayBeNullPart(String parts, int part, String body, PartFlow partFlow) {
    Matcher call = Pattern.compile("Tensor\\[\\] " + parts + " = (\\w+)\\.backward\\(").matcher(body);
    String flow = call.find() ? partFlow.flow(call.group(1), part) : null;
    return flow == null || flow.equals("MAYBE");
  }
}
