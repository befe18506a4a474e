package io.sparkps.ps.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.OptimizerJson;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.TableSpec;
import io.sparkps.ps.wire.Frame;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Payloads;
import io.sparkps.ps.wire.Protocol;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The keyed requests of the protocol (version 3) applied to the shards of this process: keyed
 * job declarations, keyed pushes and the replies to keyed pulls. Every count a request claims is
 * checked against the bytes that arrived and, for a pull, the reply it would need against the
 * frame limit, before anything is allocated for it; key lists must be ascending and unique.
 * Thread-safe.
 */
final class KeyedService {
  private final ShardService shards;
  private final int maxFrameBytes;
  private final OptimizerJson json = new OptimizerJson();

  KeyedService(ShardService shards, int maxFrameBytes) {
    this.shards = shards;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Starts a keyed job on a shard; {@code tail} is the shard's slice of the tail's values. */
  void init(Message.InitKeyed m, float[] tail) {
    Shard shard = shards.shard(m.shardId());
    if (m.jobId() == 0 || m.totalShards() < 1 || m.shardId() >= m.totalShards()
        || m.width() < 1 || m.width() > KeyedTable.MAX_WIDTH || m.tailLength() < 0
        || m.maxTableBytes() < 1 || m.expectedPartitions() < 1
        || m.expectedPartitions() > Protocol.MAX_PARTITIONS) {
      throw ShardService.invalid("keyed init of shard " + m.shardId() + " of "
          + m.totalShards() + " (job " + m.jobId() + ", width " + m.width() + ", tail "
          + m.tailLength() + ", table bound " + m.maxTableBytes() + " bytes, "
          + m.expectedPartitions() + " partitions) is not valid: the job id must not be 0, the "
          + "shard within the shard count, the width 1 to " + KeyedTable.MAX_WIDTH + ", the tail "
          + "at least 0, the bound at least 1 byte and the partitions 1 to "
          + Protocol.MAX_PARTITIONS);
    }
    int start = KeyedJobSpec.tailStart(m.shardId(), m.totalShards(), m.tailLength());
    int length = KeyedJobSpec.tailStart(m.shardId() + 1, m.totalShards(), m.tailLength()) - start;
    if (tail.length != length) {
      throw ShardService.invalid("keyed init of shard " + m.shardId() + " carries "
          + tail.length + " tail values; its slice of the tail holds " + length);
    }
    ShardService.requireFinite(tail, start, "the tail's initial values");
    TableSpec spec = new TableSpec(m.width(), m.ruleJson(), m.modelJson(), m.initSeed(),
        m.shardingSeed(), m.maxTableBytes(), m.tailLength());
    KeyedTable table = newTable(spec);
    Optimizer tailOpt = json.read(m.tailOptimizerJson());
    ShardJob dense = new ShardJob(m.shardId(), m.totalShards(), m.tailLength(), start, length,
        tailOpt, m.tailOptimizerJson(), ShardService.mode(m.modeCode(), m.staleness()),
        m.expectedPartitions(), m.jobId());
    shard.start(JobState.fresh(dense, tail), Optional.of(new KeyedState(spec, table,
        m.expectedPartitions())), m.replace());
  }

  /** An empty table of {@code spec}; its refusals (a bad rule or model) as the protocol's. */
  static KeyedTable newTable(TableSpec spec) {
    try {
      return spec.newTable();
    } catch (IllegalArgumentException e) {
      throw ShardService.invalid(e.getMessage());
    }
  }

  /**
   * Validates a keyed push against the shard's job and counts it; {@code memo} holds the slots
   * of the connection's last pull, used if it was of the same keys.
   */
  PushOutcome push(Message.KeyedPush m, Frame frame, PullMemo memo) {
    Shard shard = shards.shard(m.shardId());
    ShardJob dense = shard.job(m.jobId());
    TableSpec job = shard.keyedJob(m.jobId());
    ShardService.checkPush(m.round(), m.partition(), m.examples(), m.lossSum(), m.payloadKind(),
        dense);
    int width = job.width();
    long expected = (long) m.count() * (Protocol.KEY_BYTES + (long) Float.BYTES * width)
        + (long) Float.BYTES * dense.length();
    int bytes = frame.payload().readableBytes();
    if (m.count() < 0 || expected != bytes) {
      throw ShardService.invalid("keyed push for round " + m.round() + " from partition "
          + m.partition() + " claims " + m.count() + " keys of " + width + " floats and a tail "
          + "slice of " + dense.length() + " (" + expected + " payload bytes) but carries "
          + bytes + " bytes; send 8 bytes per key, then one row of the job's width per key, "
          + "then the shard's tail slice");
    }
    long[] keys = keys(frame.payload(), m.count(), "keyed push for round " + m.round()
        + " from partition " + m.partition());
    int at = frame.payload().readerIndex() + Protocol.KEY_BYTES * m.count();
    float[] rows = Payloads.toFloats(frame.payload().slice(at, Float.BYTES * m.count() * width));
    float[] tail = Payloads.toFloats(frame.payload().slice(at + Float.BYTES * rows.length,
        Float.BYTES * dense.length()));
    String what = "keyed push for round " + m.round() + " from partition " + m.partition();
    ShardService.requireFinite(rows, 0, what + " (rows; the index counts floats)");
    ShardService.requireFinite(tail, dense.start(), what + " (tail)");
    return shard.pushKeyed(m.jobId(), new KeyedData(m.round(), m.partition(),
        m.attempt(), m.examples(), m.lossSum(), PayloadKind.values()[m.payloadKind()], keys,
        rows, tail, bytes, memo.take(m.shardId(), keys)));
  }

  /**
   * The keys of a pull, checked before the pull waits for its round: the count against the
   * payload, the reply's size against the frame limit, and their order.
   */
  long[] pullKeys(Message.KeyedPull m, Frame frame) {
    Shard shard = shards.shard(m.shardId());
    ShardJob dense = shard.job(m.jobId());
    TableSpec job = shard.keyedJob(m.jobId());
    long replyBytes = Float.BYTES * ((long) m.count() * job.width() + dense.length())
        + Protocol.PREFIX_BYTES + Protocol.DATA_HEADER_ALLOWANCE;
    int bytes = frame.payload().readableBytes();
    if (m.count() < 0 || (long) m.count() * Protocol.KEY_BYTES != bytes) {
      throw ShardService.invalid("keyed pull of round " + m.round() + " claims " + m.count()
          + " keys but carries " + bytes + " payload bytes; send 8 bytes per key");
    }
    if (replyBytes > maxFrameBytes) {
      throw ShardService.invalid("keyed pull of round " + m.round() + " asks for " + m.count()
          + " rows of " + job.width() + " floats, a reply of " + replyBytes + " bytes, over "
          + "this server's frame limit of " + maxFrameBytes + "; pull fewer keys per request "
          + "(at most " + (maxFrameBytes - Protocol.PREFIX_BYTES - Protocol.DATA_HEADER_ALLOWANCE
          - 4L * dense.length()) / (4L * job.width()) + ") or raise --max-frame-bytes");
    }
    return keys(frame.payload(), m.count(), "keyed pull of round " + m.round());
  }

  /**
   * The reply to a keyed pull, built under the shard's lock when its round may start: the rows
   * (created on first touch) and the shard's tail slice; a refusal of the table as an error.
   * The keys' slots go to {@code memo}, for the push of the same keys that follows.
   */
  static Frame rows(long requestId, Shard shard, JobState s, long[] keys, ServerContext server,
      ByteBufAllocator alloc, PullMemo memo) {
    try {
      KeyedState k = shard.keyedState().orElseThrow(() -> ShardService.invalid("shard "
          + shard.id() + " no longer runs a keyed job"));
      int[] slots = new int[keys.length];
      float[] rows = k.pull(keys, slots);
      memo.remember(shard.id(), keys, new PullMemo.Slots(k.table(), slots));
      float[] tail = s.params();
      int floats = rows.length + tail.length;
      ByteBuf payload = alloc.directBuffer(Float.BYTES * floats, Float.BYTES * floats);
      Payloads.setFloats(payload, 0, rows, 0, rows.length);
      Payloads.setFloats(payload, rows.length, tail, 0, tail.length);
      payload.writerIndex(Float.BYTES * floats);
      k.counters().bytes(Protocol.KEY_BYTES * (long) keys.length, Float.BYTES * (long) floats);
      return new Frame(new Message.KeyedRows(requestId, shard.id(), s.version(), keys.length,
          k.job().width(), s.job().start(), tail.length), payload);
    } catch (ParameterServerException e) {
      server.metrics().error(e.code());
      return Frame.of(new Message.Error(requestId, e.code().wireCode(), e.code().retryable(),
          RequestHandler.stripCode(e)));
    }
  }

  /** Reads {@code count} little-endian keys and checks they ascend strictly. */
  private static long[] keys(ByteBuf payload, int count, String what) {
    long[] keys = new long[count];
    payload.nioBuffer(payload.readerIndex(), Protocol.KEY_BYTES * count)
        .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(keys);
    for (int i = 1; i < count; i++) {
      if (keys[i] <= keys[i - 1]) {
        throw new ParameterServerException(ErrorCode.INVALID_REQUEST, what + ": key " + keys[i]
            + " at position " + i + " is not above the key before it (" + keys[i - 1] + "); "
            + "requests carry ascending, unique keys: sort and deduplicate them, summing "
            + "duplicate gradients.");
      }
    }
    return keys;
  }
}
