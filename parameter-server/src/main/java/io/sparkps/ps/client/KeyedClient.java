package io.sparkps.ps.client;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.wire.Message;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link KeyedParameters} of a keyed job over the protocol's keyed messages: a request's keys
 * are split over the shards by the job's {@link KeySharding} (each shard's sub-list stays
 * ascending), every shard gets its request at once (all written, then all replies read, as
 * {@link ParameterServerClient} does), and the replies' rows are put back in the caller's key
 * order. Every shard is asked every round, with no keys if none of the request's keys is its:
 * each shard holds a slice of the dense tail ({@link KeyedJobSpec#tailStart}) and, in sync mode,
 * counts a round complete once every partition has pushed to it.
 *
 * <p>Memory: per shard one array of keys, one of caller positions and one of rows, each grown to
 * the largest request seen; nothing depends on the model's size. Thread-safe (calls are
 * serialized), but a worker alternates pull and push anyway.
 */
public final class KeyedClient implements KeyedParameters {
  private final ShardSet shards;
  private final int width;
  private final int tailLength;
  private final KeySharding sharding;
  private final long[][] keysOf;
  private final int[][] originOf;
  private final float[][] rowsOf;
  private final int[] counts;

  private KeyedClient(ShardSet shards, int width, int tailLength, long shardingSeed) {
    if (width < 1 || tailLength < 0) {
      throw new IllegalArgumentException("a keyed client needs rows of at least 1 float and a "
          + "tail of at least 0, got " + width + " and " + tailLength + ".");
    }
    this.shards = shards;
    this.width = width;
    this.tailLength = tailLength;
    int n = shards.shardCount();
    this.sharding = new KeySharding(n, shardingSeed);
    this.keysOf = new long[n][0];
    this.originOf = new int[n][0];
    this.rowsOf = new float[n][0];
    this.counts = new int[n];
  }

  /**
   * A client of the keyed job the driver declared with {@code spec} (its width, tail length and
   * sharding seed; the shard addresses and job id come from {@code config}).
   */
  public static KeyedClient connect(ClientConfig config, KeyedJobSpec spec) {
    return connect(config, spec.width(), spec.tailLength(), spec.shardingSeed());
  }

  /** A client of a keyed job of rows of {@code width} floats and a tail of {@code tailLength}. */
  public static KeyedClient connect(ClientConfig config, int width, int tailLength,
      long shardingSeed) {
    return new KeyedClient(new ShardSet(config), width, tailLength, shardingSeed);
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int tailLength() {
    return tailLength;
  }

  @Override
  public synchronized long pull(long round, long[] keys, int count, float[] rows, float[] tail) {
    check(keys, count, rows, tail, "pull");
    split(keys, count, null);
    long deadline = shards.config().pullDeadline().toMillis();
    long jobId = shards.config().jobId();
    int n = shards.shardCount();
    List<Long> versions = shards.fanOut(i -> new ShardSet.Request() {
      public Message message(long id) {
        return new Message.KeyedPull(id, jobId, i, round, deadline, counts[i]);
      }

      public Payload payload() {
        return new KeyedSlice(n == 1 ? keys : keysOf[i], counts[i], FloatSlice.EMPTY,
            FloatSlice.EMPTY);
      }
    }, deadline + shards.config().requestTimeout().toMillis(), f -> {
      Message.KeyedRows r = (Message.KeyedRows) f.header();
      int i = r.shardId();
      checkReply(r, f.payload().remaining(), n);
      FloatBuffer floats = f.payload();
      int[] origin = originOf[i];
      if (n == 1) {
        floats.get(rows, 0, counts[0] * width); // one shard: the rows in the caller's order
      }
      for (int j = 0; n > 1 && j < counts[i]; ) {
        int run = 1; // keys whose rows lie one after another in the caller's array: one copy
        while (j + run < counts[i] && origin[j + run] == origin[j] + run) {
          run++;
        }
        floats.get(rows, origin[j] * width, run * width);
        j += run;
      }
      floats.get(tail, r.tailStart(), r.tailLength());
      return r.version();
    });
    return versions.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  @Override
  public synchronized PushOutcome push(KeyedPush push) {
    check(push.keys(), push.count(), push.rows(), push.tail(), "push");
    if (push.tail().length != tailLength) {
      throw new IllegalArgumentException("a keyed push carries a tail of " + tailLength
          + " floats, got " + push.tail().length + " (round " + push.round() + ", partition "
          + push.partition() + ").");
    }
    split(push.keys(), push.count(), push.rows());
    long jobId = shards.config().jobId();
    int n = shards.shardCount();
    List<Integer> outcomes = shards.fanOut(i -> new ShardSet.Request() {
      public Message message(long id) {
        return new Message.KeyedPush(id, jobId, i, push.round(), push.partition(),
            push.attempt(), push.examples(), push.lossSum(), push.kind().ordinal(), counts[i]);
      }

      public Payload payload() {
        int start = KeyedJobSpec.tailStart(i, n, tailLength);
        return new KeyedSlice(n == 1 ? push.keys() : keysOf[i], counts[i],
            new FloatSlice(n == 1 ? push.rows()
            : rowsOf[i], 0, counts[i] * width), new FloatSlice(push.tail(), start,
            KeyedJobSpec.tailStart(i + 1, n, tailLength) - start));
      }
    }, shards.config().requestTimeout().toMillis(),
        f -> ((Message.PushAck) f.header()).outcome());
    return outcomes.stream().allMatch(o -> o == PushOutcome.DUPLICATE.ordinal())
        ? PushOutcome.DUPLICATE : PushOutcome.ACCEPTED;
  }

  /**
   * Splits {@code keys[0, count)} by shard into {@link #keysOf} (with each key's caller position
   * in {@link #originOf}) and, when {@code rows} is given, their rows into {@link #rowsOf}; with
   * one shard only counts them (its requests carry the caller's arrays).
   */
  private void split(long[] keys, int count, float[] rows) {
    if (counts.length == 1) {
      counts[0] = count; // one shard takes the caller's keys and rows as they are
      return;
    }
    Arrays.fill(counts, 0);
    for (int k = 0; k < count; k++) {
      int s = sharding.shardOf(keys[k]);
      int j = counts[s]++;
      if (j == keysOf[s].length) {
        int grown = Math.max(16, 2 * j);
        keysOf[s] = Arrays.copyOf(keysOf[s], grown);
        originOf[s] = Arrays.copyOf(originOf[s], grown);
      }
      keysOf[s][j] = keys[k];
      originOf[s][j] = k;
    }
    if (rows == null) {
      return;
    }
    for (int s = 0; s < counts.length; s++) {
      if (rowsOf[s].length < counts[s] * width) {
        rowsOf[s] = new float[Math.multiplyExact(keysOf[s].length, width)];
      }
      for (int j = 0; j < counts[s]; j++) {
        System.arraycopy(rows, originOf[s][j] * width, rowsOf[s], j * width, width);
      }
    }
  }

  private void check(long[] keys, int count, float[] rows, float[] tail, String what) {
    if (count < 0 || count > keys.length || (long) count * width > rows.length
        || tail.length < tailLength) {
      throw new IllegalArgumentException("a keyed " + what + " of " + count + " keys needs "
          + "at least " + (long) count * width + " row floats (" + width + " per key) and a "
          + "tail of " + tailLength + ", got " + keys.length + " keys, " + rows.length
          + " row floats and a tail of " + tail.length + ".");
    }
    for (int k = 1; k < count; k++) {
      if (keys[k] <= keys[k - 1]) {
        throw new IllegalArgumentException("key " + keys[k] + " at position " + k + " of a "
            + "keyed " + what + " is not above the key before it (" + keys[k - 1] + "); "
            + "sort and deduplicate the keys (summing duplicate rows) first.");
      }
    }
  }

  /** A reply must be the shard's: its keys, its width and its slice of the tail. */
  private void checkReply(Message.KeyedRows r, int floats, int n) {
    int i = r.shardId();
    boolean ok = i >= 0 && i < n && r.count() == counts[i] && r.width() == width
        && r.tailStart() == KeyedJobSpec.tailStart(i, n, tailLength)
        && r.tailLength() == KeyedJobSpec.tailStart(i + 1, n, tailLength) - r.tailStart()
        && floats == (long) r.count() * width + r.tailLength();
    if (!ok) {
      throw new ParameterServerException(ErrorCode.INTERNAL, "a keyed reply names shard " + i
          + ", " + r.count() + " rows of " + r.width() + " floats and a tail slice of "
          + r.tailLength() + " from " + r.tailStart() + " in " + floats + " floats, which is not "
          + "what this client asked of it (width " + width + ", tail " + tailLength + ", "
          + n + " shards); the server runs another job layout than the client was given.");
    }
  }

  @Override
  public void abort() {
    shards.abort();
  }

  @Override
  public void close() {
    shards.close();
  }
}
