package io.seqwatch.testkit;

import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Bundle files held in a map, for tests that save a fitted component and load it back without a
 * folder. Thread-safety: as safe as the map given.
 */
public final class MemoryArtifacts {
  private MemoryArtifacts() {}

  /** A writer that puts each file into {@code files} when its stream closes. */
  public static ArtifactWriter writer(Map<String, byte[]> files) {
    return name -> new ByteArrayOutputStream() {
      @Override
      public void close() throws IOException {
        super.close();
        files.put(name, toByteArray());
      }
    };
  }

  /** A reader of the files in {@code files}. */
  public static ArtifactReader reader(Map<String, byte[]> files) {
    return new ArtifactReader() {
      @Override
      public InputStream open(String name) {
        return new ByteArrayInputStream(files.get(name));
      }

      @Override
      public boolean contains(String name) {
        return files.containsKey(name);
      }
    };
  }
}
