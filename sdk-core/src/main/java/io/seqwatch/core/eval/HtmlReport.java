package io.seqwatch.core.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Map;

/**
 * A self-contained HTML evaluation report: summary metrics, ROC and precision-recall curves,
 * score histograms of normal and anomalous sequences with the threshold, the confusion table,
 * per-kind recall and the top alerts with their reasons. Plots are inline SVG drawn here; the page
 * has no scripts and loads nothing.
 *
 * <pre>{@code
 * HtmlReport.write(Path.of("report.html"), "isolation-forest on events.csv", result, rows, labels);
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class HtmlReport {
  /** Colour of the ROC curve (checked by the browser test). */
  public static final String ROC_COLOUR = "#1f77b4";
  /** Colour of the precision-recall curve (checked by the browser test). */
  public static final String PR_COLOUR = "#d62728";
  private static final String NORMAL_COLOUR = "#7f7f7f";
  private static final String BAR_COLOUR = "#2ca02c";

  private static final int W = 420;
  private static final int H = 320;
  private static final int M = 45;

  private HtmlReport() {}

  /**
   * One scored sequence.
   *
   * @param key sequence key
   * @param score anomaly score
   * @param flagged decision at the threshold
   * @param reasons explanation text
   */
  public record Row(String key, double score, boolean flagged, String reasons) {}

  /** Writes the report; the histogram's threshold line is inferred from the decisions. */
  public static void write(Path file, String title, EvaluationResult r, List<Row> rows, Labels labels)
      throws IOException {
    write(file, title, r, rows, labels, OptionalDouble.empty());
  }

  /**
   * Writes the report; the histogram's threshold line is {@code threshold} (the bundle's) when
   * given, else midway between the highest unflagged and the lowest flagged score.
   */
  public static void write(Path file, String title, EvaluationResult r, List<Row> rows, Labels labels,
      OptionalDouble threshold) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(title, r, rows, labels, threshold), StandardCharsets.UTF_8);
  }

  /** The report as HTML text, the threshold inferred from the decisions. */
  public static String render(String title, EvaluationResult r, List<Row> rows, Labels labels) {
    return render(title, r, rows, labels, OptionalDouble.empty());
  }

  /** The report as HTML text. */
  public static String render(String title, EvaluationResult r, List<Row> rows, Labels labels,
      OptionalDouble threshold) {
    List<Row> labelled = rows.stream().filter(x -> labels.label(x.key()).isPresent()).toList();
    double[] s = labelled.stream().mapToDouble(Row::score).toArray();
    boolean[] y = new boolean[s.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.label(labelled.get(i).key()).orElseThrow();
    }
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Seqwatch report: ")
        .append(esc(title)).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}")
        .append("h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-size:13px}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}td.n{text-align:right}")
        .append(".plots{display:flex;flex-wrap:wrap;gap:24px}.plot{border:1px solid #ddd;padding:8px}")
        .append("svg text{font-size:11px;fill:#333}</style></head><body>\n");
    h.append("<h1>Seqwatch evaluation: ").append(esc(title)).append("</h1>\n");
    h.append(String.format(Locale.ROOT, "<p>%,d labelled sequences, %,d anomalous", r.sequences(), r.anomalous()));
    if (r.unlabelled() > 0) {
      h.append(String.format(Locale.ROOT, "; %,d scored without a label left out", r.unlabelled()));
    }
    h.append(".</p>\n<table id=\"summary\"><tr><th>ROC-AUC</th><th>PR-AUC</th><th>precision@k</th>")
        .append("<th>precision</th><th>recall</th><th>F1</th><th>FPR</th><th>accuracy</th></tr><tr>");
    for (double v : new double[] {r.rocAuc(), r.prAuc(), r.precisionAtK(), r.precision(), r.recall(), r.f1(),
        r.fpr(), r.accuracy()}) {
      h.append("<td class=\"n\">").append(num(v)).append("</td>");
    }
    h.append("</tr></table>\n<div class=\"plots\">\n");
    List<double[]> roc = rocPoints(s, y);
    h.append(plot("roc", "ROC curve (AUC " + num(r.rocAuc()) + ")", "false-positive rate", "true-positive rate",
        roc, ROC_COLOUR, true));
    List<double[]> pr = prPoints(s, y);
    h.append(plot("pr", "Precision-recall (AP " + num(r.prAuc()) + ")", "recall", "precision", pr, PR_COLOUR, false));
    h.append(histogram(s, y, threshold.orElseGet(() -> threshold(labelled))));
    h.append("</div>\n<h2>Confusion at the threshold</h2>\n<table id=\"confusion\"><tr><th></th>")
        .append("<th>flagged</th><th>not flagged</th></tr>")
        .append("<tr><th>anomalous</th><td class=\"n\">").append(r.tp()).append("</td><td class=\"n\">").append(r.fn())
        .append("</td></tr><tr><th>normal</th><td class=\"n\">").append(r.fp()).append("</td><td class=\"n\">")
        .append(r.tn()).append("</td></tr></table>\n");
    if (!r.perKind().isEmpty()) {
      h.append("<h2>Recall per anomaly kind</h2>\n<table id=\"kinds\"><tr><th>kind</th><th>count</th>")
          .append("<th>caught</th><th>recall</th><th></th></tr>");
      for (Map.Entry<String, EvaluationResult.KindRecall> e : r.perKind().entrySet()) {
        EvaluationResult.KindRecall k = e.getValue();
        h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\">").append(k.count())
            .append("</td><td class=\"n\">").append(k.caught()).append("</td><td class=\"n\">").append(num(k.recall()))
            .append("</td><td><svg width=\"120\" height=\"10\"><rect width=\"")
            .append(Math.round(120 * k.recall())).append("\" height=\"10\" fill=\"").append(BAR_COLOUR)
            .append("\"/></svg></td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("<h2>Top alerts</h2>\n<table id=\"alerts\"><tr><th>#</th><th>key</th><th>score</th><th>flagged</th>")
        .append("<th>truth</th><th>reasons</th></tr>");
    List<Row> top = new ArrayList<>(rows);
    top.sort(Comparator.comparingDouble(Row::score).reversed());
    for (int i = 0; i < Math.min(25, top.size()); i++) {
      Row row = top.get(i);
      String truth = labels.label(row.key()).map(b -> b ? labels.kind(row.key()).orElse("anomalous") : "normal")
          .orElse("unlabelled");
      h.append("<tr><td class=\"n\">").append(i + 1).append("</td><td>").append(esc(row.key()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.4g", row.score()))
          .append("</td><td>").append(row.flagged() ? "yes" : "no").append("</td><td>").append(esc(truth))
          .append("</td><td>").append(esc(row.reasons())).append("</td></tr>");
    }
    h.append("</table>\n<p><small>Written by Seqwatch.</small></p></body></html>\n");
    return h.toString();
  }

  /** Midway between the highest unflagged and the lowest flagged score, or NaN when unknown. */
  static double threshold(List<Row> rows) {
    double maxOff = Double.NEGATIVE_INFINITY;
    double minOn = Double.POSITIVE_INFINITY;
    for (Row r : rows) {
      if (r.flagged()) {
        minOn = Math.min(minOn, r.score());
      } else {
        maxOff = Math.max(maxOff, r.score());
      }
    }
    return Double.isInfinite(maxOff) || Double.isInfinite(minOn) ? Double.NaN : (maxOff + minOn) / 2;
  }

  private static Integer[] byScoreDescending(double[] s) {
    Integer[] idx = new Integer[s.length];
    Arrays.setAll(idx, i -> i);
    Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> s[i]).reversed());
    return idx;
  }

  /** (FPR, TPR) at every distinct threshold, from (0,0) to (1,1). */
  static List<double[]> rocPoints(double[] s, boolean[] y) {
    int pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    int neg = y.length - pos;
    List<double[]> pts = new ArrayList<>(List.of(new double[] {0, 0}));
    Integer[] idx = byScoreDescending(s);
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < idx.length; i++) {
      if (y[idx[i]]) {
        tp++;
      } else {
        fp++;
      }
      if (i + 1 == idx.length || s[idx[i + 1]] != s[idx[i]]) {
        pts.add(new double[] {neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos});
      }
    }
    return pts;
  }

  /** (recall, precision) at every distinct threshold. */
  static List<double[]> prPoints(double[] s, boolean[] y) {
    int pos = 0;
    for (boolean b : y) {
      pos += b ? 1 : 0;
    }
    List<double[]> pts = new ArrayList<>();
    Integer[] idx = byScoreDescending(s);
    int tp = 0;
    for (int i = 0; i < idx.length; i++) {
      tp += y[idx[i]] ? 1 : 0;
      if (i + 1 == idx.length || s[idx[i + 1]] != s[idx[i]]) {
        pts.add(new double[] {pos == 0 ? 0 : (double) tp / pos, (double) tp / (i + 1)});
      }
    }
    if (!pts.isEmpty()) {
      pts.add(0, new double[] {0, pts.get(0)[1]});
    }
    return pts;
  }

  private static double px(double v) {
    return M + v * (W - 2 * M);
  }

  private static double py(double v) {
    return H - M - v * (H - 2 * M);
  }

  private static void axes(StringBuilder b, String title, String xLabel, String yLabel) {
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>", M, esc(title)));
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
        M, M, W - 2 * M, H - 2 * M));
    for (int t = 0; t <= 4; t++) {
      double v = t / 4.0;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2f</text>", px(v), H - M + 14, v));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>", M - 4, py(v) + 4, v));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", W / 2, H - 8, esc(xLabel)));
    b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
        H / 2, H / 2, esc(yLabel)));
  }

  private static String plot(String id, String title, String xLabel, String yLabel, List<double[]> pts,
      String colour, boolean diagonal) {
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"plot\"><svg id=\"").append(id).append("\" width=\"").append(W).append("\" height=\"")
        .append(H).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    axes(b, title, xLabel, yLabel);
    if (diagonal) {
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>",
          px(0), py(0), px(1), py(1)));
    }
    StringBuilder d = new StringBuilder();
    int step = Math.max(1, pts.size() / 800);
    for (int i = 0; i < pts.size(); i += step) {
      double[] p = pts.get(i);
      d.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", d.length() == 0 ? "M" : "L", px(p[0]), py(p[1])));
    }
    double[] last = pts.isEmpty() ? null : pts.get(pts.size() - 1);
    if (last != null) {
      d.append(String.format(Locale.ROOT, "L%.1f,%.1f", px(last[0]), py(last[1])));
    }
    b.append("<path class=\"curve\" d=\"").append(d.toString().trim()).append("\" fill=\"none\" stroke=\"")
        .append(colour).append("\" stroke-width=\"3\" shape-rendering=\"crispEdges\"/>");
    b.append("</svg></div>\n");
    return b.toString();
  }

  private static String histogram(double[] s, boolean[] y, double threshold) {
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"plot\"><svg id=\"histogram\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-weight=\"bold\">Scores: normal (grey) vs anomalous (red)</text>", M));
    if (s.length == 0) {
      return b.append("</svg></div>\n").toString();
    }
    double lo = Arrays.stream(s).min().orElse(0);
    double hi = Arrays.stream(s).max().orElse(1);
    if (hi <= lo) {
      hi = lo + 1;
    }
    int bins = 30;
    // Skewed positive scores (most mass in the first of 30 even bins, range over two decades) are
    // binned on a log scale, so the bulk is not one bar.
    double firstEdge = lo + (hi - lo) / bins;
    boolean log = lo > 0 && hi / lo > 100 && Arrays.stream(s).filter(v -> v < firstEdge).count() > s.length / 2;
    java.util.function.DoubleUnaryOperator axis = log ? Math::log : v -> v;
    double a = axis.applyAsDouble(lo);
    double z = axis.applyAsDouble(hi);
    int[] normal = new int[bins];
    int[] anomalous = new int[bins];
    for (int i = 0; i < s.length; i++) {
      int k = Math.max(0, Math.min(bins - 1, (int) ((axis.applyAsDouble(s[i]) - a) / (z - a) * bins)));
      if (y[i]) {
        anomalous[k]++;
      } else {
        normal[k]++;
      }
    }
    // shares within each class, so the rare class stays visible
    int nNormal = Math.max(1, Arrays.stream(normal).sum());
    int nAnomalous = Math.max(1, Arrays.stream(anomalous).sum());
    double top = 0;
    for (int k = 0; k < bins; k++) {
      top = Math.max(top, Math.max((double) normal[k] / nNormal, (double) anomalous[k] / nAnomalous));
    }
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
        M, M, W - 2 * M, H - 2 * M));
    double bw = (W - 2.0 * M) / bins;
    for (int k = 0; k < bins; k++) {
      double hn = normal[k] / (double) nNormal / top * (H - 2 * M);
      double ha = anomalous[k] / (double) nAnomalous / top * (H - 2 * M);
      b.append(String.format(Locale.ROOT, "<rect class=\"normal\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.6\"/>",
          M + k * bw, H - M - hn, bw, hn, NORMAL_COLOUR));
      b.append(String.format(Locale.ROOT, "<rect class=\"anomalous\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.6\"/>",
          M + k * bw, H - M - ha, bw, ha, PR_COLOUR));
    }
    if (!Double.isNaN(threshold) && threshold > (log ? 0 : Double.NEGATIVE_INFINITY)) {
      double tx = M + Math.max(0, Math.min(1, (axis.applyAsDouble(threshold) - a) / (z - a))) * (W - 2 * M);
      b.append(String.format(Locale.ROOT, "<line id=\"threshold\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"5 3\"/>",
          tx, M, tx, H - M));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">threshold %.4g</text>", tx + 3, M + 12, threshold));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.4g</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>",
        M, H - M + 14, lo, W - M, H - M + 14, hi));
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">score%s (bars: share of each class)</text>",
        W / 2, H - 8, log ? ", log scale" : ""));
    return b.append("</svg></div>\n").toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
