package zkynet.tensor;
import org.junit.jupiter.api.Test;
import zkynet.Tensor;
import java.util.Arrays;
class ScratchTmpTest {
  @Test void t() {
    Tensor x = Tensor.of(new double[] {1, 1, 2, 0, 3, 3, 3, -1}, DType.FLOAT64, 2, 4);
    Tensor y = x.max(new int[]{1}, false);
    System.out.println("y " + y);
    Tensor yk = y.reshape(2,1);
    System.out.println("yk " + yk);
    System.out.println("eq " + x.eq(yk));
    System.out.println("eq2 " + yk.eq(x));
    System.out.println("gt " + x.gt(yk));
    System.out.println("sum " + x.eq(yk).sum(new int[]{1}, true));
    Tensor m = Tensor.of(new double[] {1, 2}, DType.FLOAT64, 2,1);
    System.out.println("add " + x.add(m));
    System.out.println("eq3 " + x.eq(m));
    System.out.println("eq4 " + x.eq(Tensor.of(new double[] {2, 3}, DType.FLOAT64, 2,1)));
  }
}
