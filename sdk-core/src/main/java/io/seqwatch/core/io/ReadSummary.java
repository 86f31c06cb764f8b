package io.seqwatch.core.io;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one read. {@code accepted + rejected == read} always holds; blank lines are not records
 * and are counted apart.
 *
 * @param read records (non-blank, non-header lines) read
 * @param accepted records turned into events
 * @param rejected records rejected with a reason
 * @param blankLines blank lines skipped
 * @param events events produced (a tokens line yields several)
 * @param attributes the attributes kept, as {@code name (type)}, with the number of events that
 *     carry each
 * @param ignored the source fields not kept, with the number of accepted records that had each and
 *     why in the key ({@code name (object)}: nested values are not attributes)
 *     <p>Thread-safety: immutable.
 */
public record ReadSummary(long read, long accepted, long rejected, long blankLines, long events,
    Map<String, Long> attributes, Map<String, Long> ignored) {
  public ReadSummary {
    if (accepted + rejected != read) {
      throw new IllegalStateException(
          "reader lost records: read " + read + " but accepted " + accepted + " + rejected " + rejected);
    }
    attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    ignored = Collections.unmodifiableMap(new TreeMap<>(ignored));
  }

  /** Counts of a read that kept no attributes and ignored nothing. */
  public ReadSummary(long read, long accepted, long rejected, long blankLines, long events) {
    this(read, accepted, rejected, blankLines, events, Map.of(), Map.of());
  }

  /**
   * What was kept and ignored beyond the fixed fields, for people: {@code attributes kept: device
   * (categorical) 4,321, ...; ignored: tags (object) 12}; empty when there was nothing.
   */
  public String fieldsText() {
    StringBuilder s = new StringBuilder();
    if (!attributes.isEmpty()) {
      s.append("attributes kept: ").append(list(attributes));
    }
    if (!ignored.isEmpty()) {
      s.append(s.length() == 0 ? "" : "; ").append("ignored: ").append(list(ignored));
    }
    return s.toString();
  }

  private static String list(Map<String, Long> m) {
    StringBuilder s = new StringBuilder();
    m.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", k, v)));
    return s.toString();
  }
}
