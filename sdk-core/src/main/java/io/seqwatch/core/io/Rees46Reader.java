package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * REES46 multi-category store: header {@code
 * event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session}, time
 * like {@code 2019-10-01 00:00:00 UTC}. The category id is kept as category; brand and category code
 * are optional and may be empty, and are kept as the categorical attributes {@value #BRAND} and
 * {@value #CATEGORY_CODE} when present; a missing price is kept as absent.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
final class Rees46Reader extends LineEventReader {
  static final String HEADER =
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
  /** The attribute holding the brand. */
  static final String BRAND = "brand";
  /** The attribute holding the category code (e.g. {@code electronics.smartphone}). */
  static final String CATEGORY_CODE = "category_code";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  Rees46Reader() {
    super(true);
  }

  @Override
  public String format() {
    return "rees46";
  }

  @Override
  void checkHeader(String line) throws RecordException {
    if (!line.trim().equals(HEADER)) {
      throw new RecordException("not the REES46 header");
    }
  }

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
    List<String> f = CsvLine.split(line, ',');
    Fields.count(f, 9, HEADER);
    String time = Fields.required(f.get(0), "event_time");
    if (!time.endsWith(" UTC")) {
      throw new RecordException("event_time '" + time + "' does not end in ' UTC'");
    }
    long ts;
    try {
      ts = LocalDateTime.parse(time.substring(0, time.length() - 4), TIME)
          .toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new RecordException("event_time '" + time + "' is not 'yyyy-MM-dd HH:mm:ss UTC'");
    }
    Fields.checkMillis(ts, "event_time", time);
    String event = Fields.required(f.get(1), "event_type");
    ActionType type = switch (event) {
      case "view" -> ActionType.VIEW;
      case "cart" -> ActionType.CART;
      case "remove_from_cart" -> ActionType.REMOVE_FROM_CART;
      case "purchase" -> ActionType.PURCHASE;
      default -> throw new RecordException(
          "event_type '" + event + "' is not one of view, cart, remove_from_cart, purchase");
    };
    String product = Fields.required(f.get(2), "product_id");
    Optional<String> category = Fields.optional(f.get(3));
    String user = Fields.required(f.get(7), "user_id");
    out.add(new BehaviorEvent(user, Fields.optional(f.get(8)), ts, event, type,
        Optional.of(product), category, Fields.optionalPrice(f.get(6), "price"), lineNumber,
        attributes(f.get(4), f.get(5), context)));
  }

  private static Attributes attributes(String categoryCode, String brand, ReadContext context) {
    Optional<String> code = Fields.optional(categoryCode).map(context::shared);
    Optional<String> b = Fields.optional(brand).map(context::shared);
    if (code.isEmpty() && b.isEmpty()) {
      return Attributes.EMPTY;
    }
    Attributes.Builder a = Attributes.builder();
    code.ifPresent(c -> a.categorical(CATEGORY_CODE, c));
    b.ifPresent(v -> a.categorical(BRAND, v));
    return a.build();
  }
}
