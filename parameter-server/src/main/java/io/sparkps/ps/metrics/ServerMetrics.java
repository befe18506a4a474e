package io.sparkps.ps.metrics;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedRoundStats;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.wire.TrafficCounter;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server process: bytes in and out, pushes by outcome, errors by code, and
 * per shard the last round's statistics and a rounds-per-second rate over the last 20 rounds.
 * Thread-safe.
 */
public final class ServerMetrics implements TrafficCounter {
  private static final int RATE_WINDOW = 20;
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final Map<PushOutcome, LongAdder> pushes = new EnumMap<>(PushOutcome.class);
  private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);
  private final Map<Integer, ShardGauges> shards = new TreeMap<>();

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
    if (g == null || g.completions.size() < 2) {
      return 0;
    }
    double seconds = (g.completions.peekLast() - g.completions.peekFirst()) / 1e9;
    return seconds <= 0 ? 0 : (g.completions.size() - 1) / seconds;
  }

  /** The Prometheus text exposition of every counter and gauge. */
  public synchronized String prometheus() {
    StringBuilder b = new StringBuilder(2048);
    counter(b, "sparkps_ps_received_bytes_total", "Bytes received in frames.", "", bytesIn.sum());
    counter(b, "sparkps_ps_sent_bytes_total", "Bytes sent in frames.", "", bytesOut.sum());
    header(b, "sparkps_ps_pushes_total", "Pushes by outcome.", "counter");
    pushes.forEach((o, n) -> sample(b, "sparkps_ps_pushes_total",
        "{outcome=\"" + o.name().toLowerCase(Locale.ROOT) + "\"}", n.sum()));
    header(b, "sparkps_ps_errors_total", "Error replies by code.", "counter");
    errors.forEach((c, n) -> sample(b, "sparkps_ps_errors_total", "{code=\"" + c.name() + "\"}",
        n.sum()));
    shardGauges(b);
    keyedGauges(b);
    return b.toString();
  }

  /** The keyed shards' counts: totals, the last round's, and the table's size. */
  private void keyedGauges(StringBuilder b) {
    String[][] gauges = {
        {"sparkps_ps_keys_pulled_total", "Keys asked for by keyed pulls.", "counter"},
        {"sparkps_ps_keys_pushed_total", "Keys carried by keyed pushes.", "counter"},
        {"sparkps_ps_keyed_received_bytes_total", "Payload bytes of keyed requests.", "counter"},
        {"sparkps_ps_keyed_sent_bytes_total", "Payload bytes of keyed rows sent.", "counter"},
        {"sparkps_ps_round_keys_pulled", "Keys pulled in the last round.", "gauge"},
        {"sparkps_ps_round_keys_pushed", "Keys pushed in the last round.", "gauge"},
        {"sparkps_ps_round_keys_updated", "Distinct keys updated in the last round.", "gauge"},
        {"sparkps_ps_table_keys", "Keys stored in the shard's table.", "gauge"},
        {"sparkps_ps_table_bytes", "Bytes the shard's table retains.", "gauge"}};
    for (String[] g : gauges) {
      header(b, g[0], g[1], g[2]);
      shards.forEach((id, s) -> {
        if (s.keyed) {
          sample(b, g[0], "{shard=\"" + id + "\"}", keyedValue(g[0], s));
        }
      });
    }
  }

  private static double keyedValue(String name, ShardGauges s) {
    KeyedRoundStats k = s.last.keyed();
    return switch (name) {
      case "sparkps_ps_keys_pulled_total" -> s.keysPulled;
      case "sparkps_ps_keys_pushed_total" -> s.keysPushed;
      case "sparkps_ps_keyed_received_bytes_total" -> s.keyedBytesIn;
      case "sparkps_ps_keyed_sent_bytes_total" -> s.keyedBytesOut;
      case "sparkps_ps_round_keys_pulled" -> k.keysPulled();
      case "sparkps_ps_round_keys_pushed" -> k.keysPushed();
      case "sparkps_ps_round_keys_updated" -> k.keysUpdated();
      case "sparkps_ps_table_keys" -> k.tableKeys();
      default -> k.tableBytes();
    };
  }

  private void shardGauges(StringBuilder b) {
    String[][] gauges = {
        {"sparkps_ps_rounds_total", "Rounds completed per shard.", "counter"},
        {"sparkps_ps_rounds_per_second", "Rounds per second over the last rounds.", "gauge"},
        {"sparkps_ps_round_pushes", "Pushes counted in the last round.", "gauge"},
        {"sparkps_ps_round_max_staleness", "Largest staleness in the last round.", "gauge"},
        {"sparkps_ps_round_wait_for_slowest_seconds", "First to last push, last round.", "gauge"},
        {"sparkps_ps_last_loss", "Mean loss of the last round.", "gauge"}};
    for (String[] g : gauges) {
      header(b, g[0], g[1], g[2]);
      shards.forEach((id, s) -> sample(b, g[0], "{shard=\"" + id + "\"}", value(g[0], id, s)));
    }
  }

  private double value(String name, int id, ShardGauges s) {
    return switch (name) {
      case "sparkps_ps_rounds_total" -> s.rounds;
      case "sparkps_ps_rounds_per_second" -> roundsPerSecond(id);
      case "sparkps_ps_round_pushes" -> s.last.pushes();
      case "sparkps_ps_round_max_staleness" -> s.last.maxStaleness();
      case "sparkps_ps_round_wait_for_slowest_seconds" -> s.last.waitForSlowestMillis() / 1e3;
      default -> s.last.meanLoss();
    };
  }

  private static void counter(StringBuilder b, String name, String help, String labels,
      double v) {
    header(b, name, help, "counter");
    sample(b, name, labels, v);
  }

  private static void header(StringBuilder b, String name, String help, String type) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder b, String name, String labels, double v) {
    b.append(name).append(labels).append(' ');
    if (Double.isNaN(v)) {
      b.append("NaN");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      b.append((long) v);
    } else {
      b.append(v);
    }
    b.append('\n');
  }
}
