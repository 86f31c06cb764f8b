package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ConfigurationException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  @Test
  void setOnLinuxUnlessTheUserOrTheEnvironmentSaysOtherwise() {
    assertEquals(Optional.empty(), NativeAllocator.reasonToLeave(null, Map.of(), "Linux"));
    assertEquals(Optional.empty(), NativeAllocator.reasonToLeave(" On ", Map.of("MALLOC_ARENA_MAX", "2"), "Linux"));
    assertEquals(Optional.empty(), NativeAllocator.reasonToLeave("on",
        Map.of("GLIBC_TUNABLES", "glibc.pthread.rseq=0"), "Linux"));
    assertEquals(Optional.of("seqwatch.djl.malloc-tuning=off"), NativeAllocator.reasonToLeave("OFF", Map.of(), "Linux"));
    assertEquals(Optional.of("the environment sets MALLOC_TRIM_THRESHOLD_"), NativeAllocator.reasonToLeave(null,
        Map.of("MALLOC_TRIM_THRESHOLD_", "0", "PATH", "/bin"), "Linux"));
    assertEquals(Optional.of("the environment sets GLIBC_TUNABLES"), NativeAllocator.reasonToLeave(null,
        Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"), "Linux"));
    assertEquals(Optional.of("not Linux (Mac OS X)"), NativeAllocator.reasonToLeave(null, Map.of(), "Mac OS X"));
  }

  @Test
  void aPropertyNeitherOnNorOffIsRefusedByName() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> NativeAllocator.reasonToLeave("yes", Map.of(), "Linux"));
    assertEquals("seqwatch.djl.malloc-tuning=yes is not on or off", e.getMessage());
  }

  @Test
  void glibcTakesBothSettings() {
    Assumptions.assumeTrue(NativeAllocator.reasonToLeave(System.getProperty(NativeAllocator.PROPERTY), System.getenv(),
        System.getProperty("os.name")).isEmpty(), "the allocator is left alone here");
    String done = NativeAllocator.tune();
    Assumptions.assumeFalse(done.startsWith("not glibc"), done);
    assertTrue(done.startsWith("glibc keeps freed blocks up to 256 MB (set)") && done.endsWith("past 1024 MB (set)"), done);
  }
}
