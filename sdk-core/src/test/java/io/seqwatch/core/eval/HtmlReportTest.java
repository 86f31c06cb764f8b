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
}
