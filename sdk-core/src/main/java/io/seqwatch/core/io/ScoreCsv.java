package io.seqwatch.core.io;

import io.seqwatch.api.Score;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * The scores CSV every batch scorer writes ({@code seqwatch score}, the Flink job's batch mode):
 * header {@code key,score,anomalous,reasons}; the score as {@link Double#toString} (exact), the
 * decision as 1 or 0, the reasons joined with {@code "; "}; RFC 4180 quoting.
 *
 * <p>Thread-safety: stateless.
 */
public final class ScoreCsv {
  /** The format with its header (CRLF records, as RFC 4180). */
  public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setHeader("key", "score", "anomalous", "reasons").get();

  private ScoreCsv() {}

  /** The row's values: {@code key} (the score's key, or its pseudonym), score, decision, reasons. */
  public static List<Object> values(Score s, String key) {
    return List.of(key, Double.toString(s.value()), s.anomalous() ? 1 : 0, s.explanation().summary());
  }

  /** One row as text, without a record separator. */
  public static String row(Score s, String key) {
    return CSVFormat.DEFAULT.format(values(s, key).toArray());
  }
}
