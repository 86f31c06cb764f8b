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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The bundle's file layer: component files in memory, written to a folder or a {@code .zip} with
 * {@code manifest.json} (listing the SHA-256 of every component file) and {@code manifest.sha256}
 * (the SHA-256 of the manifest itself), so that any changed byte is detected on load; with a
 * {@link SigningKey}, {@code manifest.sig} holds the manifest's HMAC, so that an edit with the
 * checksums recomputed is refused too by a loader holding the key.
 *
 * <p>Thread-safety: not thread-safe; one instance per save or load.
 */
final class BundleStore {
  static final String MANIFEST = "manifest.json";
  static final String MANIFEST_SHA = "manifest.sha256";
  /** With a signing key: {@code <hmac-sha256|ed25519> <key id> <hex signature of manifest.json>}. */
  static final String MANIFEST_SIG = "manifest.sig";
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
  void save(Path target, ObjectNode manifest, Optional<SigningKey> key) throws IOException {
    ObjectNode sums = manifest.putObject("files");
    files.forEach((path, data) -> sums.put(path, sha256(data)));
    ObjectNode sizes = manifest.putObject("sizes");
    files.forEach((path, data) -> sizes.put(path, data.length));
    byte[] m = json().writeValueAsBytes(manifest);
    byte[] mSha = (sha256(m) + "\n").getBytes(StandardCharsets.US_ASCII);
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put(MANIFEST, m);
    all.put(MANIFEST_SHA, mSha);
    key.ifPresent(k -> all.put(MANIFEST_SIG, (k.algorithm() + " " + k.id() + " " + HexFormat.of().formatHex(k.sign(m)) + "\n")
        .getBytes(StandardCharsets.US_ASCII)));
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
      Set<String> bundleNames = new HashSet<>(List.of(MANIFEST, MANIFEST_SHA, MANIFEST_SIG, "detector", "encoder", "extractor"));
      all.keySet().forEach(k -> bundleNames.add(k.split("/", 2)[0]));
      try (var old = Files.list(previous)) {
        for (Path f : old.toList()) {
          String n = f.getFileName().toString();
          if (!bundleNames.contains(n) && !Files.exists(abs.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
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
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
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
  JsonNode load(Path source, Optional<SigningKey> key) throws IOException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(previous(source))) {
        throw new ModelFormatException("model bundle " + source + " does not exist, but " + previous(source)
            + " does: a save over it was interrupted after the old bundle stepped aside; rename that folder back to "
            + source.getFileName() + " to use the previous model, or train again");
      }
      throw new ModelFormatException("model bundle " + source + " does not exist");
    }
    if (Files.isDirectory(source)) {
      return verify(source, (name, limit) -> readFolderFile(source, name, limit), Optional.empty(), key);
    }
    try (ZipFile zip = new ZipFile(source.toFile())) {
      Set<String> names = new HashSet<>();
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        checkEntryName(source, e.getName());
        if (!names.add(e.getName())) {
          throw new ModelFormatException("model bundle " + source + ": entry " + e.getName() + " appears twice");
        }
      }
      if (names.isEmpty()) {
        throw new ModelFormatException(source + " is not a Seqwatch model bundle (an empty zip)");
      }
      // only the manifest and the entries it lists are read; any other entry refuses the bundle
      return verify(source, (name, limit) -> readZipEntry(source, zip, name, limit), Optional.of(names), key);
    } catch (ZipException e) {
      throw new ModelFormatException("model bundle " + source + " is not a readable zip: " + e.getMessage(), e);
    }
  }

  /** Reads one named file of a bundle, at most {@code limit} bytes, or null when absent. */
  @FunctionalInterface
  private interface EntryReader {
    byte[] read(String name, long limit) throws IOException;
  }

  /** Most bytes a manifest or its checksum may have. */
  private static final long MAX_MANIFEST = 16L << 20;

  /** Verifies the manifest's checksum, then reads and verifies every file it lists. */
  private JsonNode verify(Path source, EntryReader in, Optional<Set<String>> zipEntries, Optional<SigningKey> key)
      throws IOException {
    byte[] m = in.read(MANIFEST, MAX_MANIFEST);
    byte[] mSha = m == null ? null : in.read(MANIFEST_SHA, MAX_MANIFEST);
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
    if (key.isPresent()) {
      checkSignature(source, m, in.read(MANIFEST_SIG, 1024), key.get());
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
    if (zipEntries.isPresent()) {
      for (String name : new TreeSet<>(zipEntries.get())) {
        if (!name.equals(MANIFEST) && !name.equals(MANIFEST_SHA) && !name.equals(MANIFEST_SIG) && !sums.has(name)
            && !(name.endsWith("/") && sums.properties().stream().anyMatch(f -> f.getKey().startsWith(name)))) {
          throw new ModelFormatException("model bundle " + source + " is refused: entry '" + name
              + "' is not in the manifest (a bundle holds exactly the files its manifest lists)");
        }
      }
    }
    JsonNode sizes = manifest.path("sizes");
    Iterator<Map.Entry<String, JsonNode>> it = sums.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = e.getKey();
      checkEntryName(source, path);
      if (path.equals(MANIFEST) || path.equals(MANIFEST_SHA) || path.equals(MANIFEST_SIG)) {
        throw new ModelFormatException("model bundle " + source + ": the manifest lists itself");
      }
      long size = sizes.path(path).isIntegralNumber() ? sizes.path(path).asLong() : -1;
      byte[] data = in.read(path, size >= 0 ? Math.min(size, MAX_FILE) : MAX_FILE);
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

  /** Refuses a bundle whose manifest is not signed by {@code key}, saying which of the three it is. */
  private static void checkSignature(Path source, byte[] manifest, byte[] sig, SigningKey key) {
    if (sig == null) {
      throw new ModelFormatException("model bundle " + source + " is refused: it is not signed, and this loader "
          + "accepts only bundles signed with key " + key.id() + " (save it with that key: train --signing-key-file)");
    }
    String[] f = new String(sig, StandardCharsets.US_ASCII).strip().split(" ");
    if (f.length != 3 || !f[0].equals(SigningKey.HMAC) && !f[0].equals(SigningKey.ED25519)) {
      throw new ModelFormatException("model bundle " + source + " is refused: manifest.sig is malformed");
    }
    if (!f[0].equals(key.algorithm())) {
      throw new ModelFormatException("model bundle " + source + " is refused: it is signed with " + f[0] + " (key "
          + f[1] + "), and this loader holds a " + key.algorithm() + " key (" + key.id() + ")");
    }
    if (!f[1].equals(key.id())) {
      throw new ModelFormatException("model bundle " + source + " is refused: it is signed with key " + f[1]
          + ", not with this loader's key " + key.id());
    }
    byte[] mac;
    try {
      mac = HexFormat.of().parseHex(f[2]);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("model bundle " + source + " is refused: manifest.sig is malformed");
    }
    if (!key.verifies(manifest, mac)) {
      throw new ModelFormatException("model bundle " + source + " is refused: its signature does not match "
          + "manifest.json; the bundle was edited after it was signed");
    }
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

  /** A folder bundle's file: a regular file, no symbolic link anywhere below the bundle folder. */
  private static byte[] readFolderFile(Path source, String name, long limit) throws IOException {
    Path p = source;
    for (String part : name.split("/")) {
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw new ModelFormatException("model bundle " + source + " is refused: " + name
            + " is a symbolic link; a bundle holds regular files only");
      }
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelFormatException("model bundle " + source + " is refused: " + name + " is not a regular file");
    }
    long size = Files.size(p);
    if (size > limit) {
      throw new ModelFormatException("model bundle " + source + ": " + name + " has " + size + " bytes, more than "
          + (limit == MAX_FILE || limit == MAX_MANIFEST ? "the largest file a bundle may hold (" + limit + ")"
              : "the " + limit + " its manifest says"));
    }
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      return readBounded(source, name, in, limit);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * A zip bundle's entry, inflated up to {@link #MAX_FILE} and to at most {@link #MAX_RATIO} times
   * its compressed size (model weights barely compress; a zip bomb does), or null when absent.
   */
  private static byte[] readZipEntry(Path source, ZipFile zip, String name, long manifestLimit)
      throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null || e.isDirectory()) {
      return null;
    }
    if (e.getSize() > manifestLimit) {
      throw new ModelFormatException("model bundle " + source + ": entry " + name + " declares " + e.getSize()
          + " bytes, more than the " + manifestLimit + " allowed by its manifest");
    }
    long compressed = Math.max(0, e.getCompressedSize());
    long limit = Math.min(manifestLimit, Math.max(1L << 20, compressed * MAX_RATIO));
    try (InputStream in = zip.getInputStream(e)) {
      return readBounded(source, name, in, limit);
    }
  }

  private static byte[] readBounded(Path source, String name, InputStream in, long limit) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[65536];
    long total = 0;
    int r;
    while ((r = in.read(chunk)) > 0) {
      total += r;
      if (total > limit) {
        throw new ModelFormatException("model bundle " + source + ": entry " + name + " is too large (over " + limit
            + " bytes inflated)");
      }
      buf.write(chunk, 0, r);
    }
    return buf.toByteArray();
  }

  /** Most an entry may inflate relative to its compressed size. */
  private static final long MAX_RATIO = 100;

  /** Lists the files (for tests and diagnostics). */
  List<String> paths() {
    return new ArrayList<>(files.keySet());
  }
}
