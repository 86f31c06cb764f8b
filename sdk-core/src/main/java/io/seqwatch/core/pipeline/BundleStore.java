package io.seqwatch.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.ArtifactReader;
import io.seqwatch.spi.ArtifactWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The bundle's file layer: component files in memory, written to a folder or a {@code .zip} with
 * {@code manifest.json} (listing the SHA-256 of every component file) and {@code manifest.sha256}
 * (the SHA-256 of the manifest itself), so that any changed byte is detected on load.
 *
 * <p>Thread-safety: not thread-safe; one instance per save or load.
 */
final class BundleStore {
  static final String MANIFEST = "manifest.json";
  static final String MANIFEST_SHA = "manifest.sha256";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._\\-]*");
  private static final long MAX_FILE = 2L << 30;

  private final Map<String, byte[]> files = new LinkedHashMap<>();

  static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static String sha256(byte[] data) {
    return Hashing.sha256().hashBytes(data).toString();
  }

  /** An {@link ArtifactWriter} that stores files under {@code folder/}. */
  ArtifactWriter writer(String folder) {
    return name -> {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("artifact name must be lower-case letters, digits, '.', '-', '_': " + name);
      }
      String path = folder + "/" + name;
      if (files.containsKey(path)) {
        throw new IllegalArgumentException("artifact written twice: " + path);
      }
      return new ByteArrayOutputStream() {
        @Override
        public void close() throws IOException {
          super.close();
          files.put(path, toByteArray());
        }
      };
    };
  }

  /** An {@link ArtifactReader} over files under {@code folder/}. */
  ArtifactReader reader(String folder) {
    return new ArtifactReader() {
      @Override
      public InputStream open(String name) {
        byte[] b = files.get(folder + "/" + name);
        if (b == null) {
          throw new ModelFormatException("bundle file " + folder + "/" + name + " is missing");
        }
        return new ByteArrayInputStream(b);
      }

      @Override
      public boolean contains(String name) {
        return files.containsKey(folder + "/" + name);
      }
    };
  }

  /** Adds the checksums of all files to {@code manifest.files} and writes the bundle. */
  void save(Path target, ObjectNode manifest) throws IOException {
    ObjectNode sums = manifest.putObject("files");
    files.forEach((path, data) -> sums.put(path, sha256(data)));
    byte[] m = json().writeValueAsBytes(manifest);
    byte[] mSha = (sha256(m) + "\n").getBytes(StandardCharsets.US_ASCII);
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put(MANIFEST, m);
    all.put(MANIFEST_SHA, mSha);
    all.putAll(files);
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    String name = abs.getFileName().toString();
    if (isZip(target)) {
      Path tmp = Files.createTempFile(parent, "." + name + ".", ".saving");
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ZipOutputStream z = new ZipOutputStream(Channels.newOutputStream(ch))) {
          for (Map.Entry<String, byte[]> e : all.entrySet()) {
            z.putNextEntry(new ZipEntry(e.getKey()));
            z.write(e.getValue());
            z.closeEntry();
          }
          z.finish();
          z.flush();
          ch.force(true);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return;
    }
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IOException("cannot save a folder bundle to " + target + ": it is a file (name a .zip for a zip bundle)");
    }
    Path staging = Files.createTempDirectory(parent, "." + name + ".");
    try {
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        Path p = staging.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer b = ByteBuffer.wrap(e.getValue());
          while (b.hasRemaining()) {
            ch.write(b);
          }
          ch.force(true);
        }
      }
      if (!Files.exists(abs)) {
        Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      // Swap: the old folder steps aside under a name load() points to, the new one takes its
      // place, files that are not part of a bundle (e.g. rejected.csv) move over, the old is removed.
      Path previous = previous(abs);
      deleteTree(previous);
      Files.move(abs, previous, StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
      java.util.Set<String> bundleNames = new java.util.HashSet<>(List.of(MANIFEST, MANIFEST_SHA, "detector", "encoder"));
      all.keySet().forEach(k -> bundleNames.add(k.split("/", 2)[0]));
      try (var old = Files.list(previous)) {
        for (Path f : old.toList()) {
          String n = f.getFileName().toString();
          if (!bundleNames.contains(n) && !Files.exists(abs.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(f, abs.resolve(n), StandardCopyOption.ATOMIC_MOVE);
          }
        }
      }
      deleteTree(previous);
    } finally {
      deleteTree(staging);
    }
  }

  /** Where a folder bundle being replaced waits until the new one is in place. */
  static Path previous(Path folder) {
    Path abs = folder.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + ".previous");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static boolean isZip(Path p) {
    return p.getFileName() != null && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  /**
   * Reads and verifies a bundle: manifest checksum, then every listed file's checksum.
   *
   * @return the manifest
   * @throws ModelFormatException naming what is wrong
   */
  JsonNode load(Path source) throws IOException {
    Map<String, byte[]> raw = new LinkedHashMap<>();
    if (!Files.exists(source)) {
      if (Files.isDirectory(previous(source))) {
        throw new ModelFormatException("model bundle " + source + " does not exist, but " + previous(source)
            + " does: a save over it was interrupted after the old bundle stepped aside; rename that folder back to "
            + source.getFileName() + " to use the previous model, or train again");
      }
      throw new ModelFormatException("model bundle " + source + " does not exist");
    }
    if (Files.isDirectory(source)) {
      for (String top : List.of(MANIFEST, MANIFEST_SHA)) {
        Path p = source.resolve(top);
        if (!Files.isRegularFile(p)) {
          throw new ModelFormatException(source + " is not a Seqwatch model bundle: " + top + " is missing");
        }
        raw.put(top, Files.readAllBytes(p));
      }
    } else {
      readZip(source, raw);
    }
    byte[] m = raw.get(MANIFEST);
    byte[] mSha = raw.get(MANIFEST_SHA);
    if (m == null || mSha == null) {
      throw new ModelFormatException(source + " is not a Seqwatch model bundle: "
          + (m == null ? MANIFEST : MANIFEST_SHA) + " is missing");
    }
    String expected = new String(mSha, StandardCharsets.US_ASCII);
    String actual = sha256(m) + "\n";
    if (!expected.equals(actual)) {
      throw new ModelFormatException("model bundle " + source + " is corrupt: manifest.json does not match "
          + "manifest.sha256 (expected " + expected.strip() + ", found " + actual.strip()
          + "); the bundle was damaged or edited");
    }
    JsonNode manifest;
    try {
      manifest = json().readTree(m);
    } catch (IOException e) {
      throw new ModelFormatException("model bundle " + source + ": manifest.json is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode sums = manifest.get("files");
    if (sums == null || !sums.isObject()) {
      throw new ModelFormatException("model bundle " + source + ": manifest.json has no 'files' checksums");
    }
    Iterator<Map.Entry<String, JsonNode>> it = sums.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = e.getKey();
      checkEntryName(source, path);
      byte[] data = raw.get(path);
      if (data == null && Files.isDirectory(source)) {
        try {
          data = Files.readAllBytes(source.resolve(path));
        } catch (NoSuchFileException ex) {
          data = null;
        }
      }
      if (data == null) {
        throw new ModelFormatException("model bundle " + source + " is incomplete: " + path + " is missing");
      }
      String sum = sha256(data);
      if (!sum.equals(e.getValue().asText())) {
        throw new ModelFormatException("model bundle " + source + " is corrupt: " + path
            + " has SHA-256 " + sum + " but the manifest says " + e.getValue().asText()
            + "; the file was damaged or edited");
      }
      files.put(path, data);
    }
    return manifest;
  }

  private static void checkEntryName(Path source, String name) {
    boolean bad = name.startsWith("/") || name.startsWith("\\") || name.contains("\\")
        || name.contains(":");
    for (String part : name.split("/")) {
      bad |= part.isEmpty() || part.equals("..") || part.equals(".");
    }
    if (bad) {
      throw new ModelFormatException("model bundle " + source + " is refused: entry '" + name
          + "' would escape the bundle folder");
    }
  }

  private static void readZip(Path source, Map<String, byte[]> raw) throws IOException {
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(source))) {
      ZipEntry e;
      boolean any = false;
      while ((e = z.getNextEntry()) != null) {
        any = true;
        checkEntryName(source, e.getName());
        if (e.isDirectory()) {
          continue;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        long total = 0;
        int r;
        while ((r = z.read(chunk)) > 0) {
          total += r;
          if (total > MAX_FILE) {
            throw new ModelFormatException("model bundle " + source + ": entry " + e.getName() + " is too large");
          }
          buf.write(chunk, 0, r);
        }
        if (raw.put(e.getName(), buf.toByteArray()) != null) {
          throw new ModelFormatException("model bundle " + source + ": entry " + e.getName() + " appears twice");
        }
      }
      if (!any) {
        throw new ModelFormatException(source + " is not a Seqwatch model bundle (not a zip or an empty zip)");
      }
    } catch (ZipException e) {
      throw new ModelFormatException("model bundle " + source + " is not a readable zip: " + e.getMessage(), e);
    }
  }

  /** Lists the files (for tests and diagnostics). */
  List<String> paths() {
    return new ArrayList<>(files.keySet());
  }
}
