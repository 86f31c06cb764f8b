package io.seqwatch.samples.flink;

import io.seqwatch.api.BehaviorEvent;
import io.seqwatch.core.io.EventReader;
import io.seqwatch.core.io.EventReaders;
import io.seqwatch.core.pipeline.FittedPipeline;
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
 * </pre>
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
    return build(lines, model, format, grouping, DEFAULT_IDLE_TTL);
  }

  /** The streaming scorer's default idle expiry, for keyed state too. */
  static final Duration DEFAULT_IDLE_TTL = Duration.ofHours(24);

  /** As {@link #build(DataStream, String, String, String)}, with keyed state expiring after {@code idleTtl}. */
  static List<DataStream<String>> build(DataStream<String> lines, String model, String format, String grouping,
      Duration idleTtl) {
    // parsing stays with the source's parallelism so that each actor's events reach the keyed
    // scorer in file order
    SingleOutputStreamOperator<String> parsed = lines.process(new Parse(format, grouping)).name("parse " + format)
        .setParallelism(lines.getParallelism());
    DataStream<String> alerts = parsed
        .keyBy(SeqwatchFlinkJob::keyOfRecord)
        .process(new Scorer(model, format, idleTtl)).name("seqwatch " + Path.of(model).getFileName());
    return List.of(alerts, parsed.getSideOutput(REJECTED));
  }

  /** A parsed event travels as "key\tline" so that Flink needs no serializer of Seqwatch types. */
  private static String keyOfRecord(String record) {
    return record.substring(0, record.indexOf('\t'));
  }

  public static void main(String[] args) throws Exception {
    String model = arg(args, "--model", null);
    String input = arg(args, "--input", null);
    String format = arg(args, "--format", "taobao");
    String out = arg(args, "--out", "alerts");
    Duration idleTtl = Duration.parse("PT" + arg(args, "--idle-ttl", "24h").toUpperCase(java.util.Locale.ROOT));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(Duration.ofSeconds(10).toMillis());
    DataStream<String> lines = input.startsWith("kafka://")
        ? kafka(env, input.substring("kafka://".length()), false)
        : env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(),
            new org.apache.flink.core.fs.Path(input)).build(), WatermarkStrategy.noWatermarks(), "events");
    String grouping;
    try (FittedPipeline p = FittedPipeline.load(Path.of(model))) { // fail fast on a bad bundle
      grouping = p.grouping().spec();
    }
    List<DataStream<String>> s = build(lines, model, format, grouping, idleTtl);
    s.get(0).sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out + "/alerts"),
        new SimpleStringEncoder<String>()).build()).name("alerts");
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
      throw new IllegalArgumentException("missing " + name + "; usage: --model M --input F [--format taobao] [--out DIR] [--idle-ttl 24h]");
    }
    return fallback;
  }

  /** Parses one line with Seqwatch's reader; emits "key\tline" or a rejected record on the side. */
  static final class Parse extends org.apache.flink.streaming.api.functions.ProcessFunction<String, String> {
    private final String format;
    private final String grouping;
    private transient EventReader reader;
    private transient Grouping keys;

    /** @param grouping the pipeline's grouping spec, whose rule keys each event (its session or its actor) */
    Parse(String format, String grouping) {
      this.format = format;
      this.grouping = grouping;
    }

    @Override
    public void open(OpenContext context) {
      reader = EventReaders.forFormat(format);
      keys = Grouping.parse(grouping);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<String> out) throws IOException {
      if (line.isBlank()) {
        return;
      }
      List<BehaviorEvent> events = new ArrayList<>(1);
      reader.read(new BufferedReader(new StringReader(line)), events::add,
          r -> ctx.output(REJECTED, r.reason() + "\t" + r.raw()));
      for (BehaviorEvent e : events) {
        out.collect(keys.streamKey(e) + "\t" + line);
      }
    }
  }

  /** Scores a keyed sequence with its state in Flink keyed state. */
  /**
   * The keyed state of one sequence: Seqwatch's state bytes, dropped by Flink once the key has seen
   * no event for {@code idleTtl} (processing time), as the in-process scorer's idle expiry drops
   * idle actors, so the job's state is bounded by the actors active within the TTL, not by every
   * actor ever seen. Expired state is never returned: the actor starts a new sequence.
   */
  static ValueStateDescriptor<byte[]> stateDescriptor(Duration idleTtl) {
    ValueStateDescriptor<byte[]> d = new ValueStateDescriptor<>("seqwatch-sequence",
        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    d.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(idleTtl)
        .setUpdateType(org.apache.flink.api.common.state.StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(org.apache.flink.api.common.state.StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build());
    return d;
  }

  static final class Scorer extends KeyedProcessFunction<String, String, String> {
    private final String model;
    private final String format;
    private final Duration idleTtl;
    private transient FittedPipeline pipeline;
    private transient KeyedScorer scorer;
    private transient EventReader reader;
    private transient ValueState<byte[]> state;

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
    }

    @Override
    public void processElement(String record, Context ctx, Collector<String> out) throws IOException {
      String line = record.substring(record.indexOf('\t') + 1);
      List<BehaviorEvent> events = new ArrayList<>(1);
      reader.read(new BufferedReader(new StringReader(line)), events::add, r -> { });
      for (BehaviorEvent e : events) {
        KeyedScorer.Step step = scorer.accept(state.value(), e);
        state.update(step.state());
        if (step.alert().isPresent()) {
          out.collect(json(step.alert().get()));
        }
      }
    }

    @Override
    public void close() {
      if (pipeline != null) {
        pipeline.close();
      }
    }
  }

  private static final io.seqwatch.spi.AlertJson JSON = new io.seqwatch.spi.AlertJson("");

  /** One alert as a JSON line, in the form every Seqwatch sink writes. */
  static String json(Alert a) {
    return JSON.line(a);
  }
}
