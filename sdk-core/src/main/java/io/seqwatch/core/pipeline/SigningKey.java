package io.seqwatch.core.pipeline;

import io.seqwatch.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret that signs model bundles and streaming snapshots with HMAC-SHA256, so that a loader
 * holding the same key refuses a bundle or snapshot that was edited after signing, even with its
 * checksums recomputed (checksums alone catch accidents, not forgery), and refuses an unsigned one.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.fromFile(Path.of("/etc/seqwatch/signing.key"));
 * fitted.save(Path.of("model.zip"), key);
 * try (FittedPipeline p = FittedPipeline.load(Path.of("model.zip"), key)) { ... }
 * }</pre>
 *
 * <p>The key never appears in messages or {@link #toString()}; its {@link #id()} (the first 8 bytes of
 * a SHA-256 of it, in hex) names it, so "signed with another key" can be told from "edited".
 *
 * <p>Thread-safety: immutable; safe to share.
 */
public final class SigningKey {
  /** The fewest bytes a key may have. */
  public static final int MIN_BYTES = 16;

  private final byte[] key;
  private final String id;

  private SigningKey(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new ConfigurationException("a signing key needs at least " + MIN_BYTES + " bytes, this one has "
          + key.length + "; generate one with: head -c 32 /dev/urandom | base64 > signing.key");
    }
    this.key = key.clone();
    byte[] digest = sha256(("seqwatch-signing-key-id\n").getBytes(StandardCharsets.UTF_8), key);
    this.id = HexFormat.of().formatHex(digest, 0, 8);
  }

  /** A key of these bytes (at least {@value #MIN_BYTES}). */
  public static SigningKey of(byte[] key) {
    return new SigningKey(key);
  }

  /** The key in a file: its UTF-8 text, surrounding white space removed (at least {@value #MIN_BYTES} bytes). */
  public static SigningKey fromFile(Path file) throws IOException {
    byte[] text = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    try {
      return new SigningKey(text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /** Names the key without revealing it: 16 hex digits. */
  public String id() {
    return id;
  }

  /** The HMAC-SHA256 of {@code data} under this key. */
  public byte[] sign(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** Whether {@code mac} is this key's HMAC of {@code data} (compared in constant time). */
  public boolean verifies(byte[] data, byte[] mac) {
    return MessageDigest.isEqual(sign(data), mac);
  }

  private static byte[] sha256(byte[] prefix, byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prefix);
      return sha.digest(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[" + id + "]";
  }
}
