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
 * A key that signs model bundles and streaming snapshots, so that a loader holding the key refuses a
 * bundle or snapshot that was edited after signing, even with its checksums recomputed (checksums
 * alone catch accidents, not forgery), and refuses an unsigned one. Two kinds:
 *
 * <ul>
 *   <li>a shared secret (HMAC-SHA256): whoever verifies can also sign;
 *   <li>an Ed25519 key pair: the trainer signs with the private key, and services load with the
 *       public key only, which cannot sign, so a compromised scoring host cannot forge a model.
 *       {@link #generateEd25519} writes a pair ({@code seqwatch keygen}).
 * </ul>
 *
 * <pre>{@code
 * SigningKey key = SigningKey.fromFile(Path.of("/etc/seqwatch/signing.pem"));   // or a secret, or a public key
 * fitted.save(Path.of("model.zip"), key);
 * try (FittedPipeline p = FittedPipeline.load(Path.of("model.zip"), SigningKey.fromFile(publicPem))) { ... }
 * }</pre>
 *
 * <p>The key never appears in messages or {@link #toString()}; its {@link #id()} (the first 8 bytes of
 * a SHA-256 of the secret, or of the public key, in hex) names it (a private key and its public key
 * share the id), so "signed with another key" can be told from "edited".
 *
 * <p>Thread-safety: immutable; safe to share.
 */
public final class SigningKey {
  /** The signature algorithm of a shared secret. */
  public static final String HMAC = "hmac-sha256";
  /** The signature algorithm of a key pair. */
  public static final String ED25519 = "ed25519";
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";
  /** The fewest bytes a key may have. */
  public static final int MIN_BYTES = 16;

  private final byte[] key;
  private final String id;
  private final java.security.PrivateKey privateKey;
  private final java.security.PublicKey publicKey;

  private SigningKey(java.security.PrivateKey privateKey, java.security.PublicKey publicKey) {
    this.key = null;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    byte[] digest = sha256(("seqwatch-signing-key-id\n").getBytes(StandardCharsets.UTF_8), publicKey.getEncoded());
    this.id = HexFormat.of().formatHex(digest, 0, 8);
  }

  private SigningKey(byte[] key) {
    this.privateKey = null;
    this.publicKey = null;
    if (key.length < MIN_BYTES) {
      throw new ConfigurationException("a signing key needs at least " + MIN_BYTES + " bytes, this one has "
          + key.length + "; generate one with: head -c 32 /dev/urandom | base64 > signing.key (or a key pair with "
          + "seqwatch keygen)");
    }
    this.key = key.clone();
    byte[] digest = sha256(("seqwatch-signing-key-id\n").getBytes(StandardCharsets.UTF_8), key);
    this.id = HexFormat.of().formatHex(digest, 0, 8);
  }

  /** A key of these bytes (at least {@value #MIN_BYTES}). */
  public static SigningKey of(byte[] key) {
    return new SigningKey(key);
  }

  /**
   * The key in a file: an Ed25519 key in PEM ({@code PUBLIC KEY} alone verifies; {@code PRIVATE KEY}
   * with its {@code PUBLIC KEY} block signs and verifies), else a shared secret, the file's UTF-8 text
   * with surrounding white space removed (at least {@value #MIN_BYTES} bytes).
   *
   * @throws ConfigurationException when a PEM file is not an Ed25519 key or lacks the public block
   */
  public static SigningKey fromFile(Path file) throws IOException {
    return fromText(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * A key from its text, as {@link #fromFile} reads it ({@code where} names the source in messages).
   *
   * @throws ConfigurationException when the text is not a usable key
   */
  public static SigningKey fromText(String text, String where) {
    if (text.contains("-----BEGIN ")) {
      return pem(text, where);
    }
    byte[] bytes = text.strip().getBytes(StandardCharsets.UTF_8);
    try {
      return new SigningKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static SigningKey pem(String text, String where) {
    byte[] pub = pemBlock(text, PUBLIC_PEM);
    byte[] priv = pemBlock(text, PRIVATE_PEM);
    if (pub == null) {
      throw new ConfigurationException("signing key " + where + " has " + (priv != null ? "a private key but not its "
          + "PUBLIC KEY block (append it: openssl pkey -in FILE -pubout >> FILE; seqwatch keygen writes both)"
          : "no PUBLIC KEY or PRIVATE KEY block"));
    }
    try {
      java.security.KeyFactory f = java.security.KeyFactory.getInstance("Ed25519");
      java.security.PublicKey publicKey = f.generatePublic(new java.security.spec.X509EncodedKeySpec(pub));
      java.security.PrivateKey privateKey = priv == null ? null
          : f.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(priv));
      SigningKey k = new SigningKey(privateKey, publicKey);
      if (privateKey != null) { // the two blocks must be one pair
        byte[] probe = "seqwatch key pair check".getBytes(StandardCharsets.UTF_8);
        if (!k.verifies(probe, k.sign(probe))) {
          throw new ConfigurationException("signing key " + where + ": its PRIVATE KEY and PUBLIC KEY blocks are not "
              + "one pair");
        }
      }
      return k;
    } catch (java.security.spec.InvalidKeySpecException e) {
      throw new ConfigurationException("signing key " + where + " is not an Ed25519 key in PEM: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** The DER bytes of the PEM block {@code type}, or null. */
  private static byte[] pemBlock(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    int from = text.indexOf(begin);
    if (from < 0) {
      return null;
    }
    int to = text.indexOf("-----END " + type + "-----", from);
    if (to < 0) {
      throw new ConfigurationException("PEM block " + type + " has no END line");
    }
    try {
      return java.util.Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("PEM block " + type + " is not base64: " + e.getMessage());
    }
  }

  /**
   * Generates an Ed25519 key pair and writes it: {@code privateFile} holds the private and public
   * blocks, {@code publicFile} the public block; both owner read/write only where the file system has
   * POSIX permissions, each written to a temporary sibling and renamed.
   *
   * @return the private key (signs and verifies)
   */
  public static SigningKey generateEd25519(Path privateFile, Path publicFile) throws IOException {
    java.security.KeyPair pair;
    try {
      pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
    String pub = pem(PUBLIC_PEM, pair.getPublic().getEncoded());
    // TextFiles writes through Files.createTempFile, which makes the file owner read/write only on POSIX
    io.seqwatch.core.io.TextFiles.writeAtomically(privateFile,
        (pem(PRIVATE_PEM, pair.getPrivate().getEncoded()) + pub).lines().toList());
    io.seqwatch.core.io.TextFiles.writeAtomically(publicFile, pub.lines().toList());
    return new SigningKey(pair.getPrivate(), pair.getPublic());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** {@value #HMAC} for a shared secret, {@value #ED25519} for a key pair. */
  public String algorithm() {
    return key != null ? HMAC : ED25519;
  }

  /** Whether this key can sign (a shared secret or a private key; a public key only verifies). */
  public boolean canSign() {
    return key != null || privateKey != null;
  }

  /** Bytes of a signature: 32 for HMAC-SHA256, 64 for Ed25519. */
  public int signatureLength() {
    return key != null ? 32 : 64;
  }

  /** Names the key without revealing it: 16 hex digits. */
  public String id() {
    return id;
  }

  /**
   * The signature of {@code data}: its HMAC-SHA256, or its Ed25519 signature.
   *
   * @throws ConfigurationException for a public key, which cannot sign
   */
  public byte[] sign(byte[] data) {
    if (key == null) {
      if (privateKey == null) {
        throw new ConfigurationException("signing key " + id + " is a public key: it verifies bundles and snapshots but "
            + "cannot sign them; sign with the private key file (seqwatch keygen wrote both)");
      }
      try {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(data);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 signing failed", e);
      }
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** Whether {@code signature} is this key's signature of {@code data} (an HMAC compared in constant time). */
  public boolean verifies(byte[] data, byte[] signature) {
    if (key != null) {
      return MessageDigest.isEqual(sign(data), signature);
    }
    try {
      java.security.Signature s = java.security.Signature.getInstance("Ed25519");
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed", e);
    }
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
    return "SigningKey[" + algorithm() + " " + id + (canSign() ? "" : ", public") + "]";
  }
}
