package io.seqwatch.spi;

import io.seqwatch.api.Explanation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An anomalous sequence reported to the platform.
 *
 * @param key sequence key (actor, session or line)
 * @param detector detector name
 * @param score anomaly score
 * @param threshold the threshold it exceeded
 * @param explanation reasons
 * @param at when the alert was raised (event time of the event that started the anomalous episode)
 * @param id a deterministic identity: the same pipeline raising the alert for the same sequence
 *     and episode start gives the same id ({@link #idOf}), so a stream resumed from a snapshot that
 *     raises an alert again gives a consumer the means to drop the repeat (delivery is at least
 *     once; the id is the idempotency key)
 *     <p>Thread-safety: immutable.
 */
public record Alert(
    String key, String detector, double score, double threshold, Explanation explanation, Instant at, String id) {
  public Alert {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(id, "id");
  }

  /** An alert whose id is {@link #idOf}{@code (detector, key, at)}. */
  public Alert(String key, String detector, double score, double threshold, Explanation explanation, Instant at) {
    this(key, detector, score, threshold, explanation, at, idOf(detector, key, at));
  }

  /**
   * The id of the alert {@code pipeline} raises for sequence {@code key} at {@code at}: the first
   * 128 bits of SHA-256 over the three, in hex (32 characters).
   *
   * @param pipeline what identifies the trained pipeline (e.g. its detector and training time)
   */
  public static String idOf(String pipeline, String key, Instant at) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((pipeline + "\n" + key + "\n" + at.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
