package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.prep.EventTable;
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

  /**
   * Five plain fields (no quotes, no surrounding blanks), a known behaviour and a timestamp of
   * digits in range go straight into the table; everything else is left to {@link #parse}, which
   * accepts or rejects it with its reason.
   */
  @Override
  boolean parseInto(byte[] line, int from, int to, long lineNumber, EventTable table) {
    int c1 = -1;
    int c2 = -1;
    int c3 = -1;
    int c4 = -1;
    int commas = 0;
    for (int i = from; i < to; i++) { // one pass: the four commas, no fifth, no quote
      byte c = line[i];
      if (c == ',') {
        switch (commas++) {
          case 0 -> c1 = i;
          case 1 -> c2 = i;
          case 2 -> c3 = i;
          case 3 -> c4 = i;
          default -> {
            return false;
          }
        }
      } else if (c == '"') {
        return false;
      }
    }
    if (commas != 4 || !plain(line, from, c1) || !plain(line, c1 + 1, c2) || !plain(line, c2 + 1, c3)
        || !plain(line, c4 + 1, to)) {
      return false;
    }
    String behavior;
    ActionType type;
    int b = c3 + 1;
    int len = c4 - b;
    if (len == 2 && line[b] == 'p' && line[b + 1] == 'v') {
      behavior = "pv";
      type = ActionType.VIEW;
    } else if (len == 4 && line[b] == 'c' && line[b + 1] == 'a' && line[b + 2] == 'r' && line[b + 3] == 't') {
      behavior = "cart";
      type = ActionType.CART;
    } else if (len == 3 && line[b] == 'f' && line[b + 1] == 'a' && line[b + 2] == 'v') {
      behavior = "fav";
      type = ActionType.FAVORITE;
    } else if (len == 3 && line[b] == 'b' && line[b + 1] == 'u' && line[b + 2] == 'y') {
      behavior = "buy";
      type = ActionType.PURCHASE;
    } else {
      return false;
    }
    int t = c4 + 1;
    if (to - t > 12) {
      return false;
    }
    long seconds = 0;
    for (int i = t; i < to; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      seconds = seconds * 10 + d;
    }
    if (seconds < Fields.MIN_SECONDS || seconds >= Fields.MAX_SECONDS) {
      return false;
    }
    table.add(line, from, c1, c1 + 1, c2, c2 + 1, c3, behavior, type, seconds * 1000L, lineNumber);
    return true;
  }

  /**
   * Whether {@code line[from, to)} (ASCII) is non-empty with nothing {@link String#trim} removes at
   * either end (in ASCII that is also every {@link Character#isWhitespace} character).
   */
  private static boolean plain(byte[] line, int from, int to) {
    return to > from && line[from] > ' ' && line[to - 1] > ' ';
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
