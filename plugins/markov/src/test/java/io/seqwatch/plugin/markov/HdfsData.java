package io.seqwatch.plugin.markov;

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

/** The HDFS log-key benchmark as sequences and labels (keys are 1-based line numbers). */
record HdfsData(List<BehaviorSequence> train, List<BehaviorSequence> valid, Labels labels) {
  static HdfsData load(Path dir) throws IOException {
    List<BehaviorEvent> t = new ArrayList<>();
    EventReaders.forFormat("tokens").read(dir.resolve("hdfs_train"), t::add, r -> {
      throw new IllegalStateException(r.toString());
    });
    List<BehaviorEvent> v = new ArrayList<>();
    EventReaders.forFormat("csv", Optional.of(new CsvMapping(",", true, null, null, null, "Sequence")))
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
}
