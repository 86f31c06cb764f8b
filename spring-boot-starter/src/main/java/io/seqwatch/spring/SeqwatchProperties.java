package io.seqwatch.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code seqwatch.*} settings of the Spring Boot starter.
 *
 * <pre>
 * seqwatch.model=classpath:models/shop.zip        # a folder, a .zip file, classpath: or a URL
 * seqwatch.max-actors=1000000
 * seqwatch.idle-ttl=24h
 * seqwatch.lateness=30s
 * seqwatch.alerts=/var/log/seqwatch/alerts.jsonl   # JSON lines file (optional)
 * seqwatch.sink=webhook                            # another alert sink (optional)
 * seqwatch.sink-options.url=https://risk.example/alerts
 * seqwatch.snapshot=/var/lib/seqwatch/state.snapshot  # restored at start, written at shutdown
 * </pre>
 *
 * <p>Thread-safety: bound once at start-up, then read only.
 */
@ConfigurationProperties(prefix = "seqwatch")
public class SeqwatchProperties {
  /** Where the trained bundle is: a folder, a {@code .zip}, {@code classpath:...} or a URL. */
  private String model;
  /** Sequences held at most (least recently used evicted). */
  private int maxActors = 1_000_000;
  /** A sequence idle this long is dropped. */
  private Duration idleTtl = Duration.ofHours(24);
  /** How long out-of-order events are buffered. */
  private Duration lateness = Duration.ZERO;
  /** A JSON lines file the alerts are appended to (none when empty). */
  private String alerts = "";
  /** Another alert sink by name ({@code webhook}, {@code kafka}, {@code log}, ...; none when empty). */
  private String sink = "";
  /** Options of {@link #sink}, as the sink declares them. */
  private Map<String, String> sinkOptions = new LinkedHashMap<>();
  /** A snapshot file: restored at start when present, written at shutdown (none when empty). */
  private String snapshot = "";

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public int getMaxActors() {
    return maxActors;
  }

  public void setMaxActors(int maxActors) {
    this.maxActors = maxActors;
  }

  public Duration getIdleTtl() {
    return idleTtl;
  }

  public void setIdleTtl(Duration idleTtl) {
    this.idleTtl = idleTtl;
  }

  public Duration getLateness() {
    return lateness;
  }

  public void setLateness(Duration lateness) {
    this.lateness = lateness;
  }

  public String getAlerts() {
    return alerts;
  }

  public void setAlerts(String alerts) {
    this.alerts = alerts;
  }

  public String getSink() {
    return sink;
  }

  public void setSink(String sink) {
    this.sink = sink;
  }

  public Map<String, String> getSinkOptions() {
    return sinkOptions;
  }

  public void setSinkOptions(Map<String, String> sinkOptions) {
    this.sinkOptions = sinkOptions;
  }

  public String getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(String snapshot) {
    this.snapshot = snapshot;
  }
}
