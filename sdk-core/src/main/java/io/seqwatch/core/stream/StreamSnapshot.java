package io.seqwatch.core.stream;

import com.google.common.hash.Hashing;
import io.seqwatch.api.ActionType;
import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.core.pipeline.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import io.seqwatch.core.io.EventRecords;

/**
 * The snapshot file of a {@link StreamingScorer}: a documented binary layout (never Java
 * serialisation) written with {@link DataOutputStream}: the magic {@code SEQWATCH-STREAM}, format
 * version, the id of the signing key (version 2; empty when unsigned), a fingerprint of the pipeline (detector, state kind, grouping, threshold, training time),
 * the caller's attributes (version 2: a count, then key and value strings; e.g. how far into its
 * input the stream had read), the watermark, counters and every held sequence (key, burst start (version 3; before it a burst number), processed time, score, episode flag,
 * representation state, same-time identities, buffered events); then the SHA-256 of all of that,
 * or with a {@link SigningKey} its HMAC-SHA256, so that a rehashed edit is refused too.
 * A snapshot of another pipeline, another version or with one changed byte is refused.
 *
 * <p>Thread-safety: stateless; the caller quiets the scorer.
 */
final class StreamSnapshot {
  private static final String MAGIC = "SEQWATCH-STREAM";
  /** Version 3 names gap-grouped sequences by their first event's time (a long) where 1 and 2 counted them (an int). */
  static final int VERSION = 3;

  private StreamSnapshot() {}

  /** What {@link #read} restores. */
  record Restored(List<SequenceState> states, long maxTimestamp, long arrivals, Map<String, String> attributes) {}

  static String fingerprint(StreamingScorer s) {
    var p = s.pipeline();
    return p.provenance().detector() + "|" + s.mode() + "|" + p.grouping().spec() + "|" + p.threshold().value() + "|"
        + p.provenance().trainedAt();
  }

  static void write(StreamingScorer scorer, Path file, List<SequenceState> states, long maxTimestamp, long arrivals,
      Map<String, String> attributes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(scorer.signingKey().map(SigningKey::id).orElse(""));
      out.writeUTF(fingerprint(scorer));
      out.writeInt(attributes.size());
      for (Map.Entry<String, String> a : new TreeMap<>(attributes).entrySet()) {
        out.writeUTF(a.getKey());
        out.writeUTF(a.getValue());
      }
      out.writeLong(maxTimestamp);
      out.writeLong(arrivals);
      StreamingScorer.Counters c = scorer.counters;
      for (long v : new long[] {c.events.get(), c.scored.get(), c.late.get(), c.duplicates.get(), c.alerts.get(),
          c.evicted.get()}) {
        out.writeLong(v);
      }
      out.writeInt(states.size());
      for (SequenceState s : states) {
        synchronized (s) {
          writeState(out, scorer, s);
        }
      }
    }
    byte[] body = bytes.toByteArray();
    byte[] sha = scorer.signingKey().map(k -> k.sign(body)).orElseGet(() -> Hashing.sha256().hashBytes(body).asBytes());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = Files.createTempFile(parent, ".stream-", ".tmp");
    try {
      Files.write(tmp, concat(body, sha));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** One sequence's state: key, burst, times, score, episode, representation state, identities, buffer. */
  static void writeState(DataOutputStream out, StreamingScorer scorer, SequenceState s) throws IOException {
    out.writeUTF(s.stateKey);
    out.writeLong(s.burstStart);
    out.writeLong(s.processedUpTo);
    out.writeLong(s.lastSeen);
    out.writeDouble(s.score);
    out.writeBoolean(s.inEpisode);
    s.state.write(out);
    out.writeInt(s.sameTime.size());
    for (io.seqwatch.core.prep.EventIdentity id : s.sameTime) {
      EventRecords.write(out, new BehaviorEvent(id.actor(), id.session(), id.timestampMillis(), id.action(), ActionType.OTHER,
          id.item(), id.category(), id.price(), 0, id.attributes()));
    }
    out.writeInt(s.pending.size());
    for (SequenceState.Pending p : s.pending) {
      EventRecords.write(out, p.event());
      out.writeLong(p.arrival());
    }
  }

  /** Reads what {@link #writeState} wrote (in snapshot format {@code version}). */
  static SequenceState readState(DataInputStream in, StreamingScorer scorer, int version) throws IOException {
    String key = in.readUTF();
    long burstStart = version < 3 ? in.readInt() : in.readLong(); // before 3 a burst number, refused with gaps
    long processed = in.readLong();
    long lastSeen = in.readLong();
    double score = in.readDouble();
    boolean episode = in.readBoolean();
    RunningState state = scorer.mode().read(scorer, in);
    SequenceState s = new SequenceState(key, state, lastSeen, scorer.pipeline().grouping());
    s.burstStart = burstStart;
    s.processedUpTo = processed;
    s.score = score;
    s.inEpisode = episode;
    int same = in.readInt();
    for (int k = 0; k < same; k++) {
      s.sameTime.add(io.seqwatch.core.prep.EventIdentity.of(EventRecords.read(in)));
    }
    int pending = in.readInt();
    for (int k = 0; k < pending; k++) {
      s.pending.add(new SequenceState.Pending(EventRecords.read(in), in.readLong()));
    }
    return s;
  }

  static Restored read(StreamingScorer scorer, Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int trailer = scorer.signingKey().map(SigningKey::signatureLength).orElse(32);
    if (all.length < trailer) {
      throw new ModelFormatException("streaming snapshot " + file + " is truncated (" + all.length + " bytes)");
    }
    byte[] body = Arrays.copyOf(all, all.length - trailer);
    byte[] sha = Arrays.copyOfRange(all, all.length - trailer, all.length);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new ModelFormatException(file + " is not a Seqwatch streaming snapshot");
      }
      int version = in.readInt();
      if (version < 1 || version > VERSION) {
        throw new ModelFormatException("streaming snapshot " + file + " has format version " + version
            + "; this Seqwatch reads " + VERSION);
      }
      // the key id is read before the check only to say which check applies and what is wrong
      String signedBy = version == 1 ? "" : in.readUTF();
      checkTrailer(file, body, sha, signedBy, scorer.signingKey());
      if (version < 3 && scorer.pipeline().grouping().gap().isPresent()) {
        throw new ModelFormatException("streaming snapshot " + file + " has format version " + version
            + ", which numbered gap-grouped sequences (u7#2) where this Seqwatch names them by their first event's"
            + " time (u7#2017-11-25T09:14:02Z); start the stream without it, or finish it with the version that wrote it");
      }
      String fp = in.readUTF();
      if (!fp.equals(fingerprint(scorer))) {
        throw new ModelFormatException("streaming snapshot " + file + " was written for another pipeline (" + fp
            + "), not this one (" + fingerprint(scorer) + ")");
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      int count = version == 1 ? 0 : in.readInt();
      if (count < 0 || count > 10_000) {
        throw new ModelFormatException("streaming snapshot " + file + " declares " + count + " attributes");
      }
      for (int i = 0; i < count; i++) {
        attributes.put(in.readUTF(), in.readUTF());
      }
      long maxTimestamp = in.readLong();
      long arrivals = in.readLong();
      StreamingScorer.Counters c = scorer.counters;
      c.events.set(in.readLong());
      c.scored.set(in.readLong());
      c.late.set(in.readLong());
      c.duplicates.set(in.readLong());
      c.alerts.set(in.readLong());
      c.evicted.set(in.readLong());
      int n = in.readInt();
      List<SequenceState> states = new ArrayList<>(Math.max(0, Math.min(n, 1 << 20)));
      for (int i = 0; i < n; i++) {
        states.add(readState(in, scorer, version));
      }
      if (in.available() != 0) {
        throw new ModelFormatException("streaming snapshot " + file + " has " + in.available() + " unread bytes");
      }
      return new Restored(states, maxTimestamp, arrivals, Map.copyOf(attributes));
    } catch (IOException | IllegalArgumentException e) { // reading an in-memory body: a format problem
      throw new ModelFormatException("streaming snapshot " + file + " is inconsistent: " + e, e);
    }
  }

  /** Verifies the trailer: a SHA-256 of the body, or with a signing key its HMAC; says what is wrong. */
  private static void checkTrailer(Path file, byte[] body, byte[] trailer, String signedBy, Optional<SigningKey> key) {
    String where = "streaming snapshot " + file;
    if (key.isEmpty()) {
      if (!signedBy.isEmpty()) {
        throw new ModelFormatException(where + " is signed (key " + signedBy + "): give the scorer that signing key");
      }
      if (!Arrays.equals(trailer, Hashing.sha256().hashBytes(body).asBytes())) {
        throw new ModelFormatException(where + " is corrupt: its SHA-256 does not match; the file was damaged or edited");
      }
      return;
    }
    if (signedBy.isEmpty()) {
      throw new ModelFormatException(where + " is refused: it is not signed, and this scorer accepts only snapshots "
          + "signed with key " + key.get().id());
    }
    if (!signedBy.equals(key.get().id())) {
      throw new ModelFormatException(where + " is refused: it is signed with key " + signedBy + ", not with this "
          + "scorer's key " + key.get().id());
    }
    if (!key.get().verifies(body, trailer)) {
      throw new ModelFormatException(where + " is refused: its signature does not match; the file was damaged or "
          + "edited after it was signed");
    }
  }



  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
