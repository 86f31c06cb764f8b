package io.seqwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqwatch.api.ModelFormatException;
import io.seqwatch.spi.support.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {
  private static byte[] bytes(Parameters p) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    p.write(o);
    return o.toByteArray();
  }

  @Test
  void roundTripAndClearErrors() throws IOException {
    Parameters p = Parameters.builder().put("w", new double[] {1.5, -2}).put("ids", new int[] {3, 4})
        .put("name", "forest").put("names", List.of("a", "b")).put("n", 7L).put("x", 0.25).build();
    byte[] b = bytes(p);
    Parameters q = Parameters.read(new ByteArrayInputStream(b));
    assertArrayEquals(new double[] {1.5, -2}, q.doubles("w"));
    assertArrayEquals(new int[] {3, 4}, q.ints("ids"));
    assertEquals("forest", q.string("name"));
    assertEquals(List.of("a", "b"), q.strings("names"));
    assertEquals(7, q.intValue("n"));
    assertEquals(0.25, q.doubleValue("x"));
    assertEquals("parameter 'nope' is missing; saved parameters: [w, ids, name, names, n, x]",
        assertThrows(ModelFormatException.class, () -> q.doubles("nope")).getMessage());
    assertEquals("parameter file is truncated", assertThrows(ModelFormatException.class,
        () -> Parameters.read(new ByteArrayInputStream(Arrays.copyOf(b, b.length - 3)))).getMessage());
    byte[] other = b.clone();
    other[0] = 'X';
    assertEquals("not a Seqwatch parameter file (expected magic SWPARAMS, found 'XWPARAMS')",
        assertThrows(ModelFormatException.class, () -> Parameters.read(new ByteArrayInputStream(other))).getMessage());
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    assertEquals("parameter file has trailing bytes after 6 entries",
        assertThrows(ModelFormatException.class, () -> Parameters.read(new ByteArrayInputStream(longer))).getMessage());
  }

  @Test
  void aForgedLengthInATinyFileEndsAsTruncatedWithoutAllocatingIt() throws IOException {
    for (byte tag : new byte[] {1, 2, 3, 6}) { // doubles, ints, string, strings
      java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
      java.io.DataOutputStream d = new java.io.DataOutputStream(o);
      d.write("SWPARAMS".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      d.writeInt(1); // version
      d.writeInt(1); // one entry
      d.writeUTF("w");
      d.writeByte(tag);
      d.writeInt(1 << 28); // declares 2^28 values (2 GB of doubles) in a file of a few bytes
      d.writeInt(7);
      d.flush();
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
          .getThreadMXBean();
      long before = mx.getCurrentThreadAllocatedBytes();
      assertEquals("parameter file is truncated", assertThrows(ModelFormatException.class,
          () -> Parameters.read(new ByteArrayInputStream(o.toByteArray()))).getMessage());
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      org.junit.jupiter.api.Assertions.assertTrue(allocated < 16 << 20, "tag " + tag + " allocated " + allocated + " bytes");
    }
  }
}
