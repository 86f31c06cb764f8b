package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.api.ProviderNotFoundException;
import io.seqwatch.api.Score;
import io.seqwatch.core.sim.SimulatedData;
import io.seqwatch.core.sim.Simulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  private static final SimulatedData DATA = Simulator.builder().users(200).anomalyRate(0.05).seed(3).build().generate();

  @TempDir Path tmp;

  private static List<BehaviorSequence> sequences(Pipeline p) {
    return p.sequences(DATA.events());
  }

  private static double[] scores(FittedPipeline f, List<BehaviorSequence> s) {
    return f.score(s).stream().mapToDouble(Score::value).toArray();
  }

  /** Folders made by a property's try (jqwik has no @TempDir), deleted after the try. */
  private final List<Path> made = new java.util.ArrayList<>();

  private Path fresh(String prefix) throws IOException {
    Path dir = Files.createTempDirectory("seqwatch-" + prefix);
    made.add(dir);
    return dir;
  }

  @net.jqwik.api.lifecycle.AfterTry
  void deleteWhatTheTryMade() throws IOException {
    for (Path dir : made) {
      com.google.common.io.MoreFiles.deleteRecursively(dir, com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE);
    }
    made.clear();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Property(tries = 8)
  void bundlesRoundTripToIdenticalScores(@ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll boolean sequenceDetector) throws IOException {
    Pipeline p = Pipeline.builder().detector(sequenceDetector ? "test-unigram" : "test-distance").seed(seed).build();
    List<BehaviorSequence> s = sequences(p);
    Path dir = fresh("bundle");
    try (FittedPipeline f = p.fit(s)) {
      f.save(dir.resolve("m"));
      f.save(dir.resolve("m.zip"));
      try (FittedPipeline a = FittedPipeline.load(dir.resolve("m")); FittedPipeline b = FittedPipeline.load(dir.resolve("m.zip"))) {
        assertArrayEquals(scores(f, s), scores(a, s));
        assertArrayEquals(scores(f, s), scores(b, s));
        assertEquals(f.threshold(), a.threshold());
        assertEquals(f.trainingSummary(), b.trainingSummary());
      }
    }
  }

  @Property(tries = 60)
  void aBundleWithOneFlippedByteIsRefused(@ForAll @IntRange(min = 0, max = 1000) int fileChoice,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int offsetChoice, @ForAll @IntRange(min = 0, max = 7) int bit,
      @ForAll boolean sequenceDetector) throws IOException {
    Path dir = fresh("flip").resolve("m");
    try (FittedPipeline f = Pipeline.builder().detector(sequenceDetector ? "test-unigram" : "test-distance").build()
        .fit(sequences(Pipeline.builder().detector("test-distance").build()))) {
      f.save(dir);
    }
    List<Path> all = files(dir);
    Path victim = all.get(fileChoice % all.size());
    byte[] b = Files.readAllBytes(victim);
    int at = offsetChoice % b.length;
    b[at] ^= (byte) (1 << bit);
    Files.write(victim, b);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    String rel = dir.relativize(victim).toString();
    assertTrue(e.getMessage().contains("is corrupt") && e.getMessage().contains(rel.equals("manifest.sha256") ? "manifest.json" : rel),
        rel + " byte " + at + ": " + e.getMessage());
  }

  private Path savedDistanceBundle() throws IOException {
    Path dir = tmp.resolve("m");
    try (FittedPipeline f = Pipeline.builder().detector("test-distance").build().fitEvents(DATA.events())) {
      f.save(dir);
    }
    return dir;
  }

  /** Rewrites the manifest and its checksum, as a newer or foreign writer would. */
  private static void rewriteManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode m = (ObjectNode) BundleStore.json().readTree(dir.resolve("manifest.json").toFile());
    edit.accept(m);
    byte[] bytes = BundleStore.json().writeValueAsBytes(m);
    Files.write(dir.resolve("manifest.json"), bytes);
    Files.writeString(dir.resolve("manifest.sha256"), BundleStore.sha256(bytes) + "\n", StandardCharsets.US_ASCII);
  }

  @Test
  void aForgedManifestWithRecomputedChecksumsIsRefusedByALoaderHoldingTheSigningKey() throws IOException {
    SigningKey key = SigningKey.of("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));
    SigningKey other = SigningKey.of("another-key-of-16+bytes".getBytes(StandardCharsets.UTF_8));
    for (String name : List.of("signed", "signed.zip")) {
      Path target = tmp.resolve(name);
      try (FittedPipeline f = Pipeline.builder().detector("test-distance").build().fitEvents(DATA.events())) {
        f.save(target, key);
        try (FittedPipeline back = FittedPipeline.load(target, key)) {
          assertEquals(f.threshold(), back.threshold());
        }
        try (FittedPipeline unchecked = FittedPipeline.load(target)) { // a loader without a key still reads it
          assertEquals(f.threshold(), unchecked.threshold());
        }
      }
      ModelFormatException wrongKey = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(target, other));
      assertTrue(wrongKey.getMessage().contains("it is signed with key " + key.id() + ", not with this loader's key "
          + other.id()), wrongKey.getMessage());
    }
    // the attack: threshold 1e9 so nothing is ever flagged, checksums recomputed
    Path forged = tmp.resolve("signed");
    rewriteManifest(forged, m -> ((ObjectNode) m.get("threshold")).put("value", 1e9));
    try (FittedPipeline silent = FittedPipeline.load(forged)) {
      assertEquals(1e9, silent.threshold().value(), "without a key, checksums only catch accidents");
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(forged, key));
    assertTrue(e.getMessage().contains("its signature does not match manifest.json; the bundle was edited after it was "
        + "signed"), e.getMessage());
    Path unsigned = savedDistanceBundle();
    ModelFormatException none = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(unsigned, key));
    assertTrue(none.getMessage().contains("is refused: it is not signed, and this loader accepts only bundles signed "
        + "with key " + key.id()), none.getMessage());
    assertTrue(!key.toString().contains("secret") && key.toString().contains(key.id()));
    assertThrows(io.seqwatch.api.ConfigurationException.class, () -> SigningKey.of(new byte[8]));
  }

  @Test
  void anEd25519SignedBundleLoadsWithThePublicKeyWhichCannotSignOrForge() throws IOException {
    SigningKey trainer = SigningKey.generateEd25519(tmp.resolve("keys/signing.pem"), tmp.resolve("keys/signing.pub.pem"));
    SigningKey service = SigningKey.fromFile(tmp.resolve("keys/signing.pub.pem"));
    assertEquals(trainer.id(), service.id(), "a pair shares its id");
    assertEquals("ed25519", service.algorithm());
    assertTrue(!service.canSign() && trainer.canSign());
    assertEquals(trainer.id(), SigningKey.fromFile(tmp.resolve("keys/signing.pem")).id());
    Path target = tmp.resolve("ed.zip");
    try (FittedPipeline f = Pipeline.builder().detector("test-distance").build().fitEvents(DATA.events())) {
      f.save(target, trainer);
      try (FittedPipeline back = FittedPipeline.load(target, service)) {
        assertEquals(f.threshold(), back.threshold());
      }
      io.seqwatch.api.ConfigurationException cannot = assertThrows(io.seqwatch.api.ConfigurationException.class,
          () -> f.save(tmp.resolve("by-service.zip"), service));
      assertTrue(cannot.getMessage().contains("is a public key: it verifies bundles and snapshots but cannot sign"),
          cannot.getMessage());
      Path folder = tmp.resolve("ed");
      f.save(folder, trainer);
      rewriteManifest(folder, m -> ((ObjectNode) m.get("threshold")).put("value", 1e9));
      ModelFormatException forged = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(folder, service));
      assertTrue(forged.getMessage().contains("its signature does not match manifest.json"), forged.getMessage());
      Path hmacSigned = tmp.resolve("hmac.zip");
      f.save(hmacSigned, SigningKey.of("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)));
      ModelFormatException kind = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(hmacSigned, service));
      assertTrue(kind.getMessage().contains("it is signed with hmac-sha256 (key ") && kind.getMessage().contains(
          "this loader holds a ed25519 key (" + service.id() + ")"), kind.getMessage());
    }
    SigningKey stranger = SigningKey.generateEd25519(tmp.resolve("k2.pem"), tmp.resolve("k2.pub.pem"));
    ModelFormatException other = assertThrows(ModelFormatException.class,
        () -> FittedPipeline.load(target, SigningKey.fromFile(tmp.resolve("k2.pub.pem"))));
    assertTrue(other.getMessage().contains("it is signed with key " + trainer.id() + ", not with this loader's key "
        + stranger.id()), other.getMessage());
    // key files that cannot work say why
    String priv = Files.readString(tmp.resolve("keys/signing.pem"));
    String privateOnly = priv.substring(0, priv.indexOf("-----BEGIN PUBLIC KEY-----"));
    io.seqwatch.api.ConfigurationException noPublic = assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> SigningKey.fromText(privateOnly, "k.pem"));
    assertTrue(noPublic.getMessage().contains("has a private key but not its PUBLIC KEY block"), noPublic.getMessage());
    String mixed = privateOnly + Files.readString(tmp.resolve("k2.pub.pem"));
    io.seqwatch.api.ConfigurationException notAPair = assertThrows(io.seqwatch.api.ConfigurationException.class,
        () -> SigningKey.fromText(mixed, "k.pem"));
    assertTrue(notAPair.getMessage().contains("are not one pair"), notAPair.getMessage());
    assertTrue(trainer.toString().startsWith("SigningKey[ed25519 ") && !trainer.toString().contains("BEGIN"));
  }

  @Test
  void anotherFormatVersionIsRefusedWithTheFix() throws IOException {
    Path dir = savedDistanceBundle();
    rewriteManifest(dir, m -> m.put("formatVersion", 2));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    assertEquals("model bundle " + dir + " has format version 2 but this Seqwatch (dev) reads version 1; "
        + "retrain the model or use the Seqwatch version that wrote it", e.getMessage());
  }

  @Test
  void aBundleTrainedOnOtherFeaturesThanTheExtractorComputesIsRefusedAtLoadWithTheDifference() throws IOException {
    Path dir = savedDistanceBundle(); // the behaviour features of this version
    rewriteManifest(dir, m -> ((ObjectNode) m.get("representation")).put("provider", "test-behavior-earlier"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    assertTrue(e.getMessage().contains("was trained on 32 'test-behavior-earlier' features, but this version's "
        + "extractor computes 31 (only in the bundle: [fast_gap_share]; new: []): train the bundle again"),
        e.getMessage());
  }

  @Test
  void aBundleNeedingAMissingDetectorNamesIt() throws IOException {
    Path dir = savedDistanceBundle();
    rewriteManifest(dir, m -> ((ObjectNode) m.get("detector")).put("provider", "gru"));
    ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> FittedPipeline.load(dir));
    assertEquals("model bundle " + dir + " needs the detector 'gru', which is not on the class path (found: "
        + "ensemble, test-distance, test-levels, test-unigram). Add the plugin or engine that provides 'gru' as a dependency.", e.getMessage());
  }

  @Test
  void savingOverABundleReplacesItWholeAndLeavesNoTemporaryFiles() throws IOException {
    Pipeline unigram = Pipeline.builder().detector("test-unigram").seed(1).build();
    Pipeline distance = Pipeline.builder().detector("test-distance").seed(2).build();
    List<BehaviorSequence> s = sequences(distance);
    for (String name : List.of("m", "m.zip")) {
      Path target = tmp.resolve(name);
      try (FittedPipeline first = unigram.fit(s); FittedPipeline second = distance.fit(s)) {
        first.save(target);
        if (!name.endsWith(".zip")) {
          Files.writeString(target.resolve("rejected.csv"), "line,reason\n");
        }
        second.save(target);
        try (FittedPipeline loaded = FittedPipeline.load(target)) {
          assertEquals("test-distance", loaded.model().provenance().detector());
          assertArrayEquals(scores(second, s), scores(loaded, s));
        }
        if (!name.endsWith(".zip")) {
          // the sequence detector's encoder/ is gone with the old bundle; the user's file stays
          assertTrue(Files.notExists(target.resolve("encoder")));
          assertEquals("line,reason\n", Files.readString(target.resolve("rejected.csv")));
        }
      }
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of("m", "m.zip"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anInterruptedFolderSwapNamesWhereThePreviousBundleIs() throws IOException {
    Path dir = savedDistanceBundle();
    Path aside = dir.resolveSibling("." + dir.getFileName() + ".previous");
    Files.move(dir, aside);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    assertEquals("model bundle " + dir + " does not exist, but " + aside.toAbsolutePath() + " does: a save over it was "
        + "interrupted after the old bundle stepped aside; rename that folder back to " + dir.getFileName()
        + " to use the previous model, or train again", e.getMessage());
    Files.move(aside, dir);
    try (FittedPipeline f = FittedPipeline.load(dir)) {
      assertEquals("test-distance", f.model().provenance().detector());
    }
  }

  @Test
  void zipEntriesTheManifestDoesNotListAndEntriesLargerThanItSaysAreRefusedUnread() throws IOException {
    Path zip = tmp.resolve("m.zip");
    try (FittedPipeline f = Pipeline.builder().detector("test-distance").build().fitEvents(DATA.events())) {
      f.save(zip);
    }
    java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        entries.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    // the bundle's entries plus 64 MB of zeros its manifest does not list
    Path extra = tmp.resolve("extra.zip");
    writeZip(extra, entries, "junk.bin", 64 << 20);
    long before = mx.getCurrentThreadAllocatedBytes();
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(extra));
    assertEquals("model bundle " + extra + " is refused: entry 'junk.bin' is not in the manifest (a bundle holds "
        + "exactly the files its manifest lists)", e.getMessage());
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 32 << 20, "refusing allocated " + allocated + " bytes: the unlisted entry was inflated");
    // a listed entry larger than the manifest says is refused before it is inflated
    String listed = entries.keySet().stream().filter(n -> n.startsWith("detector/")).findFirst().orElseThrow();
    java.util.Map<String, byte[]> bomb = new java.util.LinkedHashMap<>(entries);
    bomb.remove(listed);
    Path bombZip = tmp.resolve("bomb.zip");
    writeZip(bombZip, bomb, listed, 64 << 20);
    ModelFormatException b = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(bombZip));
    assertTrue(b.getMessage().startsWith("model bundle " + bombZip + ": entry " + listed + " declares 67108864 bytes, "
        + "more than the "), b.getMessage());
  }

  private static void writeZip(Path file, java.util.Map<String, byte[]> entries, String zerosName, int zeros)
      throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      for (java.util.Map.Entry<String, byte[]> en : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(en.getKey()));
        z.write(en.getValue());
        z.closeEntry();
      }
      z.putNextEntry(new ZipEntry(zerosName));
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < zeros / chunk.length; i++) {
        z.write(chunk);
      }
      z.closeEntry();
    }
  }

  @Test
  void aSymbolicLinkInAFolderBundleIsRefused() throws IOException {
    Path dir = savedDistanceBundle();
    Path model = dir.resolve("detector/model.bin");
    Path elsewhere = tmp.resolve("model-elsewhere.bin");
    Files.move(model, elsewhere);
    Files.createSymbolicLink(model, elsewhere);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    assertEquals("model bundle " + dir + " is refused: detector/model.bin is a symbolic link; a bundle holds regular "
        + "files only", e.getMessage());
  }

  @Test
  void aMissingFileAndANonBundleAreRefused() throws IOException {
    Path dir = savedDistanceBundle();
    Files.delete(dir.resolve("detector/model.bin"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(dir));
    assertEquals("model bundle " + dir + " is incomplete: detector/model.bin is missing", e.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ModelFormatException n = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(empty));
    assertEquals(empty + " is not a Seqwatch model bundle: manifest.json is missing", n.getMessage());
    Path truncatedZip = tmp.resolve("t.zip");
    Files.write(truncatedZip, new byte[] {'P', 'K', 3, 4, 1});
    assertThrows(ModelFormatException.class, () -> FittedPipeline.load(truncatedZip));
  }

  @Test
  void aZipEntryThatEscapesTheFolderIsRefused() throws IOException {
    Path zip = tmp.resolve("evil.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("../../etc/cron.d/x"));
      z.write(1);
      z.closeEntry();
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedPipeline.load(zip));
    assertEquals("model bundle " + zip + " is refused: entry '../../etc/cron.d/x' would escape the bundle folder", e.getMessage());
  }

  @Test
  void manifestRecordsProvenanceThresholdAndChecksums() throws IOException {
    Path dir = savedDistanceBundle();
    var m = BundleStore.json().readTree(dir.resolve("manifest.json").toFile());
    assertEquals("seqwatch-bundle", m.get("format").asText());
    assertEquals("test-distance", m.get("detector").get("provider").asText());
    assertEquals("2.0", m.get("detector").get("options").get("power").asText());
    assertEquals("evt:0.01", m.get("threshold").get("policy").asText());
    assertEquals("actor", m.get("pipeline").get("grouping").asText());
    assertEquals("200", m.get("training").get("sequences").asText());
    assertEquals(BundleStore.sha256(Files.readAllBytes(dir.resolve("detector/model.bin"))),
        m.get("files").get("detector/model.bin").asText());
    assertTrue(Files.readString(dir.resolve("manifest.sha256")).matches("[0-9a-f]{64}\n"));
  }
}
