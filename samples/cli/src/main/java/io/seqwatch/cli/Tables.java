package io.seqwatch.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text tables with aligned columns.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class Tables {
  private final List<String[]> rows = new ArrayList<>();

  Tables(String... header) {
    rows.add(header);
  }

  Tables row(String... cells) {
    rows.add(cells);
    return this;
  }

  String render() {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      for (int i = 0; i < cols; i++) {
        boolean numeric = k > 0 && r[i].matches("[-+0-9.,%x]+|n/a");
        String cell = numeric ? " ".repeat(w[i] - r[i].length()) + r[i] : r[i] + " ".repeat(w[i] - r[i].length());
        sb.append(i == 0 ? "" : "  ").append(cell);
      }
      sb.append(System.lineSeparator());
      if (k == 0) {
        for (int i = 0; i < cols; i++) {
          sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
  }
}
