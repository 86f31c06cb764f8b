package io.seqwatch.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open, typed attributes of one event beyond the fixed fields: device, IP address, user agent,
 * referrer, search query, brand and whatever else a log carries. Each attribute has a name, a
 * {@link AttributeType} and a value (text for {@link AttributeType#CATEGORICAL categorical} and
 * {@link AttributeType#TEXT text} attributes, a finite double for {@link AttributeType#NUMERIC
 * numeric} ones).
 *
 * <p>Compact: names are kept sorted, and the name and type arrays of a shape (the same names with
 * the same types, as every line of one log has) are shared by all events of that shape, so an
 * event pays for its values only. {@link #EMPTY} is shared by every event without attributes.
 *
 * <pre>{@code
 * Attributes a = Attributes.builder()
 *     .categorical(Attributes.DEVICE, "d-81f2")
 *     .categorical(Attributes.USER_AGENT, "Mozilla/5.0 (iPhone; ...)")
 *     .text(Attributes.QUERY, "red running shoes")
 *     .build();
 * a.string(Attributes.QUERY); // Optional[red running shoes]
 * }</pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class Attributes {
  /** Device or browser-instance id. */
  public static final String DEVICE = "device";
  /** Client IP address (IPv4 or IPv6). */
  public static final String IP = "ip";
  /** The HTTP user agent. */
  public static final String USER_AGENT = "user_agent";
  /** The search query a person typed (a {@link AttributeType#TEXT text} attribute of search events). */
  public static final String QUERY = "query";
  /** The referring page or channel. */
  public static final String REFERRER = "referrer";
  /** The longest attribute name accepted. */
  public static final int MAX_NAME_LENGTH = 128;

  private static final int MAX_SHAPES = 4_096;
  private static final Map<Shape, Shape> SHAPES = new ConcurrentHashMap<>();

  /** No attributes. */
  public static final Attributes EMPTY = new Attributes(new Shape(new String[0], new AttributeType[0]), new Object[0]);

  private final Shape shape;
  /** String for categorical and text values, Double for numeric ones, in name order. */
  private final Object[] values;

  private Attributes(Shape shape, Object[] values) {
    this.shape = shape;
    this.values = values;
  }

  /** A builder for attributes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of attributes. */
  public int size() {
    return values.length;
  }

  /** No attributes at all. */
  public boolean isEmpty() {
    return values.length == 0;
  }

  /** The attribute names in ascending order. */
  public List<String> names() {
    return List.of(shape.names);
  }

  /** The name of the {@code i}-th attribute in name order. */
  public String name(int i) {
    return shape.names[i];
  }

  /** The type of the {@code i}-th attribute in name order. */
  public AttributeType type(int i) {
    return shape.types[i];
  }

  /** The value of the {@code i}-th attribute as text (a numeric value in Java's shortest form). */
  public String valueText(int i) {
    return values[i].toString();
  }

  /** The numeric value of the {@code i}-th attribute. */
  public double number(int i) {
    if (!(values[i] instanceof Double d)) {
      throw new IllegalStateException("attribute '" + shape.names[i] + "' is " + shape.types[i] + ", not NUMERIC");
    }
    return d;
  }

  /** Whether an attribute of this name is present. */
  public boolean has(String name) {
    return index(name) >= 0;
  }

  /** The type of the attribute {@code name}, when present. */
  public Optional<AttributeType> type(String name) {
    int i = index(name);
    return i < 0 ? Optional.empty() : Optional.of(shape.types[i]);
  }

  /** The value of a categorical or text attribute, when present. */
  public Optional<String> string(String name) {
    int i = index(name);
    return i < 0 || !(values[i] instanceof String s) ? Optional.empty() : Optional.of(s);
  }

  /** The value of the first of {@code names} present as a categorical or text attribute. */
  public Optional<String> firstString(Collection<String> names) {
    for (String n : names) {
      Optional<String> v = string(n);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  /** The value of a numeric attribute, when present. */
  public OptionalDouble number(String name) {
    int i = index(name);
    return i < 0 || !(values[i] instanceof Double d) ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  /** These attributes with {@code other}'s added; where both have a name, {@code other}'s value wins. */
  public Attributes with(Attributes other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Builder b = new Builder();
    for (int i = 0; i < size(); i++) {
      b.put(shape.names[i], shape.types[i], values[i]);
    }
    for (int i = 0; i < other.size(); i++) {
      b.entries.put(other.shape.names[i], new Object[] {other.shape.types[i], other.values[i]});
    }
    return b.build();
  }

  /** These attributes less those named in {@code names}. */
  public Attributes without(Collection<String> names) {
    boolean any = false;
    for (String n : names) {
      any |= has(n);
    }
    if (!any) {
      return this;
    }
    Builder b = new Builder();
    for (int i = 0; i < size(); i++) {
      if (!names.contains(shape.names[i])) {
        b.put(shape.names[i], shape.types[i], values[i]);
      }
    }
    return b.build();
  }

  private int index(String name) {
    return Arrays.binarySearch(shape.names, name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes a && shape.equals(a.shape) && Arrays.equals(values, a.values);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(values);
  }

  /** {@code {name=value, ...}} in name order, text values quoted. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < size(); i++) {
      s.append(i == 0 ? "" : ", ").append(shape.names[i]).append('=');
      s.append(values[i] instanceof String v ? "\"" + v + "\"" : values[i]);
    }
    return s.append('}').toString();
  }

  /** The names and types of a set of attributes, shared between events of one shape. */
  private record Shape(String[] names, AttributeType[] types) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && Arrays.equals(names, s.names) && Arrays.equals(types, s.types);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(names) + Arrays.hashCode(types);
    }

    @Override
    public String toString() {
      return Arrays.toString(names) + Arrays.toString(types);
    }

    Shape shared() {
      Shape s = SHAPES.get(this);
      if (s != null) {
        return s;
      }
      if (SHAPES.size() >= MAX_SHAPES) { // a log with ever new names: keep memory bounded, stop sharing
        return this;
      }
      s = SHAPES.putIfAbsent(this, this);
      return s == null ? this : s;
    }
  }

  /**
   * Collects attributes; a name given twice keeps the last value.
   *
   * <p>Thread-safety: not thread-safe; one builder per thread.
   */
  public static final class Builder {
    private final TreeMap<String, Object[]> entries = new TreeMap<>();

    private Builder() {}

    /**
     * Adds a categorical attribute.
     *
     * @throws IllegalArgumentException for a blank or over-long name
     */
    public Builder categorical(String name, String value) {
      return put(name, AttributeType.CATEGORICAL, Objects.requireNonNull(value, "value"));
    }

    /**
     * Adds a text attribute.
     *
     * @throws IllegalArgumentException for a blank or over-long name
     */
    public Builder text(String name, String value) {
      return put(name, AttributeType.TEXT, Objects.requireNonNull(value, "value"));
    }

    /**
     * Adds a numeric attribute.
     *
     * @throws IllegalArgumentException for a blank or over-long name or a value that is not finite
     */
    public Builder numeric(String name, double value) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("attribute '" + name + "' is not finite: " + value);
      }
      return put(name, AttributeType.NUMERIC, value);
    }

    /**
     * Adds an attribute of {@code type} from its text ({@link AttributeType#NUMERIC} parses it).
     *
     * @throws IllegalArgumentException for a numeric value that is not a finite number
     */
    public Builder add(String name, AttributeType type, String value) {
      Objects.requireNonNull(value, "value");
      if (type != AttributeType.NUMERIC) {
        return put(name, type, value);
      }
      double d;
      try {
        d = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("attribute '" + name + "' is not a number: '" + value + "'");
      }
      return numeric(name, d);
    }

    /** Removes {@code name} if it was added. */
    public Builder remove(String name) {
      entries.remove(name);
      return this;
    }

    /** Whether nothing was added. */
    public boolean isEmpty() {
      return entries.isEmpty();
    }

    private Builder put(String name, AttributeType type, Object value) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("attribute name must be 1-" + MAX_NAME_LENGTH
            + " characters and not blank: '" + name + "'");
      }
      entries.put(name, new Object[] {type, value});
      return this;
    }

    /** The attributes added so far ({@link #EMPTY} when none). */
    public Attributes build() {
      if (entries.isEmpty()) {
        return EMPTY;
      }
      String[] names = new String[entries.size()];
      AttributeType[] types = new AttributeType[names.length];
      Object[] values = new Object[names.length];
      int i = 0;
      for (Map.Entry<String, Object[]> e : entries.entrySet()) {
        names[i] = e.getKey();
        types[i] = (AttributeType) e.getValue()[0];
        values[i] = e.getValue()[1];
        i++;
      }
      return new Attributes(new Shape(names, types).shared(), values);
    }
  }
}
