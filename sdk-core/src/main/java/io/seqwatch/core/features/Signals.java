package io.seqwatch.core.features;

import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The traffic signals the behaviour features use besides actions and times: which of an event's
 * {@linkplain Attributes attributes} ({@code device}, {@code ip}, {@code user_agent}, {@code query},
 * and {@code actor.created} from a profile side table)
 * add features. Written as the option {@code signals}: {@code auto} (the default: each signal whose
 * attribute at least {@value #AUTO_MIN_SHARE_PERCENT} % of the training events carry), {@code none},
 * or a comma list such as {@code device,ip}. A fitted extractor always records the resolved list,
 * so a model scores with the signals it was trained on.
 *
 * <p>Thread-safety: immutable.
 *
 * @param kinds the signals in use
 */
public record Signals(Set<Kind> kinds) {
  /**
   * The attribute with an account's creation time (Unix seconds or milliseconds, or an ISO-8601
   * instant), as a profile side table joined on the actor provides it.
   */
  public static final String ACCOUNT_CREATED = "actor.created";

  /** The share of training events (in percent) that must carry an attribute for {@code auto} to use it. */
  static final int AUTO_MIN_SHARE_PERCENT = 1;
  /** No signals: the features of a log that has only actions, items and times. */
  public static final Signals NONE = new Signals(EnumSet.noneOf(Kind.class));

  /** One signal, by the attribute that carries it. */
  public enum Kind {
    DEVICE(Attributes.DEVICE),
    IP(Attributes.IP),
    USER_AGENT(Attributes.USER_AGENT),
    QUERY(Attributes.QUERY),
    /** When the account was created, from a user-profile side table ({@code --actors}). */
    ACCOUNT(ACCOUNT_CREATED);

    private final String attribute;

    Kind(String attribute) {
      this.attribute = attribute;
    }

    /** The attribute name that carries the signal. */
    public String attribute() {
      return attribute;
    }

    /** The option spelling: {@code device}, {@code ip}, {@code user-agent}, {@code query}. */
    public String optionName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public Signals {
    kinds = kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
  }

  /** Whether {@code k} is used. */
  public boolean has(Kind k) {
    return kinds.contains(k);
  }

  /** Whether no signal is used. */
  public boolean isEmpty() {
    return kinds.isEmpty();
  }

  /** The option value that recreates these signals: a comma list in a fixed order, or {@code none}. */
  public String spec() {
    if (kinds.isEmpty()) {
      return "none";
    }
    List<String> l = new ArrayList<>();
    for (Kind k : kinds) { // EnumSet iterates in declaration order
      l.add(k.optionName());
    }
    return String.join(",", l);
  }

  /** Whether {@code spec} asks to decide from the training data. */
  static boolean isAuto(String spec) {
    return spec.trim().equals("auto");
  }

  /**
   * Parses {@code none} or a comma list of signal names.
   *
   * @throws ConfigurationException for an unknown name (or {@code auto}, which only a fit resolves)
   */
  public static Signals parse(String spec) {
    String s = spec.trim();
    if (s.equals("none") || s.isEmpty()) {
      return NONE;
    }
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (String part : s.split(",")) {
      String p = part.trim();
      Kind found = null;
      for (Kind k : Kind.values()) {
        if (k.optionName().equals(p) || k.attribute().equals(p)) {
          found = k;
        }
      }
      if (found == null) {
        throw new ConfigurationException("option signals=" + spec + ": '" + p + "' is not a signal; signals: auto, "
            + "none, or a comma list of device, ip, user-agent, query, account");
      }
      kinds.add(found);
    }
    return new Signals(kinds);
  }

  /** The signals whose attribute at least {@value #AUTO_MIN_SHARE_PERCENT} % of the events carry. */
  public static Signals present(List<BehaviorSequence> training) {
    long events = 0;
    long[] carrying = new long[Kind.values().length];
    if (training instanceof io.seqwatch.core.prep.TableSequences t) { // the columns, without building events
      for (int i = 0; i < t.size(); i++) {
        events += t.rowCount(i);
      }
      for (Kind k : Kind.values()) {
        if (!t.table().hasAttributeColumn(k.attribute())) {
          continue; // no row has it
        }
        for (int i = 0; i < t.size(); i++) {
          for (int j = 0; j < t.rowCount(i); j++) {
            carrying[k.ordinal()] += t.table().hasAttribute(t.row(i, j), k.attribute()) ? 1 : 0;
          }
        }
      }
      return chosen(events, carrying);
    }
    for (BehaviorSequence s : training) {
      for (BehaviorEvent e : s.events()) {
        events++;
        Attributes a = e.attributes();
        if (a.isEmpty()) {
          continue;
        }
        for (Kind k : Kind.values()) {
          if (a.has(k.attribute())) {
            carrying[k.ordinal()]++;
          }
        }
      }
    }
    return chosen(events, carrying);
  }

  /** The kinds that at least {@value #AUTO_MIN_SHARE_PERCENT} % of {@code events} carry ({@code carrying} by kind). */
  private static Signals chosen(long events, long[] carrying) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (Kind k : Kind.values()) {
      if (events > 0 && carrying[k.ordinal()] * 100 >= events * AUTO_MIN_SHARE_PERCENT && carrying[k.ordinal()] > 0) {
        kinds.add(k);
      }
    }
    return new Signals(kinds);
  }
}
