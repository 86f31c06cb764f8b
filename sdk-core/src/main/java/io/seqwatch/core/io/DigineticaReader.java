package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Diginetica (CIKM Cup 2016) item views: header {@code session_id;user_id;item_id;timeframe;eventdate}.
 * The time is the event date (UTC midnight) plus {@code timeframe} milliseconds. When {@code user_id}
 * is {@code NA} the actor is {@code session:<session_id>}. Every record is a view.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
final class DigineticaReader extends LineEventReader {
  static final String HEADER = "session_id;user_id;item_id;timeframe;eventdate";

  DigineticaReader() {
    super(true);
  }

  @Override
  public String format() {
    return "diginetica";
  }

  @Override
  void checkHeader(String line) throws RecordException {
    if (!line.trim().equals(HEADER)) {
      throw new RecordException("not the Diginetica header");
    }
  }

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
    List<String> f = CsvLine.split(line, ';');
    Fields.count(f, 5, HEADER);
    String session = Fields.required(f.get(0), "session_id");
    Optional<String> user = Fields.optional(f.get(1));
    String item = Fields.required(f.get(2), "item_id");
    long frame;
    try {
      frame = Long.parseLong(f.get(3).trim());
    } catch (NumberFormatException e) {
      throw new RecordException("timeframe '" + f.get(3) + "' is not an integer (milliseconds)");
    }
    if (frame < 0) {
      throw new RecordException("timeframe " + frame + " is negative");
    }
    long day;
    try {
      day = LocalDate.parse(f.get(4).trim()).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new RecordException("eventdate '" + f.get(4) + "' is not yyyy-MM-dd");
    }
    long ts = day + frame;
    Fields.checkMillis(ts, "eventdate+timeframe", f.get(4));
    out.add(new BehaviorEvent(user.orElse("session:" + session), Optional.of(session), ts, "view",
        ActionType.VIEW, Optional.of(item), Optional.empty(), OptionalDouble.empty(), lineNumber));
  }
}
