package zkynet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.processor.Testing.assertContains;
import static zkynet.processor.Testing.assertInOrder;
import static zkynet.processor.Testing.assertNotContains;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Bodies that do not fuse as a whole: each maximal elementwise region of two or more primitives
 * becomes a private class that fuses, called by the operator's class as one step.
 */
class RegionGenerationTest {

  private static String compileOps(String simpleName, String body) {
    Compilation c = compile(source("zkynet.examples." + simpleName, """
        package zkynet.examples;

        import zkynet.Derivative;
        import zkynet.Operator;
        import zkynet.Tensor;

        public final class %s {
        %s
        }
        """.formatted(simpleName, body)));
    assertThat(c).succeeded();
    return generated(c, "zkynet.examples." + simpleName + "Ops");
  }

  /** The class named {@code name} in {@code ops}, up to the next class. */
  private static String classText(String ops, String name) {
    int start = ops.indexOf("static final class " + name + " ");
    int end = ops.indexOf("static final class ", start + 1);
    return ops.substring(start, end < 0 ? ops.length() : end);
  }

  @Test
  void aDenseLayerFusesItsBiasAndActivationAroundTheProduct() {
    String ops = compileOps("Layers", """
          @Operator
          public static Tensor dense(Tensor x, Tensor w, Tensor b) {
            return x.matmul(w).add(b).tanh();
          }
        """);
    String dense = classText(ops, "Dense");
    String region = classText(ops, "DenseRegion1");
    assertInOrder(dense,
        "private final DenseRegion1 region1;",
        "// not fused: matmul is not elementwise",
        "// fused region DenseRegion1: add, tanh",
        "matmul1 = x.matmul(w);",
        "// one fused loop: add, tanh",
        "region1 = new DenseRegion1(matmul1, b);",
        "tanh1 = region1.output();",
        // the region's reverse pass is known to return its gradients whenever asked: no null test
        "Tensor[] gRegion1 = region1.backward(gTanh1, new boolean[] {needed[0] || needed[1], needed[2]});",
        "gMatmul1 = Grad.accumulate(gMatmul1, gRegion1[0], matmul1, batch);",
        "gB = Grad.accumulate(gB, gRegion1[1], b, batch);",
        "gX = Grad.accumulate(gX, Rules.matmulWrtSelf(gMatmul1, matmul1, x, w), x, batch);");
    assertNotContains(dense, "!= null", "fusedForward", "add1");
    assertInOrder(ops, "private static final class DenseRegion1 implements Differentiable {");
    assertInOrder(region,
        "public DenseRegion1(Tensor matmul1, Tensor b) {",
        "loop = Fused.plan(matmul1, b);",
        "add1 = matmul1.add(b);",
        "tanh1 = add1.tanh();",
        "@GradientFlow({GradientFlow.Flow.WHEN_NEEDED, GradientFlow.Flow.WHEN_NEEDED})",
        "if (fused && Fused.matches(gOut, tanh1)) {",
        "float add1 = matmul1 + b;",
        "float tanh1 = FastMath.tanh(add1);",
        "return loop.backward(Fused.COSTLY, new Tensor[] {matmul1, b}, needed, (start, end, chunk) -> {",
        "float dAdd1 = dTanh1 * ScalarRules.tanhWrtSelf(tanh1, add1);",
        "float dMatmul1 = dAdd1 * ScalarRules.addWrtSelf(add1, matmul1, b);",
        "float dB = dAdd1 * ScalarRules.addWrtOther(add1, matmul1, b);");
    // in an inference call the facade runs the operator's class (its region's loop is fused)
    assertContains(ops, "return CallSession.infer(\"dense\", () -> new Dense(xValue, wValue, bValue).output()");
  }

  /**
   * A value used outside its run of elementwise steps ends the region there; a step that reads no
   * value of the run (a reshape of an input, a hoisted constant) does not; a single primitive is not
   * outlined, and the comments say why.
   */
  @Test
  void valuesUsedOutsideSplitRegionsAndIndependentStepsDoNot() {
    String ops = compileOps("Split", """
          @Operator
          public static Tensor f(Tensor x, Tensor w, Tensor v, int[] shape) {
            Tensor t = x.mul(w).add(1.0);
            Tensor h = t.mul(t).add(v.reshape(shape)).div(x.shape(0)).sigmoid();
            return h.matmul(v).add(t.sum());
          }
        """);
    String f = classText(ops, "F");
    assertInOrder(f,
        "// not fused: reshape is not elementwise",
        "// fused region FRegion1: mul, add",
        "// fused region FRegion2: mul, add, div, sigmoid",
        "// not fused: region sum1 (a single primitive is one loop already)",
        "// not fused: region add2 (a single primitive is one loop already)",
        "region1 = new FRegion1(x, w);",
        "t = region1.output();",
        "reshape1 = v.reshape(shape);",
        "shape1 = x.shape(0);",
        "region2 = new FRegion2(t, reshape1, shape1);",
        "h = region2.output();",
        "matmul1 = h.matmul(v);",
        "sum1 = t.sum();",
        "add2 = matmul1.add(sum1);");
    assertContains(ops, "public FRegion2(Tensor t, Tensor reshape1, int shape1) {",
        "float div1 = add1 / (float) shape1;");
  }

  @Test
  void aRegionBesideACallToAnotherOperatorAndAClosingRowSum() {
    String ops = compileOps("Calls", """
          @Operator
          public static Tensor inner(Tensor x) {
            return x.exp().add(1.0);
          }

          @Operator
          public static Tensor outer(Tensor x, Tensor w) {
            return inner(x).mul(w).sub(x).sum(-1).tanh();
          }
        """);
    assertInOrder(classText(ops, "Outer"),
        "// not fused: calls operator Inner (fusion does not cross operator calls)",
        "// fused region OuterRegion1: mul, sub, sum(-1)",
        "innerCall1 = new Inner(x);",
        "inner1 = innerCall1.output();",
        "region1 = new OuterRegion1(inner1, w, x);",
        "sum1 = region1.output();",
        "tanh1 = sum1.tanh();");
    assertContains(classText(ops, "OuterRegion1"), "loop = Fused.planRows(inner1, w, x);");
    assertContains(classText(ops, "Inner"), "private Tensor fusedForward() {"); // fused as a whole
  }

  /** Region classes never take the name of an operator's class; names the user took are kept. */
  @Test
  void regionNamesDoNotCollide() {
    String ops = compileOps("Names", """
          @Operator
          public static Tensor dense(Tensor region1, Tensor w) {
            return region1.matmul(w).exp().tanh();
          }

          @Operator
          public static Tensor denseRegion1(Tensor x) {
            return x.matmul(x).exp().log();
          }
        """);
    assertContains(ops, "private static final class DenseRegion2 implements Differentiable",
        "region2 = new DenseRegion2(matmul1);", "public static final class DenseRegion1 implements Differentiable",
        "private static final class DenseRegion1Region1 implements Differentiable");
  }

  /** A body with a supplied derivative, or one that fuses as a whole, is written as before. */
  @Test
  void suppliedDerivativesAndWholeBodiesAreNotOutlined() {
    String ops = compileOps("Kept", """
          @Operator
          public static Tensor whole(Tensor x, Tensor w) {
            return x.mul(w).add(1.0).tanh();
          }

          @Operator
          public static Tensor supplied(Tensor x, Tensor w) {
            return x.matmul(w).exp().tanh();
          }

          @Derivative(of = "supplied", wrt = "x")
          public static Tensor suppliedX(Tensor g, Tensor y, Tensor x, Tensor w) {
            return g;
          }

          @Derivative(of = "supplied", wrt = "w")
          public static Tensor suppliedW(Tensor g, Tensor y, Tensor x, Tensor w) {
            return g;
          }
        """);
    assertNotContains(ops, "Region", "// not fused: region");
    assertContains(classText(ops, "Whole"), "loop = Fused.plan(x, w);");
    assertEquals(-1, classText(ops, "Supplied").indexOf("// not fused"));
  }

  /** A value computed but not used never joins a loop: the body does not fuse as a whole, its region does. */
  @Test
  void unusedValuesStayOutOfLoops() {
    String ops = compileOps("Dead", """
          @Operator
          public static Tensor f(Tensor x, Tensor big) {
            Tensor unused = big.exp();
            return x.mul(2.0).tanh();
          }
        """);
    assertInOrder(classText(ops, "F"),
        "// not fused: unused is computed but not used",
        "// fused region FRegion1: mul, tanh",
        "unused = big.exp();",
        "region1 = new FRegion1(x);");
    assertContains(classText(ops, "FRegion1"), "loop = Fused.plan(x);");
  }
}
