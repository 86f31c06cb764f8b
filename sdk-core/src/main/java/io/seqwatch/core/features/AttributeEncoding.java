package io.seqwatch.core.features;

import com.google.common.hash.Hashing;
import io.seqwatch.api.AttributeType;
import io.seqwatch.api.Attributes;
import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.api.ConfigurationException;
import io.seqwatch.api.EncodedAttributes;
import io.seqwatch.api.Modality;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the {@code tokens} encoder turns event {@linkplain Attributes attributes} into {@link
 * EncodedAttributes} for multimodal models: a categorical attribute hashes {@code name=value}
 * (murmur3) into one of {@code buckets - 1} ids; a text attribute (the search query) fills {@value
 * #TEXT_GRAMS} slots with the hashed distinct character trigrams of its lower-cased text (a bag of
 * n-grams: similar queries share ids, so a query never typed before still lands near its
 * neighbours); a numeric attribute becomes its z-score over the training events, clipped to
 * {@code [-5, 5]}. An absent attribute is id 0 or value 0.
 *
 * <p>Which attributes: the option {@code attributes}, {@code none}, {@code auto} (each attribute at
 * least {@value #AUTO_MIN_SHARE_PERCENT} % of the training events carry, at most {@value
 * #MAX_CATEGORICAL} categorical, {@value #MAX_TEXT} text and {@value #MAX_NUMERIC} numeric ones, the
 * most common first; {@code device} and {@code ip} are left out: they identify one browser or one
 * connection, so an embedding per value learns one actor and says nothing about the next, and the
 * behaviour features count them across actors instead), or a comma list of attribute names.
 *
 * <p>Thread-safety: immutable.
 */
final class AttributeEncoding {
  /** Trigram slots per text attribute. */
  static final int TEXT_GRAMS = 12;
  static final int AUTO_MIN_SHARE_PERCENT = 1;
  static final int MAX_CATEGORICAL = 8;
  static final int MAX_TEXT = 2;
  static final int MAX_NUMERIC = 32;
  /** Identifiers that auto leaves out. */
  private static final Set<String> IDENTIFIERS = Set.of(Attributes.DEVICE, Attributes.IP);

  static final AttributeEncoding NONE = new AttributeEncoding("none", List.of(), List.of(), new double[0], new double[0], 1);

  private final String spec;
  private final List<String> names;
  private final List<AttributeType> types;
  /** Mean and standard deviation of each attribute (used for numeric ones, 0 and 1 otherwise). */
  private final double[] means;
  private final double[] stds;
  private final int buckets;
  private final EncodedAttributes.Layout layout;

  private AttributeEncoding(String spec, List<String> names, List<AttributeType> types, double[] means, double[] stds,
      int buckets) {
    this.spec = spec;
    this.names = List.copyOf(names);
    this.types = List.copyOf(types);
    this.means = means.clone();
    this.stds = stds.clone();
    this.buckets = buckets;
    List<String> slotNames = new ArrayList<>();
    List<Modality> slotModalities = new ArrayList<>();
    List<String> valueNames = new ArrayList<>();
    List<Modality> valueModalities = new ArrayList<>();
    for (int a = 0; a < names.size(); a++) {
      Modality m = Modality.of(names.get(a), types.get(a));
      switch (types.get(a)) {
        case NUMERIC -> {
          valueNames.add(names.get(a));
          valueModalities.add(m);
        }
        case TEXT -> {
          for (int g = 0; g < TEXT_GRAMS; g++) {
            slotNames.add(names.get(a));
            slotModalities.add(m);
          }
        }
        default -> {
          slotNames.add(names.get(a));
          slotModalities.add(m);
        }
      }
    }
    this.layout = names.isEmpty() ? EncodedAttributes.Layout.NONE
        : new EncodedAttributes.Layout(buckets, slotNames, slotModalities, valueNames, valueModalities);
  }

  /** The slots and values this encoding fills. */
  EncodedAttributes.Layout layout() {
    return layout;
  }

  /** The option value that was fitted ({@code none}, {@code auto} or a list). */
  String spec() {
    return spec;
  }

  /**
   * Chooses and measures the attributes of the training sequences.
   *
   * @throws ConfigurationException when a listed attribute is in no training event, or the spec is
   *     malformed
   */
  static AttributeEncoding fit(List<BehaviorSequence> training, String spec, int buckets) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("none") || s.isEmpty()) {
      return NONE;
    }
    Map<String, Map<AttributeType, Long>> counts = new HashMap<>();
    long events = 0;
    for (BehaviorSequence q : training) {
      for (BehaviorEvent e : q.events()) {
        events++;
        Attributes a = e.attributes();
        for (int i = 0; i < a.size(); i++) {
          counts.computeIfAbsent(a.name(i), k -> new HashMap<>()).merge(a.type(i), 1L, Long::sum);
        }
      }
    }
    Map<String, AttributeType> type = new HashMap<>();
    Map<String, Long> carried = new HashMap<>();
    counts.forEach((name, byType) -> {
      type.put(name, byType.entrySet().stream().max(Map.Entry.<AttributeType, Long>comparingByValue()
          .thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).orElseThrow().getKey());
      carried.put(name, byType.values().stream().mapToLong(Long::longValue).sum());
    });
    List<String> chosen = new ArrayList<>();
    if (s.equals("auto")) {
      List<String> all = new ArrayList<>(counts.keySet());
      all.sort(Comparator.comparingLong((String n) -> -carried.get(n)).thenComparing(n -> n));
      int[] kept = new int[AttributeType.values().length];
      int[] caps = new int[AttributeType.values().length];
      caps[AttributeType.CATEGORICAL.ordinal()] = MAX_CATEGORICAL;
      caps[AttributeType.TEXT.ordinal()] = MAX_TEXT;
      caps[AttributeType.NUMERIC.ordinal()] = MAX_NUMERIC;
      for (String n : all) {
        int t = type.get(n).ordinal();
        if (!IDENTIFIERS.contains(n) && carried.get(n) * 100 >= AUTO_MIN_SHARE_PERCENT * events && kept[t] < caps[t]) {
          chosen.add(n);
          kept[t]++;
        }
      }
    } else {
      for (String n : new LinkedHashSet<>(Arrays.asList(spec.split(",")))) {
        String name = n.trim();
        if (name.isEmpty()) {
          throw new ConfigurationException("attributes=" + spec + " has an empty name; give none, auto or names");
        }
        if (!counts.containsKey(name)) {
          List<String> present = new ArrayList<>(counts.keySet());
          present.sort(null);
          throw new ConfigurationException("attributes=" + spec + " names '" + name + "', which no training event carries"
              + (present.isEmpty() ? "; the events have no attributes" : "; the events carry " + present));
        }
        chosen.add(name);
      }
    }
    chosen.sort(null);
    List<AttributeType> types = new ArrayList<>();
    for (String n : chosen) {
      types.add(type.get(n));
    }
    double[] means = new double[chosen.size()];
    double[] stds = new double[chosen.size()];
    Arrays.fill(stds, 1);
    for (int a = 0; a < chosen.size(); a++) {
      if (types.get(a) != AttributeType.NUMERIC) {
        continue;
      }
      long n = 0;
      double mean = 0;
      double m2 = 0;
      for (BehaviorSequence q : training) {
        for (BehaviorEvent e : q.events()) {
          var v = e.attributes().number(chosen.get(a));
          if (v.isPresent()) { // Welford
            n++;
            double d = v.getAsDouble() - mean;
            mean += d / n;
            m2 += d * (v.getAsDouble() - mean);
          }
        }
      }
      means[a] = mean;
      double sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
      stds[a] = sd > 0 && Double.isFinite(sd) ? sd : 1;
    }
    return new AttributeEncoding(s.equals("auto") ? "auto" : String.join(",", chosen), chosen, types, means, stds,
        buckets);
  }

  /** The attributes of these events, one row per event. */
  EncodedAttributes encode(List<BehaviorEvent> events) {
    if (names.isEmpty()) {
      return EncodedAttributes.NONE; // covers any number of events
    }
    int slots = layout.slots();
    int values = layout.values();
    int[] ids = new int[events.size() * slots];
    float[] vals = new float[events.size() * values];
    for (int i = 0; i < events.size(); i++) {
      Attributes a = events.get(i).attributes();
      int slot = i * slots;
      int value = i * values;
      for (int k = 0; k < names.size(); k++) {
        String name = names.get(k);
        switch (types.get(k)) {
          case NUMERIC -> {
            var v = a.number(name);
            vals[value++] = v.isPresent() ? (float) Math.max(-5, Math.min(5, (v.getAsDouble() - means[k]) / stds[k])) : 0f;
          }
          case TEXT -> {
            var v = a.string(name);
            if (v.isPresent()) {
              trigrams(name, v.get(), ids, slot);
            }
            slot += TEXT_GRAMS;
          }
          default -> {
            var v = a.string(name);
            ids[slot++] = v.isPresent() ? bucket(name + "=" + v.get()) : 0;
          }
        }
      }
    }
    return new EncodedAttributes(layout, ids, vals);
  }

  /** Up to {@link #TEXT_GRAMS} distinct hashed trigrams of a text, from its start, into {@code ids[from..]}. */
  private void trigrams(String name, String text, int[] ids, int from) {
    String t = " " + text.toLowerCase(Locale.ROOT).strip() + " ";
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i + 3 <= t.length() && seen.size() < TEXT_GRAMS; i++) {
      seen.add(t.substring(i, i + 3));
    }
    int k = from;
    for (String g : seen) {
      ids[k++] = bucket(name + "#" + g);
    }
  }

  private int bucket(String s) {
    int h = Hashing.murmur3_32_fixed().hashString(s, StandardCharsets.UTF_8).asInt();
    return 1 + Math.floorMod(h, buckets - 1);
  }

  void writeTo(Parameters.Builder b) {
    b.put("attributes", spec).put("attribute-names", names).put("attribute-buckets", buckets);
    List<String> t = new ArrayList<>();
    for (AttributeType type : types) {
      t.add(type.name());
    }
    b.put("attribute-types", t).put("attribute-means", means).put("attribute-stds", stds);
  }

  /**
   * Reads what {@link #writeTo} wrote; files written before attributes were encoded have none.
   *
   * @throws ModelFormatException when the fields do not fit together
   */
  static AttributeEncoding readFrom(Parameters p) {
    if (!p.contains("attribute-names")) {
      return NONE;
    }
    List<String> names = p.strings("attribute-names");
    List<String> t = p.strings("attribute-types");
    double[] means = p.doubles("attribute-means");
    double[] stds = p.doubles("attribute-stds");
    int buckets = p.intValue("attribute-buckets");
    if (t.size() != names.size() || means.length != names.size() || stds.length != names.size()
        || (!names.isEmpty() && buckets < 2)) {
      throw new ModelFormatException("vocabulary.bin: the attribute fields do not fit together (" + names.size()
          + " names, " + t.size() + " types, " + means.length + " means, " + stds.length + " deviations, " + buckets
          + " buckets)");
    }
    List<AttributeType> types = new ArrayList<>();
    for (String s : t) {
      try {
        types.add(AttributeType.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException("vocabulary.bin: attribute type '" + s + "' is not one of "
            + Arrays.toString(AttributeType.values()));
      }
    }
    return names.isEmpty() ? NONE : new AttributeEncoding(p.string("attributes"), names, types, means, stds, buckets);
  }
}
