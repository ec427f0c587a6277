package zkynet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class OpenBlasTuningTest {
  private static final String SAPPHIRE_RAPIDS = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu vme sse sse2 avx avx2 avx512f avx512dq avx512bw amx_tile
      """;

  @Test
  void coreFromCpuinfoFlags() {
    assertEquals("SkylakeX", OpenBlasTuning.coreFor(SAPPHIRE_RAPIDS));
    assertEquals("Haswell", OpenBlasTuning.coreFor("flags\t: fpu sse avx avx2 fma\n"));
    assertNull(OpenBlasTuning.coreFor("flags\t: fpu sse sse2\n"));
    assertNull(OpenBlasTuning.coreFor("model name : avx512f lookalike\n")); // only the flags line counts
    assertNull(OpenBlasTuning.coreFor(""));
  }

  @Test
  void appliedOnceBeforeTheNd4jBackendLoads() {
    Nd4jBackend.INSTANCE.create(new double[] {1}, new int[0], zkynet.DType.FLOAT32); // ND4J loaded now
    String status = OpenBlasTuning.status();
    assertNotNull(status);
    assertSame(status, OpenBlasTuning.apply());
  }
}
