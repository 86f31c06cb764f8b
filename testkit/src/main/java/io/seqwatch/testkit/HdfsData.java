package io.seqwatch.testkit;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.api.BehaviorSequence;
import io.seqwatch.core.eval.Labels;
import io.seqwatch.core.io.CsvMapping;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.prep.Grouping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HDFS log-key benchmark from {@code ../shared/data/hdfs} as sequences and labels (keys are the
 * 1-based line numbers of {@code hdfs_valid_labelled.csv}), for detector tests in any module.
 *
 * @param train the normal training sessions
 * @param valid the labelled sessions
 * @param labels their labels
 */
public record HdfsData(List<BehaviorSequence> train, List<BehaviorSequence> valid, Labels labels) {
  /** HDFS's natural number of normal sessions. */
  public static final double NATURAL_NORMAL = 553_366;
  /** HDFS's natural number of anomalous sessions. */
  public static final double NATURAL_ANOMALOUS = 16_838;

  /** Reads the two HDFS files from {@code dir}. */
  public static HdfsData load(Path dir) throws IOException {
    List<BehaviorEvent> t = new ArrayList<>();
    EventReaders.forFormat("tokens").read(dir.resolve("hdfs_train"), t::add, r -> {
      throw new IllegalStateException(r.toString());
    });
    List<BehaviorEvent> v = new ArrayList<>();
    EventReaders.forFormat("csv", new CsvMapping(",", true, null, null, null, "Sequence"))
        .read(dir.resolve("hdfs_valid_labelled.csv"), v::add, r -> {
          throw new IllegalStateException(r.toString());
        });
    Map<String, Boolean> labels = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("hdfs_valid_labelled.csv"));
    for (int i = 1; i < lines.size(); i++) {
      String l = lines.get(i);
      labels.put(Integer.toString(i + 1), l.substring(l.lastIndexOf(',') + 1).trim().equals("1"));
    }
    Grouping g = Grouping.byActor();
    return new HdfsData(g.group(t), g.group(v), new Labels(labels, Map.of()));
  }

  /**
   * Recall, false-positive rate and F1 re-weighted to HDFS's natural class ratio, for decisions on
   * {@link #valid()}.
   *
   * @param flagged keys flagged anomalous
   * @return {recall, fpr, f1}
   */
  public double[] recallFprF1(java.util.Set<String> flagged) {
    int tp = 0;
    int fp = 0;
    int pos = 0;
    int neg = 0;
    for (BehaviorSequence s : valid) {
      boolean y = labels.label(s.key()).orElseThrow();
      boolean f = flagged.contains(s.key());
      pos += y ? 1 : 0;
      neg += y ? 0 : 1;
      tp += y && f ? 1 : 0;
      fp += !y && f ? 1 : 0;
    }
    double recall = (double) tp / pos;
    double fpr = (double) fp / neg;
    double wTp = recall * NATURAL_ANOMALOUS;
    double wFp = fpr * NATURAL_NORMAL;
    double precision = wTp + wFp == 0 ? 0 : wTp / (wTp + wFp);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new double[] {recall, fpr, f1};
  }
}
