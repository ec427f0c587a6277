package zkynet.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import zkynet.BuiltinsOps;
import zkynet.DType;
import zkynet.Tensor;

/**
 * The gradient checker on shapes with a 0 axis (numpy semantics: empty results, the sum of nothing
 * is 0, a product over an empty inner axis is zeros): every check runs to the end, and each input's
 * gradient has the input's (empty or not) shape.
 */
class EmptyShapeGradCheckTest {
  private static Tensor randn(int... shape) {
    return Tensor.randn(new Random(3), DType.FLOAT64, shape);
  }

  private static DynamicTest check(String name, Function<Tensor[], Differentiable> f, Tensor... in) {
    return DynamicTest.dynamicTest(name, () -> {
      GradCheck.Report report = GradCheck.assertGradients(f, in);
      assertEquals(in.length, report.inputs().size(), report.message());
      Tensor[] grads = f.apply(in).backward(Tensor.ones(DType.FLOAT64, f.apply(in).output().shape()),
          Differentiable.all(in.length));
      for (int i = 0; i < in.length; i++) {
        assertArrayEquals(in[i].shape(), grads[i].shape(), name + ": gradient of input " + i);
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> emptyShapes() {
    return List.of(
        check("add [0, 3] + [3]", in -> new BuiltinsOps.Add(in[0], in[1]), randn(0, 3), randn(3)),
        check("mult [2, 0] * [2, 0]", in -> new BuiltinsOps.Mult(in[0], in[1]), randn(2, 0), randn(2, 0)),
        check("tanh [0]", in -> new BuiltinsOps.Tanh(in[0]), randn(0)),
        check("exp [3, 0, 2]", in -> new BuiltinsOps.Exp(in[0]), randn(3, 0, 2)),
        check("sum of [2, 0] is 0", in -> new BuiltinsOps.Sum(in[0]), randn(2, 0)),
        check("matmul [2, 0] @ [0, 3] is zeros [2, 3]", in -> new BuiltinsOps.Matmul(in[0], in[1]),
            randn(2, 0), randn(0, 3)),
        check("matmul [0, 4] @ [4, 3]", in -> new BuiltinsOps.Matmul(in[0], in[1]), randn(0, 4),
            randn(4, 3)),
        check("softmax [0, 4]", in -> new BuiltinsOps.Softmax(in[0]), randn(0, 4))).stream();
  }
}
