package zkynet.examples.digits;

import static zkynet.BuiltinsOps.add;
import static zkynet.BuiltinsOps.matmul;

import java.util.Random;
import zkynet.DType;
import zkynet.Module;
import zkynet.Node;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.train.Init;

/** A fully connected layer: {@code x w + b}, x {@code [n, in]}, w {@code [in, out]}, b {@code [out]}. */
@Module
public class Dense extends Zk_Dense {
  final Parameter w;
  final Parameter b;

  public Dense(Tensor w, Tensor b) {
    this.w = parameter(w);
    this.b = parameter(b);
  }

  /** He-initialised weights (for a layer followed by ReLU) and a zero bias. */
  public static Dense he(Random rng, DType dtype, int in, int out) {
    return new Dense(Init.heNormal(rng, dtype, in, out), Init.zeros(dtype, out));
  }

  /** Xavier/Glorot-initialised weights (for the output layer) and a zero bias. */
  public static Dense xavier(Random rng, DType dtype, int in, int out) {
    return new Dense(Init.xavierUniform(rng, dtype, in, out), Init.zeros(dtype, out));
  }

  Node call(Node x) {
    return add(matmul(x, w), b);
  }
}
