package io.seqwatch.core.prep;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.ConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Events held column-wise, for inputs too large to keep as objects: actor and session ids, items,
 * categories, actions and attribute values dictionary-encoded ({@link TextDictionary}: each distinct
 * string once, packed) into primitive arrays, timestamps as longs, prices and numeric attributes as
 * bits, one typed column per attribute name. A column that no event has filled yet (sessions in a
 * log without them, prices, each attribute) takes no memory, and a page of equal values (the line,
 * kept as line - row, of a file read in order) is one value. A Taobao-shaped event costs 24 bytes
 * plus its share of the dictionaries (38-40 bytes in all on Taobao's slice repeated to 1-10M
 * events), where a {@link BehaviorEvent} object alone is 64.
 *
 * <p>{@link #event(int)} gives an event back as a {@code BehaviorEvent} equal to the one added (a new
 * object each call); {@link Preprocessor#order} cleans and {@link Grouping#group(EventTable, int[])}
 * groups the table by sorting indices, and the sequences come back as a list that builds each
 * sequence when it is read. Rows are numbered in the order they were added.
 *
 * <p>Thread-safety: not thread-safe while events are added; after the last {@link #add}, reads may run
 * concurrently.
 */
public final class EventTable implements io.seqwatch.core.io.ColumnSink {
  private static final int TYPES = ActionType.values().length;
  private static final ActionType[] ACTION_TYPES = ActionType.values();
  private static final long NO_VALUE = Double.doubleToRawLongBits(Double.NaN) ^ 0x5eedL; // never a stored value's bits

  // actor and session ids share one dictionary, as the list grouping compares them as strings
  private final TextDictionary keys = new TextDictionary();
  private final TextDictionary actions = new TextDictionary();
  private final TextDictionary items = new TextDictionary();
  private final TextDictionary categories = new TextDictionary();
  private final TextDictionary values = new TextDictionary(); // categorical and text attribute values
  private final Map<String, Column[]> columnsByName = new HashMap<>();
  private final List<Column> columns = new ArrayList<>();
  private int size;
  private final IntPages actor = new IntPages(0);
  // Rows from pendingFrom on (-1: none) wait for their actor's id: while every key is a plain number,
  // a row keeps its actor's number here and the ids of all waiting rows come in one go when the
  // table is first read (resolve): a probe per row of a dictionary of a million actors misses the
  // cache on almost every row, and was a third of reading a Taobao-shaped log
  private LongPages pendingActor = new LongPages(-1);
  private volatile int pendingFrom = -1;
  private final LongPages time = new LongPages(0);
  private final IntPages action = new IntPages(0); // action id * TYPES + type ordinal
  private final LongPages line = new LongPages(0); // line - row: constant pages for a file read in order
  private final IntPages session = new IntPages(-1);
  private final IntPages item = new IntPages(-1);
  private final IntPages category = new IntPages(-1);
  private final LongPages price = new LongPages(NO_VALUE); // doubleToLongBits
  // the fast path's last action string (by reference) and its code, per action type
  private final String[] lastAction = new String[TYPES];
  private final int[] lastActionCode = new int[TYPES];

  /** One attribute name and type: dictionary ids (categorical, text) or value bits (numeric). */
  private static final class Column {
    final String name;
    final AttributeType type;
    final IntPages ids; // categorical and text
    final LongPages bits; // numeric

    Column(String name, AttributeType type) {
      this.name = name;
      this.type = type;
      this.ids = type == AttributeType.NUMERIC ? null : new IntPages(-1);
      this.bits = type == AttributeType.NUMERIC ? new LongPages(NO_VALUE) : null;
    }

    boolean present(int i) {
      return ids != null ? ids.get(i) >= 0 : bits.get(i) != NO_VALUE;
    }

    long value(int i) {
      return ids != null ? ids.get(i) : bits.get(i);
    }
  }

  /** An empty table. */
  public EventTable() {}

  /** A table holding {@code events} in their order. */
  public static EventTable of(List<BehaviorEvent> events) {
    EventTable t = new EventTable();
    for (BehaviorEvent e : events) {
      t.add(e);
    }
    return t;
  }

  /** Number of events. */
  public int size() {
    return size;
  }

  /**
   * Adds an event as the next row.
   *
   * @throws ConfigurationException past 2^31 - 16 events (train on a sample or score in partitions)
   */
  public void add(BehaviorEvent e) {
    int i = nextRow();
    actor(i, e.actorId());
    time.set(i, e.timestampMillis());
    action.set(i, actions.id(e.action()) * TYPES + e.type().ordinal());
    line.set(i, e.line() - i);
    session.set(i, e.sessionId().isPresent() ? keys.id(e.sessionId().get()) : -1);
    item.set(i, e.itemId().isPresent() ? items.id(e.itemId().get()) : -1);
    category.set(i, e.categoryId().isPresent() ? categories.id(e.categoryId().get()) : -1);
    price.set(i, e.price().isPresent() ? Double.doubleToLongBits(e.price().getAsDouble()) : NO_VALUE);
    Attributes a = e.attributes();
    int k = 0;
    for (Column c : columns) { // columns in order of first sight; the event's attributes sorted by name
      int at = index(a, c);
      if (c.ids != null) {
        c.ids.set(i, at < 0 ? -1 : values.id(a.valueText(at)));
      } else {
        c.bits.set(i, at < 0 ? NO_VALUE : Double.doubleToLongBits(a.number(at)));
      }
      k += at < 0 ? 0 : 1;
    }
    if (k < a.size()) { // names or types not seen before
      for (int j = 0; j < a.size(); j++) {
        Column c = column(a.name(j), a.type(j));
        if (!c.present(i)) {
          if (c.ids != null) {
            c.ids.set(i, values.id(a.valueText(j)));
          } else {
            c.bits.set(i, Double.doubleToLongBits(a.number(j)));
          }
        }
      }
    }
    size++;
  }

  /**
   * Adds a row whose actor, item and category ids are regions of {@code text}, ASCII bytes (non-blank
   * ids), with no session, price or attributes: the row {@link #add} adds for the event with those
   * values, without making the event or the strings (a reader's fast path).
   *
   * @param action the raw action, {@code type} its type
   * @throws ConfigurationException past 2^31 - 16 events
   */
  public void add(byte[] text, int actorFrom, int actorTo, int itemFrom, int itemTo, int categoryFrom,
      int categoryTo, String action, ActionType type, long timestampMillis, long lineNumber) {
    int i = nextRow();
    if (!waits(i, keys.holdsNumbers() ? TextDictionary.number(text, actorFrom, actorTo) : -1)) {
      actor.set(i, keys.id(text, actorFrom, actorTo));
    }
    time.set(i, timestampMillis);
    int code;
    if (action == lastAction[type.ordinal()]) { // a reader passes the same few action strings
      code = lastActionCode[type.ordinal()];
    } else {
      code = actions.id(action) * TYPES + type.ordinal();
      lastAction[type.ordinal()] = action;
      lastActionCode[type.ordinal()] = code;
    }
    this.action.set(i, code);
    line.set(i, lineNumber - i);
    session.set(i, -1);
    item.set(i, items.id(text, itemFrom, itemTo));
    category.set(i, categories.id(text, categoryFrom, categoryTo));
    price.set(i, NO_VALUE);
    for (Column c : columns) {
      if (c.ids != null) {
        c.ids.set(i, -1);
      } else {
        c.bits.set(i, NO_VALUE);
      }
    }
    size++;
  }

  /**
   * Sets row {@code i}'s actor: a plain number, while the keys are numbers, waits for {@link #resolve};
   * any other actor gets its id now, after the rows waiting before it.
   */
  private void actor(int i, String actorId) {
    if (!waits(i, keys.holdsNumbers() ? TextDictionary.number(actorId, 0, actorId.length()) : -1)) {
      actor.set(i, keys.id(actorId));
    }
  }

  /**
   * Whether row {@code i}'s actor, the plain number {@code number} (-1: not one, or the keys are not
   * numbers), waits for its id; when it does not, the rows waiting before it have their ids now and
   * the caller sets this row's.
   */
  private boolean waits(int i, long number) {
    if (number < 0) {
      resolve();
      return false;
    }
    if (pendingFrom < 0) {
      pendingFrom = i;
    }
    pendingActor.set(i, number);
    return true;
  }

  /**
   * Gives the rows waiting for their actor's id their ids ({@link TextDictionary#ids}: hashed in
   * parts that fit the cache, each distinct actor looked up once). Every reader of actor ids calls it
   * first; concurrent readers resolve once.
   */
  private void resolve() {
    if (pendingFrom >= 0) {
      resolvePending();
    }
  }

  private synchronized void resolvePending() {
    int from = pendingFrom;
    if (from < 0) {
      return;
    }
    int n = size - from;
    long[] numbers = new long[n];
    for (int k = 0; k < n; k++) {
      numbers[k] = pendingActor.get(from + k);
    }
    int[] ids = keys.ids(numbers, n);
    for (int k = 0; k < n; k++) {
      actor.set(from + k, ids[k]);
    }
    pendingActor = new LongPages(-1);
    pendingFrom = -1;
  }

  /** The number of the row about to be added; refuses one past 2^31 - 16 rows. */
  private int nextRow() {
    if (size == Integer.MAX_VALUE - 16) {
      throw new ConfigurationException("more than " + size + " events in memory; train on a sample (--sample) or "
          + "score in partitions (--partitions)");
    }
    return size;
  }

  /** Where {@code c}'s attribute is in {@code a}, or -1. */
  private static int index(Attributes a, Column c) {
    for (int j = 0; j < a.size(); j++) {
      if (a.type(j) == c.type && a.name(j).equals(c.name)) {
        return j;
      }
    }
    return -1;
  }

  /** Adds {@code e} (as {@link #add}): a table is a reader's consumer. */
  @Override
  public void accept(BehaviorEvent e) {
    add(e);
  }

  /** This table: readers with a fast path add plain records to it directly. */
  @Override
  public EventTable table() {
    return this;
  }

  /** Row {@code i} as an event equal to the one added. */
  public BehaviorEvent event(int i) {
    resolve();
    return event(i, keys.text(actor.get(i)));
  }

  /**
   * Row {@code i} as an event with {@code actorId}, the text of its actor (the caller's copy: the
   * events of a sequence share one string instead of decoding it per event).
   */
  BehaviorEvent event(int i, String actorId) {
    resolve(); // the session's id may be one of the waiting actors'
    int a = action.get(i);
    long p = price.get(i);
    return new BehaviorEvent(actorId, optional(keys, session, i), time.get(i),
        actions.text(a / TYPES), ACTION_TYPES[a % TYPES], optional(items, item, i), optional(categories, category, i),
        p == NO_VALUE ? OptionalDouble.empty() : OptionalDouble.of(Double.longBitsToDouble(p)), line(i),
        attributes(i));
  }

  /**
   * Heap held by the columns and dictionaries, in bytes (array contents; the few object headers
   * aside).
   */
  public synchronized long heapBytes() { // not while another thread resolves the waiting actors
    // the waiting actors as they are (8 bytes a row, more than their ids will cost): a reader that
    // checks memory while it adds must not make them resolve in small batches
    long b = keys.heapBytes() + actions.heapBytes() + items.heapBytes() + categories.heapBytes() + values.heapBytes()
        + actor.heapBytes() + pendingActor.heapBytes() + time.heapBytes() + action.heapBytes() + line.heapBytes()
        + session.heapBytes() + item.heapBytes() + category.heapBytes() + price.heapBytes();
    for (Column c : columns) {
      b += c.ids != null ? c.ids.heapBytes() : c.bits.heapBytes();
    }
    return b;
  }

  /** Drops the dictionaries' spare capacity (call after the last {@link #add}; columns grow by pages). */
  public void trim() {
    resolve();
    keys.trim();
    actions.trim();
    items.trim();
    categories.trim();
    values.trim();
  }

  // ---- what a reader of the columns reads (the behaviour features of TableSequences)

  /** The time of row {@code i}, in epoch milliseconds. */
  public long time(int i) {
    return time.get(i);
  }

  /**
   * Row {@code i}'s raw action and its type in one value: {@link #actionIdOfCode} gives the action's
   * dictionary id ({@link #actionText} its text), {@link #typeOfCode} the type.
   */
  public int actionCode(int i) {
    return action.get(i);
  }

  /** The action id of an {@link #actionCode}. */
  public static int actionIdOfCode(int code) {
    return code / TYPES;
  }

  /** The action type of an {@link #actionCode}. */
  public static ActionType typeOfCode(int code) {
    return ACTION_TYPES[code % TYPES];
  }

  /** The ordinal of the action type of an {@link #actionCode}: {@code typeOfCode(code).ordinal()}. */
  public static int typeOrdinalOfCode(int code) {
    return code % TYPES;
  }

  /** Number of distinct raw actions (the range of {@link #actionIdOfCode}). */
  public int actionCount() {
    return actions.size();
  }

  /** The raw action of an action id. */
  public String actionText(int id) {
    return actions.text(Objects.checkIndex(id, actions.size()));
  }

  /** The dictionary id of row {@code i}'s item (equal ids, equal item ids), or -1 when it has none. */
  public int itemId(int i) {
    return item.get(i);
  }

  /** The dictionary id of row {@code i}'s category, or -1 when it has none. */
  public int categoryId(int i) {
    return category.get(i);
  }

  /** Whether row {@code i} has an attribute {@code name} (of any type), as {@code event(i).attributes().has(name)}. */
  public boolean hasAttribute(int i, String name) {
    Column[] byType = columnsByName.get(name);
    if (byType != null) {
      for (Column c : byType) {
        if (c != null && c.present(i)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether any row has an attribute {@code name}. */
  public boolean hasAttributeColumn(String name) {
    return columnsByName.containsKey(name);
  }

  /** The line (record number) row {@code i} was read from. */
  public long line(int i) {
    return line.get(i) + i;
  }

  // ---- what cleaning and grouping read (package-private)

  /** Dictionary id of the actor. */
  int actor(int i) {
    resolve();
    return actor.get(i);
  }

  /** Dictionary id of the session, or -1. */
  int session(int i) {
    return session.get(i);
  }

  /** Number of distinct actor and session ids (the range of {@link #actor} and {@link #session}). */
  int keyCount() {
    resolve();
    return keys.size();
  }

  /** The actor or session id of a key id. */
  String keyText(int key) {
    resolve();
    return keys.text(key);
  }

  boolean hasItem(int i) {
    return item.get(i) >= 0;
  }

  boolean hasCategory(int i) {
    return category.get(i) >= 0;
  }

  /** A hash of what makes an event an exact duplicate ({@link EventIdentity}), time aside. */
  long identityHash(int i) {
    resolve();
    long h = actor.get(i) * 0x9E3779B97F4A7C15L + action.get(i) / TYPES; // the raw action: the type is derived
    h = h * 31 + session.get(i);
    h = h * 31 + item.get(i);
    h = h * 31 + category.get(i);
    h = h * 31 + price.get(i);
    for (Column c : columns) {
      h = h * 31 + c.value(i);
    }
    return h ^ (h >>> 29);
  }

  /** Whether rows {@code i} and {@code j} are exact duplicates (equal {@link EventIdentity}). */
  boolean sameIdentity(int i, int j) {
    resolve();
    if (time.get(i) != time.get(j) || actor.get(i) != actor.get(j) || action.get(i) / TYPES != action.get(j) / TYPES
        || session.get(i) != session.get(j) || item.get(i) != item.get(j) || category.get(i) != category.get(j)
        || price.get(i) != price.get(j)) {
      return false;
    }
    for (Column c : columns) {
      if (c.value(i) != c.value(j)) {
        return false;
      }
    }
    return true;
  }

  // ---- internals

  private static Optional<String> optional(TextDictionary d, IntPages ids, int i) {
    int id = ids.get(i);
    return id < 0 ? Optional.empty() : Optional.of(d.text(id));
  }

  private Attributes attributes(int i) {
    Attributes.Builder b = null;
    for (Column c : columns) {
      if (c.present(i)) {
        if (b == null) {
          b = Attributes.builder();
        }
        if (c.ids != null) {
          b.add(c.name, c.type, values.text(c.ids.get(i)));
        } else {
          b.numeric(c.name, Double.longBitsToDouble(c.bits.get(i)));
        }
      }
    }
    return b == null ? Attributes.EMPTY : b.build();
  }

  private Column column(String name, AttributeType type) {
    Column[] byType = columnsByName.computeIfAbsent(name, n -> new Column[AttributeType.values().length]);
    Column c = byType[type.ordinal()];
    if (c == null) {
      c = new Column(name, type);
      byType[type.ordinal()] = c;
      columns.add(c);
    }
    return c;
  }
}
