package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zkynet.backend.Backends;
import zkynet.backend.OnNd4j;

/** {@link SoftmaxCrossEntropyTest} on the ND4J backend, which runs the Backend's composed defaults. */
@ExtendWith(OnNd4j.class)
class SoftmaxCrossEntropyNd4jTest extends SoftmaxCrossEntropyTest {
  @Test
  void runsOnNd4j() {
    assertEquals("nd4j", Backends.current().name());
  }
}
