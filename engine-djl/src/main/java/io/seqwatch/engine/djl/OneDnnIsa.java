package io.seqwatch.engine.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps oneDNN (PyTorch's CPU kernels for the LSTM, among others) at AVX2 on AMD processors with
 * AVX-512, before the engine loads. On an AMD EPYC with AVX-512 the LSTM computed through oneDNN's
 * AVX-512 kernels scored a Taobao user 3.449 where ONNX Runtime, and the same DJL with oneDNN capped at
 * AVX2 or AVX2_VNNI_2, scored the same weights 3.525 (and explanations turned from "more surprising"
 * to "more predictable"); capped at AVX512_CORE or AVX512_CORE_VNNI it still disagreed. On an Intel
 * Xeon with AVX-512 both agreed within 2e-6 uncapped, so the cap is set where it was measured wrong
 * only. The GRU, the transformers and the dense networks do not take oneDNN's AVX-512 path that
 * differed.
 *
 * <p>Set through the C library's {@code setenv} (JNA) for oneDNN to read when it first picks its
 * kernels; left alone when {@code ONEDNN_MAX_CPU_ISA} or {@code DNNL_MAX_CPU_ISA} is in the
 * environment, and off with the system property {@value #PROPERTY}{@code =off}.
 *
 * <p>Thread-safety: {@link #apply} runs once, from the engine's holder class, before PyTorch loads.
 */
final class OneDnnIsa {
  /** System property: {@code auto} (default: AVX2 on AMD processors with AVX-512) or {@code off}. */
  static final String PROPERTY = "seqwatch.djl.onednn-cap";
  static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
  static final String CAP = "AVX2";
  private static final Logger LOG = LoggerFactory.getLogger(OneDnnIsa.class);

  private OneDnnIsa() {}

  /** Sets the cap when {@link #cap} asks for one; returns what happened, for the log. */
  static String apply() {
    String cpu;
    try {
      cpu = Files.readString(Path.of("/proc/cpuinfo"));
    } catch (IOException | RuntimeException e) {
      cpu = "";
    }
    Optional<String> isa = cap(System.getProperty(PROPERTY), System.getenv(), cpu);
    if (isa.isEmpty()) {
      return "oneDNN not capped";
    }
    try {
      Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
      boolean set = setenv.invokeInt(new Object[] {VARIABLE, isa.get(), 0}) == 0;
      LOG.info("oneDNN capped at {} ({}={}{}) on this AMD processor with AVX-512, where its AVX-512 LSTM kernels "
          + "disagreed with ONNX Runtime by 2 %; {}=off leaves it uncapped", isa.get(), VARIABLE, isa.get(),
          set ? "" : ": refused", PROPERTY);
      return set ? VARIABLE + "=" + isa.get() : "setenv refused";
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn("oneDNN could not be capped at {} ({}); set {}={} in the environment for LSTM scores that agree with "
          + "ONNX Runtime on this processor", isa.get(), e.toString(), VARIABLE, isa.get());
      return "not capped: " + e.getMessage();
    }
  }

  /**
   * The instruction set to cap oneDNN at, if any: {@value #CAP} on an AMD processor with AVX-512
   * ({@code cpuinfo} as in {@code /proc/cpuinfo}) unless the property is {@code off} or the
   * environment caps oneDNN itself.
   *
   * @throws io.seqwatch.api.ConfigurationException when the property is neither {@code auto} nor {@code off}
   */
  static Optional<String> cap(String property, Map<String, String> environment, String cpuinfo) {
    String p = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
    if (!p.equals("auto") && !p.equals("off")) {
      throw new io.seqwatch.api.ConfigurationException(PROPERTY + "=" + property + " is not auto or off");
    }
    if (p.equals("off") || environment.containsKey(VARIABLE) || environment.containsKey("DNNL_MAX_CPU_ISA")) {
      return Optional.empty();
    }
    String flags = cpuinfo.lines().filter(l -> l.startsWith("flags")).findFirst().orElse("");
    boolean amd = cpuinfo.lines().anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
    boolean avx512 = (" " + flags + " ").contains(" avx512f ");
    return amd && avx512 ? Optional.of(CAP) : Optional.empty();
  }
}
