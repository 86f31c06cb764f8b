package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneDnnIsaTest {
  private static final String AMD_512 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n"
      + "flags\t\t: fpu sse4_2 avx avx2 avx512f avx512dq avx512_bf16 avx512_vnni\n";
  private static final String AMD_256 = "vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx avx2 avx512_x\n";
  private static final String INTEL_512 = "vendor_id\t: GenuineIntel\nflags\t\t: fpu avx avx2 avx512f amx_tile\n";

  @Test
  void cappedAtAvx2OnlyOnAmdProcessorsWithAvx512() {
    assertEquals(Optional.of("AVX2"), OneDnnIsa.cap(null, Map.of(), AMD_512));
    assertEquals(Optional.of("AVX2"), OneDnnIsa.cap(" Auto", Map.of("PATH", "/bin"), AMD_512));
    assertEquals(Optional.empty(), OneDnnIsa.cap(null, Map.of(), AMD_256), "no avx512f flag");
    assertEquals(Optional.empty(), OneDnnIsa.cap(null, Map.of(), INTEL_512), "agreed uncapped");
    assertEquals(Optional.empty(), OneDnnIsa.cap(null, Map.of(), ""), "no /proc/cpuinfo");
  }

  @Test
  void theEnvironmentOrThePropertyDecideFirst() {
    assertEquals(Optional.empty(), OneDnnIsa.cap(null, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), AMD_512));
    assertEquals(Optional.empty(), OneDnnIsa.cap(null, Map.of("DNNL_MAX_CPU_ISA", "AVX2"), AMD_512));
    assertEquals(Optional.empty(), OneDnnIsa.cap("off", Map.of(), AMD_512));
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> OneDnnIsa.cap("avx2", Map.of(), AMD_512));
    assertEquals("seqwatch.djl.onednn-cap=avx2 is not auto or off", e.getMessage());
  }
}
