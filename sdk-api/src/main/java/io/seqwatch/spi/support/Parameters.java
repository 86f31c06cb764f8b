package io.seqwatch.spi.support;

import io.seqwatch.api.ModelFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small typed key-value container for model parameters with a documented binary layout, so that
 * plugins persist models without Java serialisation and without extra dependencies.
 *
 * <p>Layout (big-endian): magic {@code SWPARAMS}, format version (int, currently 1), entry count
 * (int), then per entry: name (modified UTF-8), type tag (byte), payload. Arrays are a length (int)
 * then the elements. Reading checks magic, version, tags, lengths and truncation and throws {@link
 * ModelFormatException} with what was wrong.
 *
 * <pre>{@code
 * Parameters p = Parameters.builder().put("means", means).put("k", 3).build();
 * try (OutputStream out = writer.create("params.bin")) { p.write(out); }
 * Parameters back = Parameters.read(reader.open("params.bin"));
 * double[] means = back.doubles("means");
 * }</pre>
 *
 * <p>Thread-safety: immutable once built; {@link Builder} is not thread-safe.
 */
public final class Parameters {
  private static final byte[] MAGIC = "SWPARAMS".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_LENGTH = 1 << 28;

  private static final byte T_DOUBLES = 1;
  private static final byte T_INTS = 2;
  private static final byte T_STRING = 3;
  private static final byte T_LONG = 4;
  private static final byte T_DOUBLE = 5;
  private static final byte T_STRINGS = 6;

  private final Map<String, Object> entries;

  private Parameters(Map<String, Object> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Names of all entries, in write order. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  public double[] doubles(String name) {
    return get(name, double[].class).clone();
  }

  public int[] ints(String name) {
    return get(name, int[].class).clone();
  }

  public String string(String name) {
    return get(name, String.class);
  }

  public List<String> strings(String name) {
    return List.of(get(name, String[].class));
  }

  public long longValue(String name) {
    return get(name, Long.class);
  }

  public int intValue(String name) {
    long v = longValue(name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new ModelFormatException("parameter '" + name + "' = " + v + " does not fit an int");
    }
    return (int) v;
  }

  public double doubleValue(String name) {
    return get(name, Double.class);
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  private <T> T get(String name, Class<T> type) {
    Object v = entries.get(name);
    if (v == null) {
      throw new ModelFormatException(
          "parameter '" + name + "' is missing; saved parameters: " + entries.keySet());
    }
    if (!type.isInstance(v)) {
      throw new ModelFormatException(
          "parameter '" + name + "' is a " + v.getClass().getSimpleName()
              + ", expected " + type.getSimpleName());
    }
    return type.cast(v);
  }

  /** Writes the layout described above; does not close {@code out}. */
  public void write(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
    d.write(MAGIC);
    d.writeInt(VERSION);
    d.writeInt(entries.size());
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      d.writeUTF(e.getKey());
      Object v = e.getValue();
      if (v instanceof double[] a) {
        d.writeByte(T_DOUBLES);
        d.writeInt(a.length);
        for (double x : a) {
          d.writeDouble(x);
        }
      } else if (v instanceof int[] a) {
        d.writeByte(T_INTS);
        d.writeInt(a.length);
        for (int x : a) {
          d.writeInt(x);
        }
      } else if (v instanceof String s) {
        d.writeByte(T_STRING);
        writeString(d, s);
      } else if (v instanceof String[] a) {
        d.writeByte(T_STRINGS);
        d.writeInt(a.length);
        for (String s : a) {
          writeString(d, s);
        }
      } else if (v instanceof Long l) {
        d.writeByte(T_LONG);
        d.writeLong(l);
      } else {
        d.writeByte(T_DOUBLE);
        d.writeDouble((Double) v);
      }
    }
    d.flush();
  }

  private static void writeString(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  /**
   * Reads parameters written by {@link #write}. Closes nothing.
   *
   * @throws ModelFormatException when the data is not a parameter file, of another version,
   *     truncated or has trailing bytes
   */
  public static Parameters read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(new BufferedInputStream(in));
    try {
      byte[] magic = new byte[MAGIC.length];
      d.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new ModelFormatException(
            "not a Seqwatch parameter file (expected magic SWPARAMS, found '"
                + new String(magic, StandardCharsets.ISO_8859_1) + "')");
      }
      int version = d.readInt();
      if (version != VERSION) {
        throw new ModelFormatException(
            "parameter file format version " + version + " is not supported (this build reads "
                + VERSION + ")");
      }
      int count = length(d, "entry count");
      Map<String, Object> entries = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = d.readUTF();
        byte tag = d.readByte();
        Object v;
        switch (tag) {
          // Arrays are collected as values arrive (never allocated at a declared length), so a forged
          // length in a small file ends in "truncated" after reading what is there.
          case T_DOUBLES -> {
            int n = length(d, name);
            java.util.stream.DoubleStream.Builder a = java.util.stream.DoubleStream.builder();
            for (int j = 0; j < n; j++) {
              a.add(d.readDouble());
            }
            v = a.build().toArray();
          }
          case T_INTS -> {
            int n = length(d, name);
            java.util.stream.IntStream.Builder a = java.util.stream.IntStream.builder();
            for (int j = 0; j < n; j++) {
              a.add(d.readInt());
            }
            v = a.build().toArray();
          }
          case T_STRING -> v = readString(d, name);
          case T_STRINGS -> {
            int n = length(d, name);
            List<String> a = new ArrayList<>();
            for (int j = 0; j < n; j++) {
              a.add(readString(d, name));
            }
            v = a.toArray(String[]::new);
          }
          case T_LONG -> v = d.readLong();
          case T_DOUBLE -> v = d.readDouble();
          default -> throw new ModelFormatException(
              "parameter '" + name + "' has unknown type tag " + tag + " (corrupt file?)");
        }
        if (entries.put(name, v) != null) {
          throw new ModelFormatException("parameter '" + name + "' appears twice (corrupt file?)");
        }
      }
      if (d.read() != -1) {
        throw new ModelFormatException("parameter file has trailing bytes after " + count + " entries");
      }
      return new Parameters(entries);
    } catch (EOFException e) {
      throw new ModelFormatException("parameter file is truncated", e);
    }
  }

  private static int length(DataInputStream d, String what) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > MAX_LENGTH) {
      throw new ModelFormatException("implausible length " + n + " for '" + what + "' (corrupt file?)");
    }
    return n;
  }

  private static String readString(DataInputStream d, String what) throws IOException {
    int n = length(d, what);
    byte[] b = d.readNBytes(n); // grows with the bytes actually there, not with the declared length
    if (b.length != n) {
      throw new EOFException("string '" + what + "' declares " + n + " bytes, " + b.length + " remain");
    }
    return new String(b, StandardCharsets.UTF_8);
  }


  /** Collects entries; names must be unique. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    private Builder() {}

    private Builder add(String name, Object v) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(v, name);
      if (entries.put(name, v) != null) {
        throw new IllegalArgumentException("duplicate parameter name: " + name);
      }
      return this;
    }

    public Builder put(String name, double[] v) {
      return add(name, v.clone());
    }

    public Builder put(String name, int[] v) {
      return add(name, v.clone());
    }

    public Builder put(String name, String v) {
      return add(name, v);
    }

    public Builder put(String name, List<String> v) {
      return add(name, new ArrayList<>(v).toArray(new String[0]));
    }

    public Builder put(String name, long v) {
      return add(name, v);
    }

    public Builder put(String name, double v) {
      return add(name, v);
    }

    public Parameters build() {
      return new Parameters(new LinkedHashMap<>(entries));
    }
  }
}
