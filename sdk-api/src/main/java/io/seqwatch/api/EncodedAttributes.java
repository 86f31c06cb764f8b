package io.seqwatch.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The event attributes of an {@link EncodedSequence}, as multimodal sequence models read them: per
 * event, {@link Layout#slots()} hashed ids (categorical attributes, and the character trigrams of
 * text attributes; 0 when absent) and {@link Layout#values()} normalised numbers (0 when absent).
 * Row-major: event {@code i}'s ids are {@code ids[i * slots .. (i + 1) * slots)}.
 *
 * @param layout what each slot and value holds, shared by every sequence of one encoder
 * @param ids hashed ids in {@code [0, layout.buckets())}, {@code slots} per event
 * @param values normalised numbers, {@code values} per event
 *     <p>Thread-safety: immutable; accessors return copies.
 */
public record EncodedAttributes(Layout layout, int[] ids, float[] values) {
  /** No attributes, for any number of events. */
  public static final EncodedAttributes NONE = new EncodedAttributes(Layout.NONE, new int[0], new float[0]);

  public EncodedAttributes {
    Objects.requireNonNull(layout, "layout");
    ids = ids.clone();
    values = values.clone();
    for (int id : ids) {
      if (id < 0 || id >= layout.buckets()) {
        throw new IllegalArgumentException("attribute id " + id + " is outside [0, " + layout.buckets() + ")");
      }
    }
  }

  /**
   * What the slots and values of encoded attributes hold.
   *
   * @param buckets hashed ids lie in {@code [0, buckets)}; 0 means absent
   * @param slotNames the attribute each id slot comes from (a text attribute fills several slots)
   * @param slotModalities the modality of each id slot
   * @param valueNames the numeric attribute of each value
   * @param valueModalities the modality of each value
   *     <p>Thread-safety: immutable.
   */
  public record Layout(int buckets, List<String> slotNames, List<Modality> slotModalities, List<String> valueNames,
      List<Modality> valueModalities) {
    /** No slots and no values. */
    public static final Layout NONE = new Layout(1, List.of(), List.of(), List.of(), List.of());

    public Layout {
      slotNames = List.copyOf(slotNames);
      slotModalities = List.copyOf(slotModalities);
      valueNames = List.copyOf(valueNames);
      valueModalities = List.copyOf(valueModalities);
      if (buckets < 1 || (!slotNames.isEmpty() && buckets < 2)) {
        throw new IllegalArgumentException("attribute buckets " + buckets + " leave no room for ids besides 0");
      }
      if (slotNames.size() != slotModalities.size() || valueNames.size() != valueModalities.size()) {
        throw new IllegalArgumentException("every slot and value needs one modality: " + slotNames + " " + slotModalities
            + ", " + valueNames + " " + valueModalities);
      }
      if (slotModalities.contains(Modality.BEHAVIOUR) || valueModalities.contains(Modality.BEHAVIOUR)) {
        throw new IllegalArgumentException("attributes are never of the behaviour modality");
      }
    }

    /** Id slots per event. */
    public int slots() {
      return slotNames.size();
    }

    /** Numeric values per event. */
    public int values() {
      return valueNames.size();
    }

    /**
     * The slots of the context and profile attributes (user agent, referrer, segment), in order:
     * properties of who acts and from where, which hold still within a sequence, so a model can
     * predict the next event's value and a change or a rare value is a surprise. Item attributes
     * change with every item and query trigrams with every search, so they are not among them.
     */
    public int[] stableSlots() {
      int[] out = new int[slotNames.size()];
      int n = 0;
      for (int i = 0; i < out.length; i++) {
        if (slotModalities.get(i) == Modality.CONTEXT || slotModalities.get(i) == Modality.PROFILE) {
          out[n++] = i;
        }
      }
      return Arrays.copyOf(out, n);
    }

    /** Whether there is nothing to encode. */
    public boolean isEmpty() {
      return slotNames.isEmpty() && valueNames.isEmpty();
    }
  }

  /** Whether these attributes hold exactly {@code events} events. */
  boolean covers(int events) {
    return ids.length == (long) events * layout.slots() && values.length == (long) events * layout.values();
  }

  /** Id slot {@code slot} of event {@code event}, without copying. */
  public int id(int event, int slot) {
    return ids[event * layout.slots() + slot];
  }

  /** Value {@code value} of event {@code event}, without copying. */
  public float value(int event, int value) {
    return values[event * layout.values() + value];
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public float[] values() {
    return values.clone();
  }

  /** The attributes of events {@code [from, to)}. */
  public EncodedAttributes range(int from, int to) {
    int s = layout.slots();
    int v = layout.values();
    return new EncodedAttributes(layout, Arrays.copyOfRange(ids, from * s, to * s),
        Arrays.copyOfRange(values, from * v, to * v));
  }

  /** These attributes followed by {@code next}'s (same layout). */
  public EncodedAttributes append(EncodedAttributes next) {
    if (!next.layout.equals(layout)) {
      throw new IllegalArgumentException("cannot join attributes of two layouts");
    }
    int[] i = Arrays.copyOf(ids, ids.length + next.ids.length);
    System.arraycopy(next.ids, 0, i, ids.length, next.ids.length);
    float[] v = Arrays.copyOf(values, values.length + next.values.length);
    System.arraycopy(next.values, 0, v, values.length, next.values.length);
    return new EncodedAttributes(layout, i, v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedAttributes a && layout.equals(a.layout) && Arrays.equals(ids, a.ids)
        && Arrays.equals(values, a.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layout, Arrays.hashCode(ids), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "EncodedAttributes[" + layout.slotNames() + " " + Arrays.toString(ids) + ", " + layout.valueNames() + " "
        + Arrays.toString(values) + "]";
  }
}
