package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Taobao UserBehavior: no header, {@code user_id,item_id,category_id,behavior_type,timestamp} with
 * behavior_type in {@code pv|cart|fav|buy} and the timestamp in Unix seconds.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
final class TaobaoReader extends LineEventReader {
  private static final String LAYOUT = "user_id,item_id,category_id,behavior_type,timestamp";

  TaobaoReader() {
    super(false);
  }

  @Override
  public String format() {
    return "taobao";
  }

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
    List<String> f = CsvLine.split(line, ',');
    Fields.count(f, 5, LAYOUT);
    String user = Fields.required(f.get(0), "user_id");
    String item = Fields.required(f.get(1), "item_id");
    String category = Fields.required(f.get(2), "category_id");
    String behavior = Fields.required(f.get(3), "behavior_type");
    ActionType type;
    switch (behavior) {
      case "pv" -> type = ActionType.VIEW;
      case "cart" -> type = ActionType.CART;
      case "fav" -> type = ActionType.FAVORITE;
      case "buy" -> type = ActionType.PURCHASE;
      default -> throw new RecordException(
          "behavior_type '" + behavior + "' is not one of pv, cart, fav, buy");
    }
    long ts = Fields.epochSeconds(f.get(4), "timestamp");
    out.add(new BehaviorEvent(user, Optional.empty(), ts, behavior, type, Optional.of(item),
        Optional.of(category), OptionalDouble.empty(), lineNumber));
  }
}
