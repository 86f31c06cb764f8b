package io.seqwatch.core.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 quoting within the line). Records never span lines in
 * Seqwatch inputs, so an unterminated quote is a malformed record rather than a continuation.
 *
 * <p>Thread-safety: stateless.
 */
final class CsvLine {
  private CsvLine() {}

  static List<String> split(String line, char delimiter) throws RecordException {
    if (line.indexOf('"') < 0) { // no quotes (most logs): the fields are the text between delimiters
      List<String> out = new ArrayList<>(8);
      int start = 0;
      for (int end = line.indexOf(delimiter); end >= 0; end = line.indexOf(delimiter, start)) {
        out.add(line.substring(start, end));
        start = end + 1;
      }
      out.add(line.substring(start));
      return out;
    }
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new RecordException("unterminated quoted field " + (out.size() + 1));
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new RecordException("text after closing quote in field " + (out.size() + 1));
        }
      } else {
        while (i < n && line.charAt(i) != delimiter) {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new RecordException("stray quote in unquoted field " + (out.size() + 1));
          }
          field.append(c);
        }
      }
      out.add(field.toString());
      if (i >= n) {
        return out;
      }
      i++; // delimiter
    }
  }
}
