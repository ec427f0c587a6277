package zkynet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static zkynet.processor.Testing.assertContains;
import static zkynet.processor.Testing.assertInOrder;
import static zkynet.processor.Testing.assertNotContains;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.source;

import com.google.testing.compile.Compilation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fused loops the processor writes beside the op-by-op code, and where it says it did not fuse. */
class FusionGenerationTest {

  @Test
  void anElementwiseBodyClosedBySumFusesWithNeededGradientsOnly() {
    Compilation c = compile(source("zkynet.examples.Cubic", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Cubic {
          @Operator
          public static Tensor f(Tensor x, Tensor w) {
            Tensor s = x.add(w);
            return s.mul(x.pow(2.0)).sum();
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.CubicOps");
    assertInOrder(ops,
        "loop = Fused.plan(x, w);",
        "fused = loop != null;",
        "sum1 = fusedForward();",
        "forward();",
        "private void forward() {",
        "sum1 = mul1.sum();",
        "public Tensor[] backward(Tensor gOut, boolean[] needed) {",
        "if (fused && Fused.matches(gOut, sum1)) {",
        "return fusedBackward(gOut, needed);",
        "forward();",
        "fused = false;",
        "private Tensor fusedForward() {",
        "float[] ws = loop.floatsOrOne(w);",
        "boolean wOne = ws.length == 1;",
        "float wScalar = wOne ? ws[0] : 0f;",
        "return loop.sum(Fused.COSTLY, (start, end, chunk) -> {",
        "float[] sums = chunk.sum();",
        "for (int i = start; i < end; i++) {",
        "float w = wOne ? wScalar : ws[i];",
        "float s = x + w;",
        "float pow1 = Fused.pow(x, (float) 2.0);",
        "float mul1 = s * pow1;",
        "sums[i] = mul1;",
        "private Tensor[] fusedBackward(Tensor gOut, boolean[] needed) {",
        "float g = Fused.scalar(gOut);",
        "return loop.backward(Fused.COSTLY, new Tensor[] {x, w}, needed, (start, end, chunk) -> {",
        "float[] gWs = chunk.gradient(1);",
        "float dMul1 = dSum1 * ScalarRules.sumWrtSelf(0f, mul1);",
        "float dS = dMul1 * ScalarRules.mulWrtSelf(mul1, s, pow1);",
        "float dX = dPow1 * ScalarRules.powWrtSelf(pow1, x, (float) 2.0);",
        "dX += dS * ScalarRules.addWrtSelf(s, x, w);",
        "float dW = dS * ScalarRules.addWrtOther(s, x, w);",
        "gXs[i] = dX;",
        "gWs[i] = dW;");
  }

  /** sin, cos, log1p, expm1 and erf fuse, computed in float64 and rounded as the float32 kernels. */
  @Test
  void transcendentalPrimitivesFuseAsTheBackendComputesThem() {
    Compilation c = compile(source("zkynet.examples.Waves", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Waves {
          @Operator
          public static Tensor f(Tensor x) {
            return x.sin().mul(x.cos()).add(x.log1p()).sub(x.expm1()).add(x.erf());
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.WavesOps");
    assertNotContains(ops, "// not fused");
    assertInOrder(ops,
        "private Tensor fusedForward() {",
        "loop.forRange(Fused.COSTLY,",
        "float sin1 = (float) Math.sin(x);",
        "float cos1 = (float) Math.cos(x);",
        "float log1p1 = (float) Math.log1p(x);",
        "float expm11 = (float) Math.expm1(x);",
        "float erf1 = (float) Erf.erf(x);",
        "private Tensor[] fusedBackward(Tensor gOut, boolean[] needed) {",
        "ScalarRules.erfWrtSelf(erf1, x);",
        "ScalarRules.expm1WrtSelf(expm11, x);",
        "ScalarRules.log1pWrtSelf(log1p1, x);",
        "ScalarRules.cosWrtSelf(cos1, x);",
        "ScalarRules.sinWrtSelf(sin1, x);");
  }

  @Test
  void bodiesThatAreNotOneElementwiseRegionSayWhy() {
    Compilation c = compile(source("zkynet.examples.Mixed", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Mixed {
          @Operator
          public static Tensor affine(Tensor x, Tensor w) {
            return x.matmul(w).tanh();
          }

          @Operator
          public static Tensor twice(Tensor x) {
            return affine(x, x).exp();
          }

          @Operator
          public static Tensor rowSums(Tensor x) {
            return x.exp().sum(new int[] {0}, false);
          }

          @Operator
          public static Tensor perColumn(Tensor x) {
            return x.mul(x.shape()[x.rank() - 1]).exp();
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.MixedOps");
    assertContains(ops, "// not fused: matmul is not elementwise",
        "// not fused: calls operator Affine (fusion does not cross operator calls)",
        "// not fused: sum(axes1, false) is not a full or last-axis (-1) reduction closing the body",
        // a constant computed in the body keeps the body from fusing as a whole, not its region
        "// not fused: constant expression other1 is computed in the body",
        "// fused region PerColumnRegion1: mul, exp");
    assertNotContains(ops.substring(0, ops.indexOf("class PerColumn")), "fusedForward", "Fused.");
  }

  /** A sum or mean over the last axis closes a region: one value per row, the row's cotangent per element. */
  @Test
  void lastAxisSumAndMeanCloseARegion() {
    Compilation c = compile(source("zkynet.examples.Rows", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Rows {
          @Operator
          public static Tensor variance(Tensor x, Tensor m) {
            return x.sub(m).mul(x.sub(m)).mean(-1);
          }

          @Operator
          public static Tensor dot(Tensor x, Tensor w) {
            return x.mul(w).sum( -1 );
          }

          @Operator
          public static Tensor firstAxis(Tensor x, Tensor w) {
            return x.mul(w).sum(0);
          }

          @Operator
          public static Tensor notLast(Tensor x) {
            return x.exp().sum(-1).tanh();
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.RowsOps");
    String variance = ops.substring(ops.indexOf("class Variance "), ops.indexOf("class Dot "));
    String dot = ops.substring(ops.indexOf("class Dot "), ops.indexOf("class FirstAxis "));
    assertContains(variance, "loop = Fused.planRows(x, m);",
        "return loop.meanRows(Fused.CHEAP, (start, end, chunk) -> {", "sums[i] = mul1;",
        "float[] gOuts = loop.perRow(gOut, true);", "float dMean1 = gOuts[i];",
        "float dMul1 = dMean1 * ScalarRules.sumWrtSelf(0f, mul1);");
    assertContains(dot, "loop = Fused.planRows(x, w);", "return loop.sumRows(Fused.CHEAP,",
        "float[] gOuts = loop.perRow(gOut, false);", "float dSum1 = gOuts[i];");
    assertContains(ops, "// not fused: sum(0) is not a full or last-axis (-1) reduction closing the body",
        "// not fused: sum(-1) is not elementwise (only a final sum or mean, full or over the last axis, "
            + "closes a region)");
  }

  /**
   * {@code sum(new int[] {-1}, keepDims)} and {@code mean(...)} with a literal keepDims close a region
   * like {@code sum(-1)}: the axes array, a constant of the body, is written into the region's call;
   * keepDims gives the rows a last axis of 1 (but a transcendental function alone is not closed in a
   * region: measured slower). Other axes arrays, a variable one, a variable keepDims
   * and a positive axis (the rank is not known at compile time) do not close it.
   */
  @Test
  void lastAxisArrayWithKeepDimsClosesARegion() {
    Compilation c = compile(source("zkynet.examples.Kept", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Kept {
          @Operator
          public static Tensor meanSquare(Tensor x) {
            return x.mul(x).mean(new int[] {-1}, true);
          }

          @Operator
          public static Tensor rowSquareSums(Tensor x) {
            return x.mul(x).sum(new int[]{ -1 }, false);
          }

          @Operator
          public static Tensor firstAxis(Tensor x) {
            return x.mul(x).sum(new int[] {0}, true);
          }

          @Operator
          public static Tensor twoAxes(Tensor x) {
            return x.mul(x).sum(new int[] {-1, -2}, true);
          }

          @Operator
          public static Tensor given(Tensor x, int[] axes) {
            return x.mul(x).sum(axes, true);
          }

          @Operator
          public static Tensor keepGiven(Tensor x, boolean keep) {
            return x.mul(x).sum(new int[] {-1}, keep);
          }

          @Operator
          public static Tensor positive(Tensor x) {
            return x.mul(x).sum(new int[] {1}, true);
          }

          @Operator
          public static Tensor rowExpSums(Tensor x) {
            return x.exp().sum(new int[] {-1}, true);
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.KeptOps");
    String meanSquare = ops.substring(ops.indexOf("class MeanSquare "), ops.indexOf("class RowSquareSums "));
    String rowSquareSums = ops.substring(ops.indexOf("class RowSquareSums "), ops.indexOf("class FirstAxis "));
    assertContains(meanSquare, "// not fused: constant expression axes1 is computed in the body",
        "// fused region MeanSquareRegion1: mul, mean(-1)", "region1 = new MeanSquareRegion1(x);",
        "loop = Fused.planRows(x);", "return loop.meanRowsKeepDims(Fused.CHEAP,",
        "mul1.mean(new int[]{-1}, true)", "float[] gOuts = loop.perRow(gOut, true);");
    assertContains(rowSquareSums, "// fused region RowSquareSumsRegion1: mul, sum(-1)",
        "return loop.sumRows(Fused.CHEAP,", "float[] gOuts = loop.perRow(gOut, false);");
    String rest = ops.substring(ops.indexOf("class FirstAxis "));
    for (String args : List.of("axes1, true", "axes, true", "axes1, keep")) {
      assertContains(rest, "// not fused: sum(" + args + ") is not a full or last-axis (-1) reduction closing the body");
    }
    // a closed transcendental function alone would be computed again by the fused backward
    // (no region: the body runs op by op)
    assertContains(rest.substring(rest.indexOf("class RowExpSums ")),
        "// not fused: constant expression axes1 is computed in the body");
    assertNotContains(rest, "Fused.planRows", "RowsKeepDims", "sumRows");
  }

  /** C2 unswitches a loop at most 3 times: with 4 operands every operand is read from an array. */
  @Test
  void moreThanThreeOperandsAreReadFromArraysOnly() {
    Compilation c = compile(source("zkynet.examples.Four", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Four {
          @Operator
          public static Tensor three(Tensor a, Tensor b, Tensor d) {
            return a.mul(b).add(d).tanh();
          }

          @Operator
          public static Tensor four(Tensor a, Tensor b, Tensor d, Tensor e) {
            return a.mul(b).add(d.mul(e)).tanh();
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.FourOps");
    String three = ops.substring(ops.indexOf("class Three "), ops.indexOf("class Four "));
    String four = ops.substring(ops.indexOf("class Four "));
    assertContains(three, "float[] ds = loop.floatsOrOne(d);", "float d = dOne ? dScalar : ds[i];");
    assertContains(four, "float[] es = loop.floats(e);", "float a = as[i];", "float e = es[i];");
    assertNotContains(four, "floatsOrOne", "eOne");
  }

  @Test
  void generatedNamesNeverCaptureTheUsersNames() {
    Compilation c = compile(source("zkynet.examples.Names", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Names {
          @Operator
          public static Tensor odd(Tensor i, Tensor n, double Fused, double start) {
            Tensor like = i.mul(Fused).add(start);
            Tensor out = like.mul(n);
            return out.sub(i).tanh();
          }
        }
        """));
    assertThat(c).succeeded();
    String ops = generated(c, "zkynet.examples.NamesOps");
    assertContains(ops, "zkynet.backend.jvm.Fused.plan(i, n)", "for (int i2 = start2; i2 < end; i2++) {",
        "float i = iOne ? iScalar : is[i2];",
        "float like = mul1 + (float) start;");
  }
}
