package io.seqwatch.engine.djl;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A masked-event encoder's checkpoint file, {@code encoder.ckpt}: the encoder's settings and
 * training state ({@code meta}: epochs done and planned, the training data's fingerprint and
 * summary), DJL's parameter bytes, and the optimiser's state (empty in a finished encoder), closed by
 * the SHA-256 of everything before it. Pretraining writes one after every epoch (to a temporary
 * file, then renamed over the old one, so a crash leaves the last complete checkpoint); a later run
 * resumes from it, and a fit with {@code pretrained=} starts from its weights. A truncated, altered
 * or foreign file is refused with what is wrong.
 *
 * @param meta settings and training state
 * @param weights DJL's serialised parameters
 * @param optimiser the optimiser's state ({@link ResumableAdam#write}), empty when not resumable
 *     <p>Thread-safety: immutable in use (arrays are not copied; callers do not change them).
 */
record MaskedEventCheckpoint(Parameters meta, byte[] weights, byte[] optimiser) {
  /** The file name in a checkpoint folder. */
  static final String FILE = "encoder.ckpt";
  private static final byte[] MAGIC = {'S', 'Q', 'W', 'E', 'N', 'C', '0', '1'};

  /** The SHA-256 of the weights, hex: the encoder's identity in provenance. */
  String weightsHash() {
    return HexFormat.of().formatHex(sha256(weights, weights.length));
  }

  /**
   * Checks a {@code pretrained=} option before any work: empty (none) or an existing path.
   *
   * @throws io.seqwatch.api.ConfigurationException naming the option and what to give
   */
  static void requireExisting(String pretrained) {
    if (!pretrained.isEmpty() && !Files.exists(Path.of(pretrained))) {
      throw new io.seqwatch.api.ConfigurationException("pretrained=" + pretrained + " does not exist; give the folder or "
          + FILE + " written by `seqwatch pretrain`");
    }
  }

  /** The checkpoint file for {@code path}: the path itself, or {@link #FILE} in it when it is a folder. */
  static Path file(Path path) {
    return Files.isDirectory(path) ? path.resolve(FILE) : path;
  }

  /** Writes atomically: a temporary file in the same folder, then renamed over {@code file}. */
  void write(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(bytes)) {
      d.write(MAGIC);
      ByteArrayOutputStream m = new ByteArrayOutputStream();
      meta.write(m);
      block(d, m.toByteArray());
      block(d, weights);
      block(d, optimiser);
    }
    byte[] body = bytes.toByteArray();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (var out = Files.newOutputStream(tmp)) {
        out.write(body);
        out.write(sha256(body, body.length));
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void block(DataOutputStream d, byte[] b) throws IOException {
    d.writeInt(b.length);
    d.write(b);
  }

  /**
   * Reads a checkpoint file or folder.
   *
   * @throws NoSuchFileException when there is none
   * @throws ModelFormatException when it is not a complete, unaltered encoder checkpoint
   */
  static MaskedEventCheckpoint read(Path path) throws IOException {
    Path file = file(path);
    byte[] all = Files.readAllBytes(file);
    if (all.length < MAGIC.length + 32 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new ModelFormatException(file + " is not a seqwatch encoder checkpoint (it does not start with "
          + new String(MAGIC, java.nio.charset.StandardCharsets.US_ASCII) + "); write one with `seqwatch pretrain`");
    }
    int n = all.length - 32;
    if (!MessageDigest.isEqual(sha256(all, n), Arrays.copyOfRange(all, n, all.length))) {
      throw new ModelFormatException(file + " is damaged: its SHA-256 does not match its content (truncated or altered); "
          + "pretrain again or restore the file");
    }
    try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, n - MAGIC.length))) {
      Parameters meta = Parameters.read(new ByteArrayInputStream(block(d, file)));
      return new MaskedEventCheckpoint(meta, block(d, file), block(d, file));
    }
  }

  private static byte[] block(DataInputStream d, Path file) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > d.available()) {
      throw new ModelFormatException(file + ": a block of " + n + " bytes does not fit the file");
    }
    return d.readNBytes(n);
  }

  private static byte[] sha256(byte[] b, int n) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, n);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
