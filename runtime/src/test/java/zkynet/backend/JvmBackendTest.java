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
}
