package io.seqwatch.samples.flink;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReader;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.io.ScoreCsv;
import io.seqwatch.core.pipeline.FittedPipeline;
import io.seqwatch.core.prep.ActorSample;
import io.seqwatch.core.prep.Grouping;
import io.seqwatch.core.stream.KeyedScorer;
import io.seqwatch.spi.Alert;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A Flink DataStream job that scores behaviour events with a Seqwatch bundle and writes alerts.
 *
 * <p>Lines are parsed with Seqwatch's readers (malformed lines go to a side output with their
 * reason), keyed by the pipeline's sequence key (actor or session), and scored by {@link Scorer},
 * a {@code KeyedProcessFunction} that keeps each sequence's streaming state as Flink keyed state
 * ({@code ValueState<byte[]>}, Seqwatch's documented state layout), so checkpoints and rescaling
 * carry it. Alerts (one per anomalous episode) come out as JSON lines.
 *
 * <pre>
 * java -cp ... io.seqwatch.samples.flink.SeqwatchFlinkJob --model m --input events.csv --format taobao --out alerts/
 * java -cp ... io.seqwatch.samples.flink.SeqwatchFlinkJob --model m --input kafka://localhost:9092/events --out alerts/
 * flink run target/seqwatch-flink-job.jar --model m --input hdfs:///events --format taobao --out hdfs:///alerts
 * flink run target/seqwatch-flink-job.jar --mode batch --model m --input hdfs:///history.csv --out hdfs:///scored
 * flink run target/seqwatch-flink-job.jar --mode sample --sample 0.01 --seed 42 --input hdfs:///history.csv --out s
 * </pre>
 *
 * <p>{@code --mode batch} scores a historical log of any size as {@code seqwatch score} does (one
 * CSV row per sequence under {@code OUT/scores}, see {@link #buildBatch}); {@code --mode sample}
 * writes the lines of a seeded share of actors under {@code OUT/sample}, the sample {@code seqwatch
 * train --sample R --seed S} would draw, for training on one machine ({@link #buildSample}).
 *
 * <p>Without a cluster it runs on a local mini-cluster. Thread-safety: Flink runs one function
 * instance per task thread.
 */
public final class SeqwatchFlinkJob {
  /** Lines the reader rejected, with their reason. */
  static final OutputTag<String> REJECTED = new OutputTag<>("rejected", Types.STRING);

  private SeqwatchFlinkJob() {}

  /**
   * The scoring part of the job: lines in, alert JSON lines out (rejected lines on {@link #REJECTED}
   * of the parse step, returned as the second element).
   */
  static List<DataStream<String>> build(DataStream<String> lines, String model, String format, String grouping) {
    return build(lines, model, format, grouping, DEFAULT_IDLE_TTL, Duration.ZERO);
  }

  /** The streaming scorer's default idle expiry, for keyed state too. */
  static final Duration DEFAULT_IDLE_TTL = Duration.ofHours(24);

  /**
   * As {@link #build(DataStream, String, String, String)}, with sequences expiring after {@code
   * idleTtl} of event time (0 = never) and watermarks {@code outOfOrderness} behind the newest event.
   */
  static List<DataStream<String>> build(DataStream<String> lines, String model, String format, String grouping,
      Duration idleTtl, Duration outOfOrderness) {
    // parsing stays with the source's parallelism so that each actor's events reach the keyed
    // scorer in file order
    SingleOutputStreamOperator<String> parsed = lines.process(new Parse(format, grouping, false)).name("parse " + format)
        .setParallelism(lines.getParallelism());
    // event time: each event's own timestamp, watermarks as far behind the newest event as the
    // log may be out of order (0 for a time-ordered log), so idle expiry follows the log's clock
    // as the in-process scorer's does, not the machine's (a replay of last month expires actors as
    // it goes)
    DataStream<String> alerts = parsed
        .assignTimestampsAndWatermarks(WatermarkStrategy.<String>forBoundedOutOfOrderness(outOfOrderness)
            .withTimestampAssigner((record, previous) -> timeOfRecord(record)))
        .setParallelism(lines.getParallelism())
        .keyBy(SeqwatchFlinkJob::keyOfRecord)
        .process(new Scorer(model, format, idleTtl)).name("seqwatch " + Path.of(model).getFileName());
    return List.of(alerts, parsed.getSideOutput(REJECTED));
  }

  /**
   * Batch mode: scores a historical log of any size as {@code seqwatch score} does, one CSV row
   * per sequence ({@link ScoreCsv}; rejected lines on the second stream). Lines are numbered in file
   * order by one reader (the number is each event's line, which orders events of equal time as
   * the CLI does), parsed, keyed by the pipeline's stream key, and each key's events are scored
   * whole once its input ends ({@link BatchScorer}). Run with {@code RuntimeExecutionMode.BATCH},
   * Flink sorts the input by key, so state holds one key's events at a time, not the log. Rows come
   * in key order, not file order; the scores equal the CLI's (FlinkJobTest).
   */
  static List<DataStream<String>> buildBatch(DataStream<String> lines, String model, String format, String grouping) {
    SingleOutputStreamOperator<String> parsed = lines.map(new NumberLines()).name("number lines").setParallelism(1)
        .process(new Parse(format, grouping, true)).name("parse " + format);
    DataStream<String> scores = parsed.keyBy(SeqwatchFlinkJob::keyOfRecord)
        .process(new BatchScorer(model, format)).name("score " + Path.of(model).getFileName());
    return List.of(scores, parsed.getSideOutput(REJECTED));
  }

  /**
   * Sample mode: the lines of a seeded share of actors, each actor with all its lines, as {@code
   * seqwatch train --sample R --seed S} would draw them ({@link ActorSample#inShare}), so that a log
   * too large for one machine trains on one: sample it here, then {@code seqwatch train} on the
   * sample (rejected lines on the second stream).
   */
  static List<DataStream<String>> buildSample(DataStream<String> lines, String format, double share, long seed) {
    ActorSample.ofShare(share, seed); // checks the share now, not in a task
    SingleOutputStreamOperator<String> kept = lines.process(new SampleLines(format, share, seed))
        .name("sample " + share + " of actors");
    return List.of(kept, kept.getSideOutput(REJECTED));
  }

  /** Keeps the lines whose event's actor is in the sample. */
  static final class SampleLines extends org.apache.flink.streaming.api.functions.ProcessFunction<String, String> {
    private final String format;
    private final double share;
    private final long seed;
    private transient EventReader reader;

    SampleLines(String format, double share, long seed) {
      this.format = format;
      this.share = share;
      this.seed = seed;
    }

    @Override
    public void open(OpenContext context) {
      reader = EventReaders.forFormat(format);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<String> out) throws IOException {
      if (line.isBlank()) {
        return;
      }
      List<BehaviorEvent> events = new ArrayList<>(1);
      reader.read(new BufferedReader(new StringReader(line)), events::add,
          r -> ctx.output(REJECTED, r.reason() + "\t" + r.raw()));
      if (!events.isEmpty() && ActorSample.inShare(events.get(0).actorId(), share, seed)) {
        out.collect(line);
      }
    }
  }

  /** Prefixes each line with its 1-based number in the input ("n\tline"); parallelism 1 keeps file order. */
  static final class NumberLines extends org.apache.flink.api.common.functions.RichMapFunction<String, String> {
    private long n;

    @Override
    public String map(String line) {
      return ++n + "\t" + line;
    }
  }

  /**
   * Collects a key's records in keyed list state and scores them as one batch when the key's input
   * ends (an event-time timer at the end of time: Flink fires it after a key's last record in
   * BATCH mode, and at the end of a bounded input in STREAMING mode).
   */
  static final class BatchScorer extends KeyedProcessFunction<String, String, String> {
    private final String model;
    private final String format;
    private transient FittedPipeline pipeline;
    private transient EventReader reader;
    private transient org.apache.flink.api.common.state.ListState<String> records;

    BatchScorer(String model, String format) {
      this.model = model;
      this.format = format;
    }

    @Override
    public void open(OpenContext context) throws IOException {
      pipeline = FittedPipeline.load(Path.of(model));
      reader = EventReaders.forFormat(format);
      records = getRuntimeContext().getListState(
          new org.apache.flink.api.common.state.ListStateDescriptor<>("seqwatch-records", Types.STRING));
    }

    @Override
    public void processElement(String record, Context ctx, Collector<String> out) throws Exception {
      if (!records.get().iterator().hasNext()) {
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      }
      records.add(record.substring(record.indexOf('\t') + 1));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
      List<BehaviorEvent> events = new ArrayList<>();
      for (String numbered : records.get()) {
        events.addAll(parse(reader, numbered));
      }
      records.clear();
      for (io.seqwatch.api.Score s : pipeline.scoreEvents(events, 1)) {
        out.collect(ScoreCsv.row(s, s.key()));
      }
    }

    @Override
    public void close() {
      if (pipeline != null) {
        pipeline.close();
      }
    }
  }

  /** The events of a numbered line ("n\tline"), each carrying line n; rejects dropped (Parse reported them). */
  static List<BehaviorEvent> parse(EventReader reader, String numbered) throws IOException {
    int tab = numbered.indexOf('\t');
    long n = Long.parseLong(numbered.substring(0, tab));
    List<BehaviorEvent> events = new ArrayList<>(1);
    reader.read(new BufferedReader(new StringReader(numbered.substring(tab + 1))), e -> events.add(new BehaviorEvent(
        e.actorId(), e.sessionId(), e.timestampMillis(), e.action(), e.type(), e.itemId(), e.categoryId(), e.price(),
        n, e.attributes())), r -> { });
    return events;
  }

  /**
   * A parsed event travels as "key\ttime\tline" (streaming) or "key\tn\tline" (batch), so that
   * Flink needs no serializer of Seqwatch types.
   */
  private static String keyOfRecord(String record) {
    return record.substring(0, record.indexOf('\t'));
  }

  /** The event time of a streaming record. */
  static long timeOfRecord(String record) {
    int a = record.indexOf('\t') + 1;
    return Long.parseLong(record.substring(a, record.indexOf('\t', a)));
  }

  public static void main(String[] args) throws Exception {
    String input = arg(args, "--input", null);
    String format = arg(args, "--format", "taobao");
    String out = arg(args, "--out", "alerts");
    String mode = arg(args, "--mode", "stream");
    if (!List.of("stream", "batch", "sample").contains(mode)) {
      throw new IllegalArgumentException("--mode must be stream, batch or sample, not " + mode);
    }
    boolean batch = !mode.equals("stream");
    Duration idleTtl = io.seqwatch.core.prep.DurationSpec.parse(arg(args, "--idle-ttl", "24h"));
    Duration lateness = io.seqwatch.core.prep.DurationSpec.parse(arg(args, "--lateness", "0"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    if (batch) {
      env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
    } else {
      env.enableCheckpointing(Duration.ofSeconds(10).toMillis());
    }
    DataStream<String> lines = input.startsWith("kafka://")
        ? kafka(env, input.substring("kafka://".length()), batch)
        : env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(),
            new org.apache.flink.core.fs.Path(input)).build(), WatermarkStrategy.noWatermarks(), "events");
    if (batch) {
      ((org.apache.flink.streaming.api.datastream.DataStreamSource<String>) lines).setParallelism(1); // file order
    }
    if (mode.equals("sample")) { // no model: the lines of a seeded share of actors, for `seqwatch train`
      List<DataStream<String>> s = buildSample(lines, format, Double.parseDouble(arg(args, "--sample", null)),
          Long.parseLong(arg(args, "--seed", "42")));
      s.get(0).sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out + "/sample"),
          new SimpleStringEncoder<String>()).build()).name("sample");
      s.get(1).sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out + "/rejected"),
          new SimpleStringEncoder<String>()).build()).name("rejected");
      env.execute("seqwatch sample of " + input);
      return;
    }
    String model = arg(args, "--model", null);
    String grouping;
    try (FittedPipeline p = FittedPipeline.load(Path.of(model))) { // fail fast on a bad bundle
      grouping = p.grouping().spec();
    }
    List<DataStream<String>> s = batch ? buildBatch(lines, model, format, grouping)
        : build(lines, model, format, grouping, idleTtl, lateness);
    s.get(0).sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out + (batch ? "/scores" : "/alerts")),
        new SimpleStringEncoder<String>()).build()).name(batch ? "scores" : "alerts");
    s.get(1).sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out + "/rejected"),
        new SimpleStringEncoder<String>()).build()).name("rejected");
    env.execute("seqwatch " + model);
  }

  /**
   * Event lines from a Kafka topic, {@code servers/topic} (for example {@code localhost:9092/events}),
   * read by the consumer group {@code seqwatch} from its committed offsets (earliest at first);
   * offsets are committed on checkpoints. One partition per actor range keeps each actor's events
   * in order (produce them keyed by actor).
   *
   * @param bounded stop at the offsets current at start (for tests and replays)
   */
  static org.apache.flink.streaming.api.datastream.DataStreamSource<String> kafka(StreamExecutionEnvironment env,
      String spec, boolean bounded) {
    int slash = spec.indexOf('/');
    if (slash < 1) {
      throw new IllegalArgumentException("kafka input must be kafka://servers/topic, got kafka://" + spec);
    }
    var b = org.apache.flink.connector.kafka.source.KafkaSource.<String>builder()
        .setBootstrapServers(spec.substring(0, slash)).setTopics(spec.substring(slash + 1)).setGroupId("seqwatch")
        .setStartingOffsets(org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer
            .committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
        .setValueOnlyDeserializer(new org.apache.flink.api.common.serialization.SimpleStringSchema());
    if (bounded) {
      b.setBounded(org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer.latest());
    }
    return env.fromSource(b.build(), WatermarkStrategy.noWatermarks(), "kafka events");
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing " + name + "; usage: --model M --input F [--format taobao] [--out DIR] [--mode stream|batch|sample] [--idle-ttl 24h] [--lateness 0]");
    }
    return fallback;
  }

  /**
   * Parses one line with Seqwatch's reader; emits "key\tline" (numbered input: "key\tn\tline") or a
   * rejected record ("reason\traw"; numbered: "line n: reason\traw") on the side.
   */
  static final class Parse extends org.apache.flink.streaming.api.functions.ProcessFunction<String, String> {
    private final String format;
    private final String grouping;
    private final boolean numbered;
    private transient EventReader reader;
    private transient Grouping keys;

    /**
     * @param grouping the pipeline's grouping spec, whose rule keys each event (its session or its actor)
     * @param numbered whether lines come as "n\tline" ({@link NumberLines})
     */
    Parse(String format, String grouping, boolean numbered) {
      this.format = format;
      this.grouping = grouping;
      this.numbered = numbered;
    }

    @Override
    public void open(OpenContext context) {
      reader = EventReaders.forFormat(format);
      keys = Grouping.parse(grouping);
    }

    @Override
    public void processElement(String record, Context ctx, Collector<String> out) throws IOException {
      int tab = numbered ? record.indexOf('\t') : -1;
      String line = record.substring(tab + 1);
      if (line.isBlank()) {
        return;
      }
      String where = numbered ? "line " + record.substring(0, tab) + ": " : "";
      List<BehaviorEvent> events = new ArrayList<>(1);
      reader.read(new BufferedReader(new StringReader(line)), events::add,
          r -> ctx.output(REJECTED, where + r.reason() + "\t" + r.raw()));
      for (BehaviorEvent e : events) { // streaming: "key\ttime\tline" (the time for watermarks); batch: "key\tn\tline"
        out.collect(keys.streamKey(e) + "\t" + (numbered ? "" : e.timestampMillis() + "\t") + record);
      }
    }
  }

  /**
   * The keyed state of one sequence: Seqwatch's state bytes. Sequences expire in event time (the
   * scorer's timers, driven by watermarks, as the in-process scorer's idle expiry); this processing-
   * time TTL is the safety net for a stream whose watermark stops (a source gone quiet), so the
   * job's state stays bounded by the actors active within the TTL either way. Expired state is never
   * returned: the actor starts a new sequence. No TTL when {@code idleTtl} is 0.
   */
  static ValueStateDescriptor<byte[]> stateDescriptor(Duration idleTtl) {
    ValueStateDescriptor<byte[]> d = new ValueStateDescriptor<>("seqwatch-sequence",
        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    if (idleTtl.isZero()) {
      return d;
    }
    d.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(idleTtl)
        .setUpdateType(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    return d;
  }

  /**
   * Scores a keyed sequence with its state in Flink keyed state; a sequence idle for {@code idleTtl}
   * of event time starts again (checked on its next event, and its state dropped by an event-time
   * timer once the watermark passes, so an actor that never returns costs nothing).
   */
  static final class Scorer extends KeyedProcessFunction<String, String, String> {
    private final String model;
    private final String format;
    private final Duration idleTtl;
    private transient FittedPipeline pipeline;
    private transient KeyedScorer scorer;
    private transient EventReader reader;
    private transient ValueState<byte[]> state;
    private transient ValueState<Long> expiry; // event time after which the sequence is idle past the TTL

    Scorer(String model, String format, Duration idleTtl) {
      this.model = model;
      this.format = format;
      this.idleTtl = idleTtl;
    }

    @Override
    public void open(OpenContext context) throws IOException {
      pipeline = FittedPipeline.load(Path.of(model));
      scorer = new KeyedScorer(pipeline);
      reader = EventReaders.forFormat(format);
      state = getRuntimeContext().getState(stateDescriptor(idleTtl));
      expiry = getRuntimeContext().getState(new ValueStateDescriptor<>("seqwatch-expiry", Types.LONG));
    }

    @Override
    public void processElement(String record, Context ctx, Collector<String> out) throws IOException {
      int a = record.indexOf('\t') + 1;
      String line = record.substring(record.indexOf('\t', a) + 1);
      List<BehaviorEvent> events = new ArrayList<>(1);
      reader.read(new BufferedReader(new StringReader(line)), events::add, r -> { });
      for (BehaviorEvent e : events) {
        byte[] held = state.value();
        Long until = expiry.value();
        if (held != null && until != null && e.timestampMillis() > until) {
          held = null; // idle past the TTL in event time: a new sequence, as the in-process scorer evicts it
        }
        KeyedScorer.Step step = scorer.accept(held, e);
        state.update(step.state());
        if (step.alert().isPresent()) {
          out.collect(json(step.alert().get()));
        }
        if (!idleTtl.isZero()) {
          long next = e.timestampMillis() + idleTtl.toMillis();
          if (held == null || until == null || next > until) {
            if (until != null) {
              ctx.timerService().deleteEventTimeTimer(until);
            }
            expiry.update(next);
            ctx.timerService().registerEventTimeTimer(next);
          }
        }
      }
    }

    /** The watermark passed the sequence's expiry: its state goes (bounded by the actors active within the TTL). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws IOException {
      Long until = expiry.value();
      if (until != null && until == timestamp) {
        state.clear();
        expiry.clear();
      }
    }

    @Override
    public void close() {
      if (pipeline != null) {
        pipeline.close();
      }
    }
  }

  private static final io.seqwatch.spi.support.AlertJson JSON = new io.seqwatch.spi.support.AlertJson("");

  /** One alert as a JSON line, in the form every Seqwatch sink writes. */
  static String json(Alert a) {
    return JSON.line(a);
  }
}
