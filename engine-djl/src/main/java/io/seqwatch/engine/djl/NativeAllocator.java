package io.seqwatch.engine.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C allocator's settings for PyTorch's arrays, set once when the engine starts. PyTorch allocates
 * every intermediate array of a pass with the C allocator and frees it at the end of the pass. glibc's
 * defaults give large blocks back to the system as soon as they are freed (and move the threshold
 * for doing so as blocks come and go), so the next pass takes the same memory back page by page. On
 * the quantisation benchmark (Taobao, masked-transformer trained and scored, one thread): 3.9M page
 * faults, 23 % of the time in the kernel and DJL's scoring rounds up to 6.6x their fastest, against
 * 0.6M faults and 11 % with blocks up to {@value #MMAP_THRESHOLD_MB} MB kept in the process and the
 * top of the heap returned only past {@value #TRIM_THRESHOLD_MB} MB (wall time 113 -> 74 s). The
 * arrays' values do not change: PyTorch aligns its arrays itself (a model's weights are identical).
 *
 * <p>Left as they are when the environment already sets glibc's allocator ({@code MALLOC_*_} variables
 * or {@code glibc.malloc} tunables in {@code GLIBC_TUNABLES}), when the system property {@value
 * #PROPERTY} is {@code off}, and where the C library is not glibc.
 *
 * <p>Thread-safety: {@link #tune} runs once, from the engine's holder class.
 */
final class NativeAllocator {
  /** System property: {@code on} (default) or {@code off}, to leave the C allocator's settings alone. */
  static final String PROPERTY = "seqwatch.djl.malloc-tuning";
  static final int MMAP_THRESHOLD_MB = 256;
  static final int TRIM_THRESHOLD_MB = 1024;
  private static final int M_TRIM_THRESHOLD = -1; // glibc's malloc.h
  private static final int M_MMAP_THRESHOLD = -3;
  private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

  private NativeAllocator() {}

  /** Sets the allocator when {@link #reasonToLeave} finds nothing against it; returns what happened, for the log. */
  static String tune() {
    Optional<String> leave = reasonToLeave(System.getProperty(PROPERTY), System.getenv(),
        System.getProperty("os.name", ""));
    if (leave.isPresent()) {
      LOG.debug("C allocator left as it is: {}", leave.get());
      return leave.get();
    }
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      c.getFunction("gnu_get_libc_version"); // glibc only: elsewhere mallopt may be a stub or absent
      Function mallopt = c.getFunction("mallopt");
      boolean mmap = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_MB << 20}) == 1;
      boolean trim = mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD_MB << 20}) == 1;
      String done = "glibc keeps freed blocks up to " + MMAP_THRESHOLD_MB + " MB (" + (mmap ? "set" : "refused")
          + ") and returns the heap's top past " + TRIM_THRESHOLD_MB + " MB (" + (trim ? "set" : "refused") + ")";
      LOG.info("C allocator for PyTorch's arrays: {} ({}=off leaves it alone)", done, PROPERTY);
      return done;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.debug("C allocator left as it is: not glibc or not reachable ({})", e.toString());
      return "not glibc: " + e.getMessage();
    }
  }

  /**
   * Why the allocator is to be left as it is, if anything: the property set to {@code off}, the
   * environment setting glibc's allocator itself, or a system other than Linux.
   *
   * @throws io.seqwatch.api.ConfigurationException when the property is neither {@code on} nor {@code off}
   */
  static Optional<String> reasonToLeave(String property, Map<String, String> environment, String osName) {
    String p = property == null ? "on" : property.trim().toLowerCase(Locale.ROOT);
    if (!p.equals("on") && !p.equals("off")) {
      throw new io.seqwatch.api.ConfigurationException(PROPERTY + "=" + property + " is not on or off");
    }
    if (p.equals("off")) {
      return Optional.of(PROPERTY + "=off");
    }
    Optional<String> set = environment.entrySet().stream() // MALLOC_ARENA_MAX (no final _) is not a threshold
        .filter(e -> e.getKey().equals("GLIBC_TUNABLES") ? e.getValue().contains("glibc.malloc.")
            : e.getKey().startsWith("MALLOC_") && e.getKey().endsWith("_"))
        .map(Map.Entry::getKey).sorted().findFirst();
    if (set.isPresent()) {
      return Optional.of("the environment sets " + set.get());
    }
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.of("not Linux (" + osName + ")");
    }
    return Optional.empty();
  }
}
