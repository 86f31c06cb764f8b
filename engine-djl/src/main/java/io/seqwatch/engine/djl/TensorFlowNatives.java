package io.seqwatch.engine.djl;

import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Points the DJL TensorFlow engine at TensorFlow 2.16.1 natives without any download: DJL does not
 * publish them on Maven Central, but {@code org.tensorflow:tensorflow-core-native:1.0.0-rc.1}
 * (classifier {@code linux-x86_64}) carries them. {@link #prepare} extracts the three libraries from
 * the class path into a cache folder once and sets {@code TENSORFLOW_LIBRARY_PATH} (as a system
 * property, which DJL reads like the environment variable) unless it is already set.
 *
 * <p>Thread-safety: {@link #prepare} is synchronized and idempotent.
 */
public final class TensorFlowNatives {
  private static final String RESOURCE = "org/tensorflow/internal/c_api/linux-x86_64/";
  private static final List<String> LIBRARIES =
      List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");
  private static final String KEY = "TENSORFLOW_LIBRARY_PATH";

  private TensorFlowNatives() {}

  /**
   * Makes the natives available; returns the folder DJL will load them from.
   *
   * @throws ConfigurationException when the native jar is missing or this is not linux-x86_64
   */
  public static synchronized Path prepare() throws IOException {
    String set = System.getenv(KEY) != null ? System.getenv(KEY) : System.getProperty(KEY);
    if (set != null) {
      return Path.of(set);
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new ConfigurationException("TensorFlow natives are bundled here for linux-x86_64 only, not " + os + "/" + arch
          + "; set " + KEY + " to a folder with TensorFlow 2.16.1's libraries");
    }
    Path dir = Path.of(System.getProperty("user.home"), ".cache", "seqwatch", "tensorflow-2.16.1");
    Files.createDirectories(dir);
    ClassLoader cl = TensorFlowNatives.class.getClassLoader();
    for (String lib : LIBRARIES) {
      Path target = dir.resolve(lib);
      try (InputStream in = cl.getResourceAsStream(RESOURCE + lib)) {
        if (in == null) {
          throw new ConfigurationException("TensorFlow native " + lib + " is not on the class path. Add "
              + "org.tensorflow:tensorflow-core-native:1.0.0-rc.1 (classifier linux-x86_64) as a dependency.");
        }
        if (!Files.exists(target)) {
          Path tmp = Files.createTempFile(dir, lib, ".part");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    System.setProperty(KEY, dir.toString());
    return dir;
  }
}
