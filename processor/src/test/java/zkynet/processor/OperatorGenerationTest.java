package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static zkynet.processor.Testing.assertContains;
import static zkynet.processor.Testing.assertInOrder;
import static zkynet.processor.Testing.assertNotContains;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;

/**
 * What the processor generates for {@code @Operator} methods, asserted on the generated text. Every
 * compilation here must succeed, so the generated code also compiles against the runtime stubs.
 */
class OperatorGenerationTest {
  private static final Source SOFTPLUS = source("zkynet.examples.Activations", """
      package zkynet.examples;

      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Activations {
        @Operator
        public static Tensor softplus(Tensor x) {
          Tensor e = x.exp();
          return e.add(1.0).log();
        }
      }
      """);

  @Test
  void softplusGetsAFacadeForwardStatementsAndRulesInReverseOrder() {
    String ops = generated(compile(SOFTPLUS), "zkynet.examples.ActivationsOps");
    String line1 = "// Activations.java:" + SOFTPLUS.line("Tensor e = x.exp();")
        + ": Tensor e = x.exp();";
    String line2 = "// Activations.java:" + SOFTPLUS.line("return e.add(1.0).log();")
        + ": return e.add(1.0).log();";
    assertContains(ops,
        "@Generated(\"zkynet.processor.ZkynetProcessor\")",
        "public final class ActivationsOps {",
        "public static final class Softplus implements Differentiable {");
    // In an inference call the facade evaluates the operator (softplus has a fused forward loop,
    // which keeps no intermediates: it runs that); otherwise it records the operator.
    assertInOrder(ops,
        "public static Node softplus(Operand x) {",
        "if (CallSession.inferring()) {",
        "Tensor xValue = CallSession.value(x);",
        "return CallSession.infer(\"softplus\", () -> new Softplus(xValue).output(), xValue);",
        "}",
        "Node xNode = CallSession.node(x);",
        "return CallSession.apply(\"softplus\", () -> new Softplus(xNode.value()), xNode);");
    // Forward: one statement per primitive, under the source line it comes from.
    assertInOrder(ops,
        "public Softplus(Tensor x) {",
        "this.x = x;",
        "// ---------------- forward",
        line1,
        "e = x.exp();",
        line2,
        "add1 = e.add(1.0);",
        "log1 = add1.log();",
        "public Tensor output() {",
        "return log1;");
    // Backward: the rule calls in reverse order, each under the forward line it differentiates.
    assertInOrder(ops,
        "public Tensor[] backward(Tensor gOut, boolean[] needed) {",
        "int batch = gOut.rank() - log1.rank();",
        "Tensor gX = null;",
        "Tensor gLog1 = gOut;",
        "// ---------------- backward, last forward line first",
        line2,
        "gAdd1 = Grad.accumulate(gAdd1, Rules.logWrtSelf(gLog1, log1, add1), add1, batch);",
        "gE = Grad.accumulate(gE, Rules.addScalarWrtSelf(gAdd1, add1, e, 1.0), e, batch);",
        line1,
        "gX = Grad.accumulate(gX, Rules.expWrtSelf(gE, e, x), x, batch);",
        "return new Tensor[] {gX};");
  }

  @Test
  void operatorCallingAnOperatorOfAnotherClassComposesItsClassAndBackward() {
    Source smooth = source("zkynet.examples.Smooth", """
        package zkynet.examples;

        import static zkynet.examples.Activations.softplus;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Smooth {
          @Operator
          public static Tensor smoothAbs(Tensor x) {
            Tensor pos = softplus(x);
            return pos.add(Activations.softplus(x.neg()));
          }
        }
        """);
    String ops = generated(compile(SOFTPLUS, smooth), "zkynet.examples.SmoothOps");
    assertContains(ops,
        "private final ActivationsOps.Softplus softplusCall1;",
        "private final ActivationsOps.Softplus softplusCall2;");
    assertInOrder(ops,
        "softplusCall1 = new ActivationsOps.Softplus(x);",
        "pos = softplusCall1.output();",
        "neg1 = x.neg();",
        "softplusCall2 = new ActivationsOps.Softplus(neg1);",
        "softplus1 = softplusCall2.output();",
        "add1 = pos.add(softplus1);");
    assertInOrder(ops,
        "// ---------------- backward, last forward line first",
        "Tensor[] gSoftplusCall2 = softplusCall2.backward(gSoftplus1, new boolean[] {true});",
        "gNeg1 = Grad.accumulate(gNeg1, gSoftplusCall2[0], neg1, batch);",
        "gX = Grad.accumulate(gX, Rules.negWrtSelf(gNeg1, neg1, x), x, batch);",
        "Tensor[] gSoftplusCall1 = softplusCall1.backward(gPos, new boolean[] {true});",
        "gX = Grad.accumulate(gX, gSoftplusCall1[0], x, batch);",
        "return new Tensor[] {gX};");
    // softplus, compiled alongside, returns x's gradient whenever asked: known, so nothing is tested
    assertNotContains(ops, "!= null");
    assertContains(ops, "@GradientFlow(GradientFlow.Flow.WHEN_NEEDED)\n    public Tensor[] backward(");
  }

  @Test
  void operatorCallingAnOperatorOfItsOwnClass() {
    Source src = source("zkynet.examples.Activations", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Activations {
          @Operator
          public static Tensor softplus(Tensor x) {
            return x.exp().add(1.0).log();
          }

          @Operator
          public static Tensor softplusOfSquare(Tensor x) {
            return softplus(x.mul(x));
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.ActivationsOps");
    assertInOrder(ops,
        "public SoftplusOfSquare(Tensor x) {",
        "mul1 = x.mul(x);",
        "softplusCall1 = new Softplus(mul1);",
        "softplus1 = softplusCall1.output();",
        "Tensor[] gSoftplusCall1 = softplusCall1.backward(gSoftplus1, new boolean[] {true});",
        "gMul1 = Grad.accumulate(gMul1, gSoftplusCall1[0], mul1, batch);",
        // x used twice by one primitive: both contributions accumulate into gX.
        "gX = Grad.accumulate(gX, Rules.mulWrtSelf(gMul1, mul1, x, x), x, batch);",
        "gX = Grad.accumulate(gX, Rules.mulWrtOther(gMul1, mul1, x, x), x, batch);");
  }

  @Test
  void nonDifferentiatedParametersGetNoGradientAndPassThroughRaw() {
    Source src = source("zkynet.examples.Losses", """
        package zkynet.examples;

        import zkynet.NoGrad;
        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Losses {
          @Operator
          public static Tensor maskedLoss(Tensor x, int[] labels, double scale, @NoGrad Tensor mask) {
            Tensor picked = x.mul(Tensor.oneHot(labels, x.shape(1), x.dtype()));
            return picked.mul(mask).mul(scale).sum();
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.LossesOps");
    // Only x becomes a graph node; the rest reach the operator class as they are. The body does not
    // fuse as a whole (oneHot is a constant computed in it), its elementwise region does: in an
    // inference call the facade runs the operator class, whose region's forward pass is fused.
    assertInOrder(ops,
        "public static Node maskedLoss(Operand x, int[] labels, double scale, Tensor mask) {",
        "Tensor xValue = CallSession.value(x);",
        "return CallSession.infer(\"maskedLoss\", () -> new MaskedLoss(xValue, labels, scale, "
            + "mask).output(), xValue);",
        "Node xNode = CallSession.node(x);",
        "return CallSession.apply(\"maskedLoss\", () -> new MaskedLoss(xNode.value(), labels, scale, "
            + "mask), xNode);");
    assertContains(ops,
        "public MaskedLoss(Tensor x, int[] labels, double scale, Tensor mask) {",
        "gMul1 = Grad.accumulate(gMul1, Rules.mulScalarWrtSelf(gMul2, mul2, mul1, scale), mul1, "
            + "batch);",
        "gPicked = Grad.accumulate(gPicked, Rules.mulWrtSelf(gMul1, mul1, picked, mask), picked, "
            + "batch);",
        "return new Tensor[] {gX};");
    assertNotContains(ops, "CallSession.node(mask)", "CallSession.node(labels)", "maskNode",
        "CallSession.value(mask)", "maskValue",
        "gMask", "gLabels", "gScale", "gOther1", "Rules.mulWrtOther");
  }

  @Test
  void unusedInputGetsANullGradientInItsSlotAndNoAdjoint() {
    Source src = source("zkynet.examples.Pick", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Pick {
          @Operator
          public static Tensor first(Tensor a, Tensor b) {
            return a.exp();
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.PickOps");
    assertInOrder(ops,
        "public static Node first(Operand a, Operand b) {",
        "Node aNode = CallSession.node(a);",
        "Node bNode = CallSession.node(b);",
        "() -> new First(aNode.value(), bNode.value()), aNode, bNode);");
    // b reaches nothing: no adjoint, null in its slot. A caller asking for b alone computes nothing.
    assertInOrder(ops,
        "Tensor gA = null;",
        "Tensor gExp1 = gOut;",
        "if (needed[0]) {",
        "gA = Grad.accumulate(gA, Rules.expWrtSelf(gExp1, exp1, a), a, batch);",
        "return new Tensor[] {gA, null};");
    assertNotContains(ops, "gB", "needed[1]", "!= null", "== null");
    assertContains(ops, "// not fused: a single primitive is one loop already");
  }

  @Test
  void suppliedDerivativesAreCalledInsteadOfDifferentiatingTheBody() {
    Source src = source("zkynet.examples.Losses", """
        package zkynet.examples;

        import zkynet.Derivative;
        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Losses {
          /** The body is not differentiated, so it may loop. */
          @Operator
          public static Tensor hinge(Tensor a, Tensor b, int[] labels) {
            Tensor total = a.sub(b);
            for (int label : labels) {
              total = total.add(label);
            }
            return total.relu();
          }

          @Derivative(of = "hinge", wrt = "b")
          public static Tensor hingeGradB(Tensor g, Tensor y, Tensor a, Tensor b, int[] labels) {
            return g.neg();
          }

          @Derivative(of = "hinge", wrt = "a")
          public static Tensor hingeGradA(Tensor g, Tensor y, Tensor a, Tensor b, int[] labels) {
            return g;
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.LossesOps");
    assertInOrder(ops,
        "public static Node hinge(Operand a, Operand b, int[] labels) {",
        "() -> new Hinge(aNode.value(), bNode.value(), labels), aNode, bNode);",
        "Forward pass of {@link Losses#hinge}, with the derivative supplied by its "
            + "{@code @Derivative} methods.",
        "private final Tensor out;",
        "out = Losses.hinge(a, b, labels);",
        "return out;",
        "int batch = gOut.rank() - out.rank();",
        // In parameter order, whatever the order of the @Derivative methods.
        "Tensor gA = null;",
        "if (needed[0]) {",
        "gA = Grad.accumulate(gA, Losses.hingeGradA(gOut, out, a, b, labels), a, batch);",
        "Tensor gB = null;",
        "if (needed[1]) {",
        "gB = Grad.accumulate(gB, Losses.hingeGradB(gOut, out, a, b, labels), b, batch);",
        "return new Tensor[] {gA, gB};");
    assertNotContains(ops, "Rules.", "// ---------------- forward");
  }

  @Test
  void castResolvesAnArgumentWhoseTypeCannotBeTold() {
    Source src = source("zkynet.examples.Shift", """
        package zkynet.examples;

        import static java.lang.Math.PI;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Shift {
          @Operator
          public static Tensor shift(Tensor x) {
            return x.add((double) PI);
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.ShiftOps");
    assertInOrder(ops,
        "other1 = (double) Math.PI;",
        "add1 = x.add(other1);",
        "Rules.addScalarWrtSelf(gAdd1, add1, x, other1)");
  }

  @Test
  void namedConstantsAreQualifiedSoTheGeneratedCodeCompiles() {
    // The generated class does not share the operator's scope: static fields and methods of the
    // operator's class, static imports, imported and nested types must be qualified. The operator
    // class Leaky is also hidden by the generated LeakyOps.Leaky, hence canonical names.
    Source consts = source("zkynet.examples.consts.Consts", """
        package zkynet.examples.consts;

        public final class Consts {
          public static final double SCALE = 2.0;
          public static final double SHIFT = 0.5;
        }
        """);
    Source leaky = source("zkynet.examples.Leaky", """
        package zkynet.examples;

        import static java.lang.Math.E;
        import static zkynet.examples.consts.Consts.SHIFT;

        import zkynet.Operator;
        import zkynet.Tensor;
        import zkynet.examples.consts.Consts;
        import zkynet.DType;

        public final class Leaky {
          static final double SLOPE = 0.01;

          static double offset() {
            return 1.0;
          }

          static final class Limits {
            static final double CAP = 6.0;
          }

          @Operator
          public static Tensor leaky(Tensor x) {
            Tensor neg = x.mul(SLOPE);
            Tensor scaled = x.maximum(neg).mul(Consts.SCALE).add(offset());
            Tensor shifted = scaled.sub((double) SHIFT).mul((double) E);
            return shifted.minimum(Tensor.full(Limits.CAP, DType.FLOAT32, 1));
          }
        }
        """);
    String ops = generated(compile(consts, leaky), "zkynet.examples.LeakyOps");
    assertInOrder(ops,
        "other1 = zkynet.examples.Leaky.SLOPE;",
        "other2 = zkynet.examples.consts.Consts.SCALE;",
        "other3 = zkynet.examples.Leaky.offset();",
        "other4 = (double) zkynet.examples.consts.Consts.SHIFT;",
        "other5 = (double) Math.E;",
        "other6 = Tensor.full(zkynet.examples.Leaky.Limits.CAP, zkynet.DType.FLOAT32, 1);",
        // the constants are computed before the body's elementwise region, which reads them
        "region1 = new LeakyRegion1(x, other1, other2, other3, other4, other5, other6);",
        "neg = x.mul(other1);",
        "minimum1 = shifted.minimum(other6);");
  }

  @Test
  void everyPrimitiveOverloadFindsItsRule() {
    // One body calling every @Primitive overload on differentiable inputs: each rule of the table
    // must be picked (by op, wrt and parameter types), e.g. add(double) -> addScalarWrtSelf.
    Source src = source("zkynet.examples.Everything", """
        package zkynet.examples;

        import zkynet.NoGrad;
        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Everything {
          @Operator
          public static Tensor everything(Tensor x, Tensor y, @NoGrad Tensor m) {
            Tensor a = x.neg().add(y).add(1.0).sub(y).sub(1.0).rsub(1.0).mul(y).mul(2.0);
            Tensor b = a.div(y).div(2.0).rdiv(1.0).pow(2.0).exp().log().sqrt().tanh();
            Tensor c = b.sigmoid().relu().abs().maximum(y).minimum(y).where(m, y);
            Tensor d = c.sum().add(c.sum(new int[] {0}, true)).add(c.mean()).add(c.stopGradient())
                .add(c.mean(new int[] {0}, false)).add(c.max()).add(c.max(new int[] {0}, true));
            Tensor e = d.pow(y).sin().cos().log1p().expm1().erf().maximum(0.5).minimum(2.0).sum(0)
                .mean(0).max(0).min(0).add(d.min()).add(d.min(new int[] {0}, true))
                .take(new int[] {0}, 0).indexAdd(new int[] {0}, 0, 2).flip(0).pad(0, 1, 1);
            return e.reshape(2, 2).transpose().permute(1, 0).broadcastTo(2, 2).slice(0, 0, 1)
                .concat(y, 0).matmul(y);
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.EverythingOps");
    List<String> rules = new ArrayList<>();
    Matcher m = Pattern.compile("public static Tensor (\\w+)\\(")
        .matcher(Stubs.text("zkynet/autodiff/Rules.java"));
    while (m.find()) {
      rules.add(m.group(1));
    }
    assertEquals(64, rules.size(), "rules in the stub table");
    List<String> unused = rules.stream().filter(r -> !ops.contains("Rules." + r + "(")).toList();
    // stopGradient's rule is marked noGradient: known at compile time, never called.
    assertEquals(List.of("stopGradientWrtSelf"), unused, "rules never called in:\n" + ops);
    assertContains(ops, "stopGradient1 = c.stopGradient();");
    // The mask is not differentiated: where() has rules for self and other only.
    assertContains(ops, "public static Node everything(Operand x, Operand y, Tensor m) {",
        "return new Tensor[] {gX, gY};");
  }

  @Test
  void varargsPrimitiveCalledWithElementsGetsOneArrayArgument() {
    Source src = source("zkynet.examples.Shapes", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Shapes {
          @Operator
          public static Tensor flipped(Tensor x, int rows) {
            int cols = rows + 1;
            return x.reshape(rows, cols * 2).permute(1, 0).reshape(new int[] {-1});
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.ShapesOps");
    assertInOrder(ops,
        "cols = rows + 1;",
        "shape1 = new int[] {rows, cols * 2};",
        "reshape1 = x.reshape(shape1);",
        "axes1 = new int[] {1, 0};",
        "permute1 = reshape1.permute(axes1);",
        "shape2 = new int[]{-1};",
        "reshape2 = permute1.reshape(shape2);",
        "// ---------------- backward, last forward line first",
        "gPermute1 = Grad.accumulate(gPermute1, Rules.reshapeWrtSelf(gReshape2, reshape2, permute1, "
            + "shape2), permute1, batch);",
        "gReshape1 = Grad.accumulate(gReshape1, Rules.permuteWrtSelf(gPermute1, permute1, reshape1, "
            + "axes1), reshape1, batch);",
        "gX = Grad.accumulate(gX, Rules.reshapeWrtSelf(gReshape1, reshape1, x, shape1), x, batch);");
  }

  @Test
  void constantCallsKeepNoFieldsForTheirOwnArguments() {
    Source src = source("zkynet.examples.Picks", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Picks {
          @Operator
          public static Tensor picked(Tensor x, int[] labels) {
            return x.mul(Tensor.oneHot(labels, x.shape(1), x.dtype()));
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.PicksOps");
    assertContains(ops, "other1 = Tensor.oneHot(labels, x.shape(1), x.dtype());",
        "mul1 = x.mul(other1);");
    assertNotContains(ops, "shape1", "dtype1");
  }

  @Test
  void constantArrayReadsOfShapesAreAccepted() {
    Source src = source("zkynet.examples.Shapes", """
        package zkynet.examples;

        import zkynet.Operator;
        import zkynet.Tensor;

        public final class Shapes {
          @Operator
          public static Tensor meanLast(Tensor x) {
            int n = x.shape()[x.rank() - 1];
            var m = x.shape()[0];
            return x.sum(new int[] {-1}, false).div(n).add(m - x.shape()[0]);
          }
        }
        """);
    String ops = generated(compile(src), "zkynet.examples.ShapesOps");
    assertInOrder(ops,
        "private final int n;",
        "private final int m;",
        "n = x.shape()[x.rank() - 1];",
        "m = x.shape()[0];",
        "sum1 = x.sum(axes1, false);",
        "div1 = sum1.div(n);");
  }
}
