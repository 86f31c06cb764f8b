package io.seqwatch.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextInput#open(Path, java.util.function.LongConsumer)} counts the bytes read, for progress bars. */
class TextInputProgressTest {
  @TempDir Path tmp;

  @Test
  void countsEveryByteOfTheFileInOrderWhileTheLinesReadAsWithout() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("u").append(i % 97).append(",item-").append(i).append(",café,pv,").append(1_511_544_070 + i).append('\n');
    }
    Path f = tmp.resolve("log.csv");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    List<Long> told = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = TextInput.open(f, told::add)) {
      in.lines().forEach(lines::add);
    }
    try (BufferedReader plain = TextInput.open(f)) {
      assertEquals(plain.lines().toList(), lines);
    }
    assertTrue(told.size() > 10, told.size() + " reports");
    for (int i = 1; i < told.size(); i++) {
      assertTrue(told.get(i) > told.get(i - 1), "increasing");
    }
    assertEquals(Files.size(f), told.get(told.size() - 1));
  }
}
