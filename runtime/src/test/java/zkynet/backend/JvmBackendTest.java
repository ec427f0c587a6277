package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import zkynet.backend.jvm.JvmBackend;

class JvmBackendTest extends BackendContractTest {
  @Override Backend backend() {
    return JvmBackend.INSTANCE;
  }

  @Test
  void registryDefaultsToJvm() {
    assertEquals("jvm", Backends.DEFAULT);
    assertEquals("jvm", Backends.current().name());
  }

  /** Not in the contract: ND4J's kernels reject empty arrays ("Cannot perform operation add on empty array"). */
  @Test
  void emptyTensorsFollowNumpy() {
    Storage e = f64(s(0, 3)); // reductions of empty tensors are Tensor's (TensorTest)
    check(backend().matmul(f64(s(2, 0)), f64(s(0, 2))), s(2, 2), 0, 0, 0, 0);
    check(backend().matmul(e, f64(s(3, 1), 1, 2, 3)), s(0, 1));
    check(backend().binary(Backend.Binary.ADD, e, e), s(0, 3));
    check(backend().concat(e, f64(s(1, 3), 1, 2, 3), 0), s(1, 3), 1, 2, 3);
    check(backend().unary(Backend.Unary.EXP, e), s(0, 3));
  }
}
