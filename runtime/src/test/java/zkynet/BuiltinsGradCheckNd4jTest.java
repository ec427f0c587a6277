package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zkynet.backend.Backends;
import zkynet.backend.OnNd4j;

/** {@link BuiltinsGradCheckTest} on the ND4J backend. */
@ExtendWith(OnNd4j.class)
class BuiltinsGradCheckNd4jTest extends BuiltinsGradCheckTest {
  @Test
  void runsOnNd4j() {
    assertEquals("nd4j", Backends.current().name());
  }
}
