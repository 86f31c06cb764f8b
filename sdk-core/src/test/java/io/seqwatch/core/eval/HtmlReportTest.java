package io.seqwatch.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  @Test
  void curvePointsAndEscaping() {
    double[] s = {0.1, 0.4, 0.35, 0.8};
    boolean[] y = {false, false, true, true};
    List<double[]> roc = HtmlReport.rocPoints(s, y);
    assertArrayEquals(new double[] {0, 0}, roc.get(0));
    assertArrayEquals(new double[] {0, 0.5}, roc.get(1));
    assertArrayEquals(new double[] {0.5, 0.5}, roc.get(2));
    assertArrayEquals(new double[] {0.5, 1}, roc.get(3));
    assertArrayEquals(new double[] {1, 1}, roc.get(4));
    List<double[]> pr = HtmlReport.prPoints(s, y);
    assertArrayEquals(new double[] {0.5, 1}, pr.get(1));
    assertArrayEquals(new double[] {1, 2.0 / 3}, pr.get(3), 1e-12);

    Labels labels = new Labels(Map.of("a", false, "b", false, "c", true, "d", true), Map.of("d", "click_bot"));
    List<HtmlReport.Row> rows = List.of(new HtmlReport.Row("a", 0.1, false, ""), new HtmlReport.Row("b", 0.4, true, ""),
        new HtmlReport.Row("c", 0.35, false, ""), new HtmlReport.Row("<script>d", 0.8, true, "x <b> & 'y'"));
    EvaluationResult r = Evaluator.evaluate(List.of("a", "b", "c", "d"), s, new boolean[] {false, true, false, true}, labels);
    String html = HtmlReport.render("t<1>", r, rows, labels);
    assertFalse(html.contains("<script"), "keys and reasons are escaped");
    assertTrue(html.contains("&lt;script&gt;d"));
    assertTrue(html.contains("x &lt;b&gt; &amp; &#39;y&#39;"));
    assertTrue(html.contains("ROC curve (AUC 0.750)"));
    assertEquals(0.375, HtmlReport.threshold(rows), 1e-12);
  }

  @Test
  void theHistogramDrawsTheBundlesThresholdAndLogScalesSkewedScores() {
    java.util.Map<String, Boolean> y = new java.util.HashMap<>();
    List<HtmlReport.Row> rows = new java.util.ArrayList<>();
    String[] keys = new String[200];
    double[] s = new double[200];
    boolean[] flagged = new boolean[200];
    for (int i = 0; i < 200; i++) {
      keys[i] = "k" + i;
      s[i] = i < 190 ? 0.01 + i * 1e-4 : 5 + i; // the bulk near 0.01, ten far out
      flagged[i] = s[i] > 2.5;
      y.put(keys[i], i >= 190);
      rows.add(new HtmlReport.Row(keys[i], s[i], flagged[i], ""));
    }
    Labels labels = new Labels(y, Map.of());
    EvaluationResult r = Evaluator.evaluate(List.of(keys), s, flagged, labels);
    String inferred = HtmlReport.render("t", r, rows, labels);
    assertTrue(inferred.contains("score, log scale"), "skewed scores get a log axis");
    assertTrue(inferred.contains(String.format(java.util.Locale.ROOT, "threshold %.4g", (0.01 + 189e-4 + 195) / 2)),
        "without a bundle: midway between the highest unflagged and the lowest flagged score");
    String bundle = HtmlReport.render("t", r, rows, labels, java.util.OptionalDouble.of(2.5));
    assertTrue(bundle.contains("threshold 2.500"), "the bundle's threshold is drawn");
    List<HtmlReport.Row> even = rows.stream().map(x -> new HtmlReport.Row(x.key(), x.score() + 100, x.flagged(), ""))
        .toList();
    assertFalse(HtmlReport.render("t", r, even, labels).contains("log scale"), "scores within two decades stay linear");
  }
}
