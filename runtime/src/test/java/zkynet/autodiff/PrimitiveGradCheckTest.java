package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import zkynet.DType;
import zkynet.Tensor;
import zkynet.autodiff.PrimitiveTable.Prim;

/**
 * Every primitive's rules, checked numerically by {@link GradCheck} over generated cases (random
 * shapes up to rank 4 from fixed seeds, broadcasting pairs, edge values), plus batched cotangents and
 * the documented behaviour at kinks and domain limits. Primitives are found reflectively, so a new
 * primitive without cases here fails {@link #everyPrimitiveHasCases()}.
 */
class PrimitiveGradCheckTest {
  private static final DType F64 = DType.FLOAT64;

  /** One call of a primitive: receiver at index 0, then the primitive's arguments. */
  record Case(Prim prim, String label, Object[] call) {
    Function<Tensor[], Differentiable> function() {
      return PrimitiveTable.function(prim, call);
    }

    Tensor[] inputs() {
      return PrimitiveTable.inputs(prim, call);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(prim.signature()).append(' ').append(label).append(':');
      for (Object o : call) {
        s.append(' ').append(o instanceof Tensor t ? Arrays.toString(t.shape())
            : o instanceof int[] a ? Arrays.toString(a) : String.valueOf(o));
      }
      return s.toString();
    }
  }

  // ================================================================ generated cases

  @TestFactory
  Stream<DynamicTest> gradCheckEveryPrimitive() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> checkCase(c)));
  }

  private static void checkCase(Case c) {
    GradCheck.Report report = GradCheck.check(c.function(), c.inputs());
    if (c.prim().name().equals("stopGradient")) {
      // no gradient by definition, although the value moves with the input: the checker must see
      // exactly that (analytic 0, numeric 1 on the diagonal), and the rule must return null
      assertFalse(report.passed(), report.message());
      GradCheck.InputResult r = report.inputs().get(0);
      assertEquals(0.0, r.analytic());
      assertEquals(1.0, r.numeric(), 1e-6);
      Differentiable d = c.function().apply(c.inputs());
      assertNull(d.backward(Tensor.ones(F64, d.output().shape()), Differentiable.all(1))[0]);
      return;
    }
    report.assertPassed();
  }

  @TestFactory
  Stream<DynamicTest> batchedCotangentsMatchSingleOnes() {
    List<DynamicTest> tests = new ArrayList<>();
    Map<String, Integer> perPrim = new LinkedHashMap<>();
    for (Case c : cases()) {
      int n = perPrim.merge(c.prim().signature(), 1, Integer::sum);
      if (n <= 2) {
        int[] batch = n == 1 ? new int[] {3} : new int[] {2, 2};
        tests.add(DynamicTest.dynamicTest(c + " batch " + Arrays.toString(batch), () -> checkBatched(c, batch)));
      }
    }
    return tests.stream();
  }

  private static void checkBatched(Case c, int[] batch) {
    Differentiable d = c.function().apply(c.inputs());
    int[] yShape = d.output().shape();
    int m = (int) d.output().size();
    int b = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
    Random rng = new Random(7);
    double[] g = new double[b * m];
    Arrays.setAll(g, i -> rng.nextGaussian());
    Tensor[] all = d.backward(Tensor.of(g, F64, concat(batch, yShape)), Differentiable.all(c.inputs().length));
    Tensor[] inputs = c.inputs();
    for (int i = 0; i < b; i++) {
      Tensor[] one = d.backward(Tensor.of(Arrays.copyOfRange(g, i * m, (i + 1) * m), F64, yShape),
          Differentiable.all(inputs.length));
      for (int k = 0; k < inputs.length; k++) {
        if (all[k] == null) {
          assertNull(one[k], "input " + k + ": batched gives null, single gives a gradient");
          continue;
        }
        assertArrayEquals(concat(batch, inputs[k].shape()), all[k].shape(), "input " + k + " batched shape");
        assertArrayEquals(inputs[k].shape(), one[k].shape(), "input " + k + " single shape");
        int n = (int) inputs[k].size();
        double[] slice = Arrays.copyOfRange(all[k].toDoubleArray(), i * n, (i + 1) * n);
        assertArrayEquals(one[k].toDoubleArray(), slice, 1e-12, "input " + k + ", batch element " + i);
      }
    }
  }

  @Test
  void everyPrimitiveHasCases() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Case c : cases()) {
      counts.merge(c.prim().signature(), 1, Integer::sum);
    }
    List<String> thin = new ArrayList<>();
    for (Prim p : PrimitiveTable.primitives()) {
      if (counts.getOrDefault(p.signature(), 0) < 4) {
        thin.add(p.signature() + " (" + counts.getOrDefault(p.signature(), 0) + ")");
      }
    }
    assertTrue(thin.isEmpty(), "primitives with fewer than 4 gradient-check cases (add a generator in"
        + " PrimitiveGradCheckTest.generate): " + thin);
    assertTrue(cases().size() >= 200, "only " + cases().size() + " generated cases");
  }

  private static List<Case> cases;

  static synchronized List<Case> cases() {
    if (cases == null) {
      List<Case> out = new ArrayList<>();
      for (Prim p : PrimitiveTable.primitives()) {
        out.addAll(generate(p, new Random(p.signature().hashCode())));
      }
      cases = List.copyOf(out);
    }
    return cases;
  }

  private static final int[][][] BROADCAST_PAIRS = {
    {{3, 1}, {4}}, {{2, 1, 3}, {3}}, {{}, {2, 3}}, {{2, 3}, {}}, {{1, 3}, {2, 1}}, {{4}, {3, 1}}, {{2, 3}, {2, 3}},
  };

  private static final int[][][] MATMUL_SHAPES = {
    {{2, 3}, {3, 4}}, {{3}, {3, 4}}, {{2, 3}, {3}}, {{3}, {3}}, {{2, 2, 3}, {3, 4}}, {{2, 3}, {2, 3, 4}},
    {{2, 1, 2, 3}, {3, 3, 2}}, {{3}, {2, 3, 2}}, {{2, 2, 3}, {3}}, {{1, 1}, {1, 1}},
  };

  /** The cases of one primitive; a primitive without a branch here gets none (and fails the count test). */
  private static List<Case> generate(Prim p, Random rng) {
    List<Case> out = new ArrayList<>();
    switch (p.signature()) {
      // ---- unary elementwise
      case "neg()" -> unary(out, p, rng, r -> uniform(r, -3, 3), 0, -2.5, 1e3);
      case "exp()" -> unary(out, p, rng, r -> uniform(r, -3, 3), 0, -10, 5, 10);
      case "log()" -> unary(out, p, rng, r -> uniform(r, 0.2, 5), 1e-3, 1, 100);
      case "sqrt()" -> unary(out, p, rng, r -> uniform(r, 0.2, 5), 1e-2, 1, 100);
      case "tanh()" -> unary(out, p, rng, r -> uniform(r, -3, 3), -20, 20, 0, 0.5);
      case "sigmoid()" -> unary(out, p, rng, r -> uniform(r, -5, 5), -20, 0, 20);
      case "relu()" -> unary(out, p, rng, PrimitiveGradCheckTest::awayFromZero, -1.5, 2.5, 1e3);
      case "abs()" -> unary(out, p, rng, PrimitiveGradCheckTest::awayFromZero, -1.5, 2.5, -1e3);
      case "stopGradient()" -> unary(out, p, rng, r -> uniform(r, -3, 3), 0, 1.5);
      case "sin()", "cos()" -> unary(out, p, rng, r -> uniform(r, -4, 4), 0, -2.5, 10, 1e-8);
      case "log1p()" -> unary(out, p, rng, r -> uniform(r, -0.7, 4), 0, 1e-8, -0.9, 100);
      case "expm1()" -> unary(out, p, rng, r -> uniform(r, -3, 3), 0, 1e-8, -20, 5);
      case "erf()" -> unary(out, p, rng, r -> uniform(r, -3, 3), 0, 1e-8, -2.6, 2.4, 6);
      // ---- binary elementwise with broadcasting
      case "add(Tensor)", "sub(Tensor)", "mul(Tensor)" ->
          binary(out, p, rng, r -> uniform(r, -3, 3), r -> uniform(r, -3, 3));
      case "pow(Tensor)" -> binary(out, p, rng, r -> uniform(r, 0.3, 3), r -> uniform(r, -2.5, 2.5));
      case "div(Tensor)" -> binary(out, p, rng, r -> uniform(r, -3, 3), PrimitiveGradCheckTest::awayFromZero);
      case "maximum(Tensor)", "minimum(Tensor)" ->
          binary(out, p, rng, PrimitiveGradCheckTest::lowFraction, PrimitiveGradCheckTest::highFraction);
      case "where(Tensor, Tensor)" -> {
        int[][][] triples = {{{2, 3}, {2, 3}, {2, 3}}, {{3, 1}, {4}, {3, 4}}, {{2, 1, 3}, {3}, {1, 3}},
            {{}, {2, 2}, {2}}, {{4}, {}, {4}}, {{2, 3}, {2, 1}, {}}};
        for (int[][] s : triples) {
          Tensor mask = fill(s[1], r -> r.nextBoolean() ? 1.0 : 0.0, rng);
          out.add(new Case(p, "mask " + Arrays.toString(mask.toDoubleArray()),
              new Object[] {fill(s[0], r -> uniform(r, -3, 3), rng), mask, fill(s[2], r -> uniform(r, -3, 3), rng)}));
        }
      }
      // ---- with a double
      case "add(double)", "sub(double)", "mul(double)", "rsub(double)" -> scalar(out, p, rng, r -> uniform(r, -3, 3), -2.5, 0, 4);
      case "maximum(double)", "minimum(double)" -> scalar(out, p, rng, PrimitiveGradCheckTest::lowFraction, -1, 0.35, 3);
      case "div(double)" -> scalar(out, p, rng, r -> uniform(r, -3, 3), -2.5, 0.5, 4);
      case "rdiv(double)" -> scalar(out, p, rng, PrimitiveGradCheckTest::awayFromZero, -2.5, 1, 0);
      case "pow(double)" -> {
        double[] integer = {2, 3, -1, -2, 0, 1};
        for (double e : integer) {
          out.add(new Case(p, "integer exponent, negative bases", new Object[] {fill(randomShape(rng, 0, 3), PrimitiveGradCheckTest::awayFromZero, rng), e}));
        }
        for (double e : new double[] {0.5, 1.5, -0.5, 2.5}) {
          out.add(new Case(p, "positive bases", new Object[] {fill(randomShape(rng, 0, 3), r -> uniform(r, 0.3, 3), rng), e}));
        }
        out.add(new Case(p, "at 0", new Object[] {vector(0, -2, 3), 2.0}));
        out.add(new Case(p, "at 0", new Object[] {vector(0, -2, 3), 3.0}));
      }
      // ---- reductions
      case "sum()", "mean()" -> {
        for (int i = 0; i < 6; i++) {
          out.add(new Case(p, "", new Object[] {fill(randomShape(rng, 0, 4), r -> uniform(r, -3, 3), rng)}));
        }
      }
      case "max()", "min()" -> {
        for (int i = 0; i < 6; i++) {
          out.add(new Case(p, "distinct values", new Object[] {distinct(randomShape(rng, 0, 4), rng)}));
        }
      }
      case "sum(int)", "mean(int)", "max(int)", "min(int)" -> {
        for (int i = 0; i < 6; i++) {
          int[] shape = randomShape(rng, 1, 4);
          Tensor x = p.name().startsWith("m") && !p.name().equals("mean") ? distinct(shape, rng)
              : fill(shape, r -> uniform(r, -3, 3), rng);
          int axis = rng.nextInt(shape.length) - (i % 2 == 1 ? shape.length : 0);
          out.add(new Case(p, "", new Object[] {x, axis}));
        }
      }
      case "sum(int[], boolean)", "mean(int[], boolean)", "max(int[], boolean)", "min(int[], boolean)" -> {
        for (int i = 0; i < 8; i++) {
          int[] shape = randomShape(rng, 1, 4);
          Tensor x = p.name().startsWith("m") && !p.name().equals("mean") ? distinct(shape, rng)
              : fill(shape, r -> uniform(r, -3, 3), rng);
          out.add(new Case(p, "", new Object[] {x, randomAxes(shape.length, rng), i % 2 == 0}));
        }
      }
      // ---- shapes
      case "reshape(int[])" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 0, 4);
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), regroup(shape, rng)}));
        }
      }
      case "transpose()" -> {
        for (int rank = 0; rank <= 4; rank++) {
          out.add(new Case(p, "rank " + rank, new Object[] {fill(randomShape(rng, rank, rank), r -> uniform(r, -3, 3), rng)}));
        }
        out.add(new Case(p, "rank 2", new Object[] {fill(new int[] {2, 3}, r -> uniform(r, -3, 3), rng)}));
      }
      case "permute(int[])" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int[] perm = shuffled(shape.length, rng);
          if (i % 3 == 2) {
            perm[0] -= shape.length; // negative axis
          }
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), perm}));
        }
      }
      case "broadcastTo(int[])" -> {
        for (int i = 0; i < 7; i++) {
          int[] target = randomShape(rng, 1, 4);
          int[] shape = reducedPartner(target, rng);
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), target}));
        }
      }
      case "slice(int, int, int)" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length);
          shape[axis] = 2 + rng.nextInt(3);
          int start = rng.nextInt(shape[axis]);
          int end = start + 1 + rng.nextInt(shape[axis] - start);
          int axisArg = i % 3 == 2 ? axis - shape.length : axis;
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), axisArg, start, end}));
        }
      }
      case "concat(Tensor, int)" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length);
          int[] other = shape.clone();
          other[axis] = 1 + rng.nextInt(3);
          int axisArg = i % 3 == 2 ? axis - shape.length : axis;
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng),
              fill(other, r -> uniform(r, -3, 3), rng), axisArg}));
        }
      }
      case "take(int[], int)" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length);
          int[] indices = new int[rng.nextInt(5)]; // repeats, negative indices, sometimes none
          for (int k = 0; k < indices.length; k++) {
            indices[k] = rng.nextInt(shape[axis]) - (rng.nextBoolean() ? shape[axis] : 0);
          }
          out.add(new Case(p, "indices " + Arrays.toString(indices), new Object[] {fill(shape, r -> uniform(r, -3, 3), rng),
              indices, i % 3 == 2 ? axis - shape.length : axis}));
        }
      }
      case "indexAdd(int[], int, int)" -> {
        for (int i = 0; i < 7; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length);
          int size = 1 + rng.nextInt(4);
          int[] indices = new int[shape[axis]];
          for (int k = 0; k < indices.length; k++) {
            indices[k] = rng.nextInt(size);
          }
          out.add(new Case(p, "indices " + Arrays.toString(indices), new Object[] {fill(shape, r -> uniform(r, -3, 3), rng),
              indices, i % 3 == 2 ? axis - shape.length : axis, size}));
        }
      }
      case "flip(int)" -> {
        for (int i = 0; i < 6; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length) - (i % 2 == 1 ? shape.length : 0);
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), axis}));
        }
      }
      case "pad(int, int, int)" -> {
        for (int i = 0; i < 6; i++) {
          int[] shape = randomShape(rng, 1, 4);
          int axis = rng.nextInt(shape.length) - (i % 2 == 1 ? shape.length : 0);
          out.add(new Case(p, "", new Object[] {fill(shape, r -> uniform(r, -3, 3), rng), axis, rng.nextInt(3), rng.nextInt(3)}));
        }
      }
      case "matmul(Tensor)" -> {
        for (int[][] s : MATMUL_SHAPES) {
          out.add(new Case(p, "", new Object[] {fill(s[0], r -> uniform(r, -2, 2), rng), fill(s[1], r -> uniform(r, -2, 2), rng)}));
        }
      }
      default -> { /* no generator: everyPrimitiveHasCases fails, naming the primitive */ }
    }
    return out;
  }

  private static void unary(List<Case> out, Prim p, Random rng, Function<Random, Double> values, double... edges) {
    for (int i = 0; i < 6; i++) {
      out.add(new Case(p, "random", new Object[] {fill(randomShape(rng, 0, 4), values, rng)}));
    }
    out.add(new Case(p, "edge values", new Object[] {vector(edges)}));
  }

  private static void binary(List<Case> out, Prim p, Random rng, Function<Random, Double> a, Function<Random, Double> b) {
    for (int[][] pair : BROADCAST_PAIRS) {
      out.add(new Case(p, "broadcast", new Object[] {fill(pair[0], a, rng), fill(pair[1], b, rng)}));
    }
    for (int i = 0; i < 2; i++) {
      int[] shape = randomShape(rng, 0, 4);
      int[] partner = reducedPartner(shape, rng);
      boolean swap = rng.nextBoolean();
      out.add(new Case(p, "random broadcast", new Object[] {fill(swap ? partner : shape, a, rng), fill(swap ? shape : partner, b, rng)}));
    }
  }

  private static void scalar(List<Case> out, Prim p, Random rng, Function<Random, Double> values, double... constants) {
    for (int i = 0; i < 5; i++) {
      double c = Math.round(uniform(rng, -3, 3) * 100) / 100.0;
      if (c == 0 && p.name().equals("div")) {
        c = 1;
      }
      out.add(new Case(p, "random", new Object[] {fill(randomShape(rng, 0, 4), values, rng), c}));
    }
    for (double c : constants) {
      out.add(new Case(p, "constant " + c, new Object[] {vector(-1.5, 0.5, 2.5), c}));
    }
  }

  // ================================================================ edge behaviour, asserted by value

  private static Differentiable call(String signature, Object... call) {
    Prim p = PrimitiveTable.primitive(signature);
    return PrimitiveTable.function(p, call).apply(PrimitiveTable.inputs(p, call));
  }

  private static double[] grad(Differentiable d, int input) {
    boolean[] needed = Differentiable.all(((PrimitiveTable.Op) d).inputCount());
    return d.backward(Tensor.ones(F64, d.output().shape()), needed)[input].toDoubleArray();
  }

  @Test
  void logAtANegativeValueIsReportedNotSkipped() {
    Case c = new Case(PrimitiveTable.primitive("log()"), "negative", new Object[] {vector(2, -1)});
    assertTrue(Double.isNaN(c.function().apply(c.inputs()).output().toDoubleArray()[1]), "log(-1) is NaN");
    GradCheck.Report report = GradCheck.check(c.function(), c.inputs());
    assertFalse(report.passed());
    assertTrue(report.message().contains("not finite") && report.message().contains("output[1] = NaN"), report.message());
  }

  @Test
  void sqrtAtZeroHasAnInfiniteGradient() {
    double[] g = grad(call("sqrt()", vector(0, 4)), 0);
    assertEquals(Double.POSITIVE_INFINITY, g[0]);
    assertEquals(0.25, g[1], 1e-15);
  }

  @Test
  void reluAndAbsHaveSubgradientZeroAtZero() {
    assertArrayEquals(new double[] {0, 0, 1}, grad(call("relu()", vector(0, -1, 2)), 0));
    assertArrayEquals(new double[] {0, -1, 1}, grad(call("abs()", vector(0, -1, 2)), 0));
  }

  @Test
  void maximumAndMinimumSplitTiesInHalf() {
    Differentiable max = call("maximum(Tensor)", vector(1, 2, 5), vector(1, 3, 4));
    assertArrayEquals(new double[] {0.5, 0, 1}, grad(max, 0));
    assertArrayEquals(new double[] {0.5, 1, 0}, grad(max, 1));
    Differentiable min = call("minimum(Tensor)", vector(1, 2, 5), vector(1, 3, 4));
    assertArrayEquals(new double[] {0.5, 1, 0}, grad(min, 0));
    assertArrayEquals(new double[] {0.5, 0, 1}, grad(min, 1));
  }

  @Test
  void maxReductionSplitsAmongTiedMaxima() {
    assertArrayEquals(new double[] {0, 0.5, 0.5}, grad(call("max()", vector(1, 3, 3)), 0));
    Tensor x = Tensor.of(new double[] {1, 1, 2, 0, 3, 3, 3, -1}, F64, 2, 4);
    assertArrayEquals(new double[] {0, 0, 1, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0},
        grad(call("max(int[], boolean)", x, new int[] {1}, false), 0), 1e-15);
    Tensor x2 = Tensor.of(new double[] {1, 3, 1, 2}, F64, 2, 2); // column 0 ties
    assertArrayEquals(new double[] {0.5, 1, 0.5, 0},
        grad(call("max(int[], boolean)", x2, new int[] {-2}, true), 0), 1e-15);
  }

  @Test
  void minReductionSplitsAmongTiedMinima() {
    assertArrayEquals(new double[] {0.5, 0.5, 0}, grad(call("min()", vector(1, 1, 3)), 0));
    Tensor x = Tensor.of(new double[] {1, 1, 2, 0, -3, -3, 3, -1}, F64, 2, 4);
    assertArrayEquals(new double[] {0, 0, 0, 1, 0.5, 0.5, 0, 0}, grad(call("min(int)", x, -1), 0), 1e-15);
    assertArrayEquals(new double[] {0, 0, 0, 1, 0.5, 0.5, 0, 0},
        grad(call("min(int[], boolean)", x, new int[] {1}, true), 0), 1e-15);
    assertArrayEquals(new double[] {1, 0, 0.5, 0.5},
        grad(call("max(int)", Tensor.of(new double[] {5, 1, 2, 2}, F64, 2, 2), 1), 0), 1e-15);
  }

  @Test
  void scalarMaximumAndMinimumSplitTiesInHalf() {
    assertArrayEquals(new double[] {0, 0.5, 1}, grad(call("maximum(double)", vector(-1, 2, 5), 2.0), 0));
    assertArrayEquals(new double[] {1, 0.5, 0}, grad(call("minimum(double)", vector(-1, 2, 5), 2.0), 0));
  }

  @Test
  void powWithATensorExponentFollowsJaxAtZero() {
    // d(a^b)/da = 0 where b = 0 (not 0 * a^-1 = NaN at a = 0); d(a^b)/db = 0 where a = 0
    Differentiable d = call("pow(Tensor)", vector(0, 0, 2), vector(0, 2, 3));
    assertArrayEquals(new double[] {1, 0, 8}, d.output().toDoubleArray(), 0);
    assertArrayEquals(new double[] {0, 0, 12}, grad(d, 0), 1e-12);
    assertArrayEquals(new double[] {0, 0, 8 * Math.log(2)}, grad(d, 1), 1e-12);
  }

  @Test
  void takeScatterAddsRepeatedIndices() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, F64, 3, 2);
    Differentiable d = call("take(int[], int)", x, new int[] {2, 0, 2, -1}, 0);
    assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6, 5, 6}, d.output().toDoubleArray(), 0);
    assertArrayEquals(new double[] {1, 1, 0, 0, 3, 3}, grad(d, 0), 0);
  }

  @Test
  void derivativesAtEdgeValues() {
    assertArrayEquals(new double[] {1, Math.cos(-2), 0.5}, grad(call("sin()", vector(0, -2, Math.PI / 3)), 0), 1e-15);
    assertArrayEquals(new double[] {-0.0, -Math.sin(-2)}, grad(call("cos()", vector(0, -2)), 0), 1e-15);
    assertArrayEquals(new double[] {1, Double.POSITIVE_INFINITY, 0.5}, grad(call("log1p()", vector(0, -1, 1)), 0), 1e-15);
    assertArrayEquals(new double[] {1, Math.exp(-30), Math.exp(5)}, grad(call("expm1()", vector(0, -30, 5)), 0), 1e-12);
    double[] erf = grad(call("erf()", vector(0, 1, -30)), 0);
    assertArrayEquals(new double[] {2 / Math.sqrt(Math.PI), 2 / Math.sqrt(Math.PI) * Math.exp(-1), 0}, erf, 1e-15);
  }

  @Test
  void whereRoutesTheGradientByTheMask() {
    Differentiable d = call("where(Tensor, Tensor)", vector(1, 2, 3), vector(1, 0, 2), Tensor.of(10, F64));
    assertArrayEquals(new double[] {1, 0, 1}, grad(d, 0));
    assertArrayEquals(new double[] {1}, grad(d, 1)); // the scalar other receives the one masked-out element
  }

  @Test
  void stopGradientGivesNoGradientAndPowZeroGivesZeros() {
    Tensor x = vector(1, 2);
    assertNull(Rules.stopGradientWrtSelf(x, x, x));
    // only rules marked noGradient return null; x^0 is constant, so its rule gives zeros
    assertArrayEquals(new double[] {0, 0}, Rules.powWrtSelf(x, Tensor.ones(F64, 2), x, 0).toDoubleArray());
  }

  @Test
  void largeMagnitudesStayFinite() {
    assertArrayEquals(new double[] {0, 0}, grad(call("tanh()", vector(-20, 20)), 0), 1e-15);
    double[] g = grad(call("exp()", vector(10)), 0);
    assertEquals(Math.exp(10), g[0], 1e-9 * Math.exp(10));
  }

  /** {@code x.mul(x)}: one value used twice, both rules composed and accumulated into one gradient. */
  static Differentiable square(Tensor x) {
    Tensor y = x.mul(x);
    return new Differentiable() {
      @Override
      public Tensor output() {
        return y;
      }

      @Override
      public Tensor[] backward(Tensor g, boolean[] needed) {
        int batch = g.rank() - y.rank();
        Tensor gx = null;
        gx = Grad.accumulate(gx, Rules.mulWrtSelf(g, y, x, x), x, batch);
        gx = Grad.accumulate(gx, Rules.mulWrtOther(g, y, x, x), x, batch);
        return new Tensor[] {gx};
      }
    };
  }

  @Test
  void aValueUsedTwiceAccumulates() {
    assertEquals(6.0, square(Tensor.of(3, F64)).backward(Tensor.of(1, F64), Differentiable.all(1))[0].item(), 0);
    Tensor x = vector(3, 4, 5);
    GradCheck.Report report = GradCheck.assertGradients(in -> square(in[0]), x);
    assertTrue(report.passed());
    Tensor jac = square(x).backward(Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, F64, 3, 3), Differentiable.all(1))[0];
    assertArrayEquals(new double[] {6, 0, 0, 0, 8, 0, 0, 0, 10}, jac.toDoubleArray(), 0);
    Random rng = new Random(3);
    GradCheck.assertGradients(in -> square(in[0]), fill(new int[] {2, 3}, r -> uniform(r, -3, 3), rng));
  }

  // ================================================================ value helpers

  static Tensor vector(double... values) {
    return Tensor.of(values, F64, values.length);
  }

  static Tensor fill(int[] shape, Function<Random, Double> values, Random rng) {
    double[] data = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < data.length; i++) {
      data[i] = values.apply(rng);
    }
    return Tensor.of(data, F64, shape);
  }

  static double uniform(Random rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** |x| in [0.2, 2.2], random sign: keeps relu, abs and division away from their kinks and poles. */
  static double awayFromZero(Random rng) {
    return (rng.nextBoolean() ? 1 : -1) * uniform(rng, 0.2, 2.2);
  }

  /** Values with tenths digit fraction in [0.1, 0.4) ... */
  static double lowFraction(Random rng) {
    return (rng.nextInt(41) - 20 + uniform(rng, 0.1, 0.4)) / 10;
  }

  /** ... and in [0.6, 0.9): a lowFraction and a highFraction value always differ by at least 0.02. */
  static double highFraction(Random rng) {
    return (rng.nextInt(41) - 20 + uniform(rng, 0.6, 0.9)) / 10;
  }

  /** Distinct values at least 0.25 apart (no ties, no near ties) in random order. */
  static Tensor distinct(int[] shape, Random rng) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int[] order = shuffled(n, rng);
    double[] data = new double[n];
    for (int i = 0; i < n; i++) {
      data[i] = (order[i] - n / 2.0) * 0.3 + uniform(rng, 0, 0.05);
    }
    return Tensor.of(data, F64, shape);
  }

  static int[] randomShape(Random rng, int minRank, int maxRank) {
    int[] shape = new int[minRank + rng.nextInt(maxRank - minRank + 1)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = 1 + rng.nextInt(3);
    }
    return shape;
  }

  /** A shape that broadcasts to {@code shape}: some leading axes dropped, some others set to 1. */
  static int[] reducedPartner(int[] shape, Random rng) {
    int drop = rng.nextInt(shape.length + 1);
    int[] out = Arrays.copyOfRange(shape, drop, shape.length);
    for (int i = 0; i < out.length; i++) {
      if (rng.nextInt(3) == 0) {
        out[i] = 1;
      }
    }
    return out;
  }

  /** A non-empty random subset of the axes, in random order, some written as negative axes. */
  static int[] randomAxes(int rank, Random rng) {
    int[] order = shuffled(rank, rng);
    int[] axes = Arrays.copyOf(order, 1 + rng.nextInt(rank));
    for (int i = 0; i < axes.length; i++) {
      if (rng.nextInt(3) == 0) {
        axes[i] -= rank;
      }
    }
    return axes;
  }

  /** Another shape of the same size: the axes shuffled and adjacent ones merged, sometimes a -1. */
  static int[] regroup(int[] shape, Random rng) {
    List<Integer> dims = new ArrayList<>();
    for (int i : shuffled(shape.length, rng)) {
      dims.add(shape[i]);
    }
    while (dims.size() > 1 && rng.nextBoolean()) {
      int i = rng.nextInt(dims.size() - 1);
      dims.set(i, dims.get(i) * dims.remove(i + 1));
    }
    if (rng.nextBoolean()) {
      dims.add(rng.nextInt(dims.size() + 1), 1);
    }
    int[] out = dims.stream().mapToInt(Integer::intValue).toArray();
    if (out.length > 0 && rng.nextInt(3) == 0) {
      out[rng.nextInt(out.length)] = -1;
    }
    return out;
  }

  static int[] shuffled(int n, Random rng) {
    int[] out = new int[n];
    Arrays.setAll(out, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void helpersKeepTheirPromises() {
    Random rng = new Random(1);
    for (int i = 0; i < 1000; i++) {
      assertTrue(Math.abs(lowFraction(rng) - highFraction(rng)) >= 0.019);
      assertTrue(Math.abs(awayFromZero(rng)) >= 0.2);
    }
    assertNotNull(cases());
  }
}
