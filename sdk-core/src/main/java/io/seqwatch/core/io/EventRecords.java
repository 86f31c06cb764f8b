package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ModelFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The binary record of one {@link BehaviorEvent} (never Java serialisation), shared by streaming
 * snapshots, the Flink job's keyed state and the spill files of {@code PartitionedScorer}: actor
 * (modified UTF-8), session (presence flag, value), time (long), action, action type name, item,
 * category (each optional), price (flag, double), then the line; a negative line {@code -1 - line}
 * marks that attributes follow (count, then name, type ordinal and a double or a string each).
 *
 * <p>Thread-safety: stateless.
 */
public final class EventRecords {
  private EventRecords() {}

  /** Writes {@code e}. */
  public static void write(DataOutput out, BehaviorEvent e) throws IOException {
    out.writeUTF(e.actorId());
    writeOptional(out, e.sessionId());
    out.writeLong(e.timestampMillis());
    out.writeUTF(e.action());
    out.writeUTF(e.type().name());
    writeOptional(out, e.itemId());
    writeOptional(out, e.categoryId());
    out.writeBoolean(e.price().isPresent());
    if (e.price().isPresent()) {
      out.writeDouble(e.price().getAsDouble());
    }
    if (e.attributes().isEmpty()) {
      out.writeLong(e.line());
      return;
    }
    out.writeLong(-1 - e.line()); // a line is never negative: the mark that attributes follow
    Attributes a = e.attributes();
    out.writeInt(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.writeUTF(a.name(i));
      out.writeByte(a.type(i).ordinal());
      if (a.type(i) == AttributeType.NUMERIC) {
        out.writeDouble(a.number(i));
      } else {
        out.writeUTF(a.valueText(i));
      }
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws ModelFormatException when the bytes are not an event record
   */
  public static BehaviorEvent read(DataInput in) throws IOException {
    String actor = in.readUTF();
    Optional<String> session = readOptional(in);
    long ts = in.readLong();
    String action = in.readUTF();
    ActionType type = ActionType.valueOf(in.readUTF());
    Optional<String> item = readOptional(in);
    Optional<String> category = readOptional(in);
    OptionalDouble price = in.readBoolean() ? OptionalDouble.of(in.readDouble()) : OptionalDouble.empty();
    long line = in.readLong();
    if (line >= 0) {
      return new BehaviorEvent(actor, session, ts, action, type, item, category, price, line);
    }
    int n = in.readInt();
    if (n < 1 || n > 100_000) {
      throw new ModelFormatException("event record: an event with " + n + " attributes");
    }
    Attributes.Builder b = Attributes.builder();
    AttributeType[] types = AttributeType.values();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int t = in.readByte();
      if (t < 0 || t >= types.length) {
        throw new ModelFormatException("event record: attribute '" + name + "' has an unknown type " + t);
      }
      if (types[t] == AttributeType.NUMERIC) {
        b.numeric(name, in.readDouble());
      } else {
        b.add(name, types[t], in.readUTF());
      }
    }
    return new BehaviorEvent(actor, session, ts, action, type, item, category, price, -1 - line, b.build());
  }


  private static void writeOptional(DataOutput out, Optional<String> v) throws IOException {
    out.writeBoolean(v.isPresent());
    if (v.isPresent()) {
      out.writeUTF(v.get());
    }
  }

  private static Optional<String> readOptional(DataInput in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
  }}
