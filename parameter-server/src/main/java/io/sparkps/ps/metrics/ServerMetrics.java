package io.sparkps.ps.metrics;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedRoundStats;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.TrafficCounter;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server process: bytes in and out, pushes by outcome, errors by code, and
 * per shard the last round's statistics and a rounds-per-second rate over the last 20 rounds.
 * Thread-safe. The hot path adds to plain {@code LongAdder}s; each metric of the Prometheus Java
 * client's registry ({@link #registry()}) reads them by callback when scraped, so a scrape costs
 * the server nothing between scrapes.
 */
public final class ServerMetrics implements TrafficCounter {
  private static final int RATE_WINDOW = 20;
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final Map<PushOutcome, LongAdder> pushes = new EnumMap<>(PushOutcome.class);
  private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);
  private final Map<Integer, ShardGauges> shards = new TreeMap<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private static final class ShardGauges {
    long rounds;
    RoundStats last;
    boolean keyed;
    long keysPulled;
    long keysPushed;
    long keyedBytesIn;
    long keyedBytesOut;
    final ArrayDeque<Long> completions = new ArrayDeque<>();
  }

  public ServerMetrics() {
    register();
    for (PushOutcome o : PushOutcome.values()) {
      pushes.put(o, new LongAdder());
    }
    for (ErrorCode c : ErrorCode.values()) {
      errors.put(c, new LongAdder());
    }
  }

  @Override
  public void received(long bytes) {
    bytesIn.add(bytes);
  }

  @Override
  public void sent(long bytes) {
    bytesOut.add(bytes);
  }

  public void push(PushOutcome outcome) {
    pushes.get(outcome).increment();
  }

  public void error(ErrorCode code) {
    errors.get(code).increment();
  }

  public long bytesIn() {
    return bytesIn.sum();
  }

  public long bytesOut() {
    return bytesOut.sum();
  }

  /** Records a completed round of shard {@code shardId}. */
  public synchronized void round(int shardId, RoundStats stats) {
    ShardGauges g = shards.computeIfAbsent(shardId, k -> new ShardGauges());
    g.rounds++;
    g.last = stats;
    KeyedRoundStats k = stats.keyed();
    if (!k.equals(KeyedRoundStats.NONE)) {
      g.keyed = true;
      g.keysPulled += k.keysPulled();
      g.keysPushed += k.keysPushed();
      g.keyedBytesIn += k.bytesIn();
      g.keyedBytesOut += k.bytesOut();
    }
    g.completions.addLast(System.nanoTime());
    if (g.completions.size() > RATE_WINDOW) {
      g.completions.removeFirst();
    }
  }

  /** Rounds per second of shard {@code shardId} over its last rounds (0 before two rounds). */
  public synchronized double roundsPerSecond(int shardId) {
    ShardGauges g = shards.get(shardId);
    return g == null ? 0 : rate(g);
  }

  private static double rate(ShardGauges g) {
    if (g.completions.size() < 2) {
      return 0;
    }
    double seconds = (g.completions.peekLast() - g.completions.peekFirst()) / 1e9;
    return seconds <= 0 ? 0 : (g.completions.size() - 1) / seconds;
  }

  /** The registry the metrics endpoint serves: this process's counters and gauges. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4) of every counter and gauge. */
  public String prometheus() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics to memory", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Registers every metric, each read from this object's counters when scraped. */
  private void register() {
    CounterWithCallback.builder().name("sparkps_ps_received_bytes_total")
        .help("Bytes received in frames.").callback(cb -> cb.call(bytesIn.sum()))
        .register(registry);
    CounterWithCallback.builder().name("sparkps_ps_sent_bytes_total")
        .help("Bytes sent in frames.").callback(cb -> cb.call(bytesOut.sum())).register(registry);
    CounterWithCallback.builder().name("sparkps_ps_pushes_total").help("Pushes by outcome.")
        .labelNames("outcome").callback(cb -> pushes.forEach((o, n) ->
            cb.call(n.sum(), o.name().toLowerCase(Locale.ROOT)))).register(registry);
    CounterWithCallback.builder().name("sparkps_ps_errors_total").help("Error replies by code.")
        .labelNames("code").callback(cb -> errors.forEach((c, n) -> cb.call(n.sum(), c.name())))
        .register(registry);
    CounterWithCallback.builder().name("sparkps_ps_rounds_total")
        .help("Rounds completed per shard.").labelNames("shard")
        .callback(cb -> eachShard((id, g) -> cb.call(g.rounds, id))).register(registry);
    shardGauge("sparkps_ps_rounds_per_second", "Rounds per second over the last rounds.",
        (id, g) -> rate(g));
    shardGauge("sparkps_ps_round_pushes", "Pushes counted in the last round.",
        (id, g) -> g.last.pushes());
    shardGauge("sparkps_ps_round_max_staleness", "Largest staleness in the last round.",
        (id, g) -> g.last.maxStaleness());
    shardGauge("sparkps_ps_round_wait_for_slowest_seconds", "First to last push, last round.",
        (id, g) -> g.last.waitForSlowestMillis() / 1e3);
    shardGauge("sparkps_ps_last_loss", "Mean loss of the last round.",
        (id, g) -> g.last.meanLoss());
    registerKeyed();
  }

  /** The keyed shards' counts: totals, the last round's, and the table's size. */
  private void registerKeyed() {
    keyedCounter("sparkps_ps_keys_pulled_total", "Keys asked for by keyed pulls.",
        (id, g) -> g.keysPulled);
    keyedCounter("sparkps_ps_keys_pushed_total", "Keys carried by keyed pushes.",
        (id, g) -> g.keysPushed);
    keyedCounter("sparkps_ps_keyed_received_bytes_total", "Payload bytes of keyed requests.",
        (id, g) -> g.keyedBytesIn);
    keyedCounter("sparkps_ps_keyed_sent_bytes_total", "Payload bytes of keyed rows sent.",
        (id, g) -> g.keyedBytesOut);
    keyedGauge("sparkps_ps_round_keys_pulled", "Keys pulled in the last round.",
        (id, g) -> g.last.keyed().keysPulled());
    keyedGauge("sparkps_ps_round_keys_pushed", "Keys pushed in the last round.",
        (id, g) -> g.last.keyed().keysPushed());
    keyedGauge("sparkps_ps_round_keys_updated", "Distinct keys updated in the last round.",
        (id, g) -> g.last.keyed().keysUpdated());
    keyedGauge("sparkps_ps_table_keys", "Keys stored in the shard's table.",
        (id, g) -> g.last.keyed().tableKeys());
    keyedGauge("sparkps_ps_table_bytes", "Bytes the shard's table retains.",
        (id, g) -> g.last.keyed().tableBytes());
  }

  private void keyedCounter(String name, String help, ShardValue value) {
    CounterWithCallback.builder().name(name).help(help).labelNames("shard")
        .callback(cb -> eachKeyedShard((id, g) -> cb.call(value.of(id, g), id)))
        .register(registry);
  }

  private void keyedGauge(String name, String help, ShardValue value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("shard")
        .callback(cb -> eachKeyedShard((id, g) -> cb.call(value.of(id, g), id)))
        .register(registry);
  }

  /** As {@link #eachShard} for the shards that hold a keyed table. */
  private void eachKeyedShard(java.util.function.BiConsumer<String, ShardGauges> each) {
    eachShard((id, g) -> {
      if (g.keyed) {
        each.accept(id, g);
      }
    });
  }

  private void shardGauge(String name, String help, ShardValue value) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("shard")
        .callback(cb -> eachShard((id, g) -> cb.call(value.of(id, g), id))).register(registry);
  }

  /** Calls {@code each} for every shard that completed a round, under this object's lock. */
  private synchronized void eachShard(java.util.function.BiConsumer<String, ShardGauges> each) {
    shards.forEach((id, g) -> each.accept(Integer.toString(id), g));
  }

  @FunctionalInterface
  private interface ShardValue {
    double of(String shard, ShardGauges g);
  }
}
