package zkynet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No generated backward tests an adjoint for null where the answer is known at compile time. Read
 * from the sources the processor generated for the runtime (its built-in operators and test
 * operators) and for these examples: every null test must be on an adjoint declared null whose every
 * contribution is a part returned by a called operator (which may be null, unknown at compile time).
 * An adjoint initialised with the cotangent, or receiving a rule's contribution, is never null when
 * read. Runs from the examples module directory, as Maven does.
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

  @Test
  void noGeneratedNullTestHasAnAnswerKnownAtCompileTime() throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> read = new ArrayList<>();
    int methods = 0;
    for (Path dir : GENERATED) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith("Ops.java")).toList()) {
          read.add(f.getFileName().toString());
          Matcher m = BACKWARD.matcher(Files.readString(f));
          while (m.find()) {
            methods++;
            for (String p : constantNullTests(m.group(1), m.group(2))) {
              problems.add(f.getFileName() + ": " + p);
            }
          }
        }
      }
    }
    assertTrue(read.containsAll(List.of("BuiltinsOps.java", "ActivationsOps.java", "AdversarialOps.java"))
        && methods >= 20, "read only " + methods + " generated backward methods, from " + read + " in "
        + GENERATED + ": build the runtime and its tests first (mvn verify does)");
    assertEquals(List.of(), problems, "null tests whose answer is known at compile time");
  }

  @Test
  void theCheckSeesAConstantNullTest() {
    String ruleFed = """
          Tensor gE = null;
          Tensor gLog1 = g;
          gE = Grad.accumulate(gE, Rules.logWrtSelf(gLog1, log1, e), e, batch);
          if (gE != null) {
            gX = Grad.accumulate(gX, Rules.expWrtSelf(gE, e, x), x, batch);
          }
        """;
    assertEquals(List.of("gE is tested for null but always receives a rule's contribution"),
        constantNullTests("g", ruleFed));
    assertEquals(List.of("gLog1 is tested for null but holds the cotangent"),
        constantNullTests("g", "Tensor gLog1 = g;\nif (gLog1 != null) {\n}\n"));
    String viaNullable = """
          Tensor gMul3 = null;
          Tensor gMul12 = null;
          gMul12 = Grad.accumulate(gMul12, gSquashCall2[0], mul1, batch);
          if (gMul12 != null) {
            gMul3 = Grad.accumulate(gMul3, Rules.subWrtSelf(gMul12, mul1, mul3, tanh1), mul3, batch);
          }
          if (gMul3 != null) {
          }
        """;
    assertEquals(List.of(), constantNullTests("g", viaNullable));
    String partFed = """
          Tensor gNeg1 = null;
          gNeg1 = Grad.accumulate(gNeg1, gSoftplusCall2[0], neg1, batch);
          if (gNeg1 != null) {
            gX = Grad.accumulate(gX, Rules.negWrtSelf(gNeg1, neg1, x), x, batch);
          }
        """;
    assertEquals(List.of(), constantNullTests("g", partFed));
  }

  /** The null tests of one backward body whose answer is known at compile time, explained. */
  static List<String> constantNullTests(String cotangent, String body) {
    List<String> out = new ArrayList<>();
    Matcher m = NULL_TEST.matcher(body);
    while (m.find()) {
      String v = m.group(1);
      if (body.contains("Tensor " + v + " = " + cotangent + ";")) {
        out.add(v + " is tested for null but holds the cotangent");
      } else if (!mayBeNull(v, body, new HashSet<>())) {
        out.add(v + " is tested for null but always receives a rule's contribution");
      }
    }
    return out;
  }

  /**
   * Whether adjoint {@code v} may be null when read: declared null, and every contribution to it is
   * a part returned by a called operator, or comes (through a rule or as is) from an adjoint that
   * may itself be null.
   */
  private static boolean mayBeNull(String v, String body, Set<String> seen) {
    if (!seen.add(v) || !body.contains("Tensor " + v + " = null;")) {
      return false; // the cotangent, or a local that is never null
    }
    Matcher assign = Pattern.compile("\\n\\s*" + v + " = (?:[\\w.]+\\.)?Grad\\.accumulate\\(" + v
        + ", (.*);").matcher(body);
    while (assign.find()) {
      String contribution = assign.group(1);
      Matcher part = Pattern.compile("^\\w+\\[\\d+\\], ").matcher(contribution);
      Matcher rule = Pattern.compile("^(?:[\\w.]+\\.)?Rules\\.\\w+\\((\\w+), ").matcher(contribution);
      Matcher as = Pattern.compile("^(\\w+), ").matcher(contribution);
      boolean nullable = part.find()
          || (rule.find() && mayBeNull(rule.group(1), body, seen))
          || (!contribution.contains("(") && as.find() && mayBeNull(as.group(1), body, seen));
      if (!nullable) {
        return false;
      }
    }
    return true;
  }
}
