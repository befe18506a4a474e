package io.sparkps.ps.server;

import io.netty.buffer.ByteBufAllocator;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.OptimizerJson;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.ShardRanges;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import io.sparkps.ps.wire.Frame;
import io.sparkps.ps.wire.Message;
import io.sparkps.ps.wire.Payloads;
import io.sparkps.ps.wire.Protocol;
import java.util.Map;

/**
 * The requests of the protocol applied to the shards of this process: turns headers and payloads
 * into shard calls and shard state into reply frames. Shared by all connections; thread-safe.
 */
final class ShardService {
  private final Map<Integer, Shard> shards;
  private final int maxFrameBytes;
  private final OptimizerJson json = new OptimizerJson();
  private final KeyedService keyed;

  ShardService(Map<Integer, Shard> shards, int maxFrameBytes) {
    this.shards = shards;
    this.maxFrameBytes = maxFrameBytes;
    this.keyed = new KeyedService(this, maxFrameBytes);
  }

  /** The keyed requests. */
  KeyedService keyed() {
    return keyed;
  }

  Map<Integer, Shard> shards() {
    return shards;
  }

  Shard shard(int id) {
    Shard s = shards.get(id);
    if (s == null) {
      throw new ParameterServerException(ErrorCode.UNKNOWN_SHARD, "this process hosts shards "
          + shards.keySet() + ", not shard " + id + "; check the order of the shard addresses "
          + "given to the client.");
    }
    return s;
  }

  /** Starts a job on a shard from an init request and its payload of explicit values. */
  void init(Message.InitShard m, float[] explicit) {
    Shard shard = shard(m.shardId());
    ShardRanges ranges = ranges(m.size(), m.totalShards(), m.shardId());
    int start = ranges.start(m.shardId());
    int length = ranges.length(m.shardId());
    long frameBytes = 4L * length + Protocol.PREFIX_BYTES + Protocol.DATA_HEADER_ALLOWANCE;
    if (frameBytes > maxFrameBytes) {
      throw invalid("shard " + m.shardId() + " would hold " + length + " parameters, so its "
          + "pushes need frames of up to " + frameBytes + " bytes, over this server's limit of "
          + maxFrameBytes + "; use more shards or raise --max-frame-bytes");
    }
    Optimizer opt = json.read(m.optimizerJson());
    ConsistencyMode mode = mode(m.modeCode(), m.staleness());
    if (m.expectedPartitions() < 1 || m.expectedPartitions() > Protocol.MAX_PARTITIONS) {
      throw invalid("expectedPartitions must be 1 to " + Protocol.MAX_PARTITIONS + ", got "
          + m.expectedPartitions());
    }
    if (m.jobId() == 0) {
      throw invalid("init of shard " + m.shardId() + " names job 0, which means \"no job\"; "
          + "the driver draws a job id per run");
    }
    ShardJob job = new ShardJob(m.shardId(), m.totalShards(), m.size(), start, length, opt,
        m.optimizerJson(), mode, m.expectedPartitions(), m.jobId());
    shard.start(JobState.fresh(job, initialValues(m, explicit, start, length)), m.replace());
  }

  private static float[] initialValues(Message.InitShard m, float[] explicit, int start,
      int length) {
    return switch (m.initKind()) {
      case 0 -> new float[length];
      case 1 -> {
        InitialValues.Seeded seeded = new InitialValues.Seeded(m.seed(), m.scale());
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
          v[i] = seeded.valueAt(start + (long) i);
        }
        yield v;
      }
      case 2 -> {
        if (explicit.length != length) {
          throw invalid("init of shard " + m.shardId() + " carries " + explicit.length
              + " initial values; its range holds " + length);
        }
        requireFinite(explicit, start, "initial values");
        yield explicit;
      }
      default -> throw invalid("init kind must be 0 (zeros), 1 (seeded) or 2 (values), got "
          + m.initKind());
    };
  }

  /**
   * Restores a shard from a checkpoint as job {@code jobId}, replacing what it ran (0: restored
   * when the process starts; only the admin's restore claims it, every other job-scoped message
   * is refused with {@code UNCLAIMED}).
   */
  void restore(ShardCheckpoint c, long jobId) {
    Shard shard = shard(c.shardId());
    if (c.keyed().isPresent()) {
      ShardJob job = new ShardJob(c.shardId(), c.totalShards(), c.size(), c.start(),
          c.params().length, json.read(c.optimizerJson()), c.optimizerJson(),
          mode(c.modeCode(), c.staleness()), c.partitions(), jobId);
      ShardCheckpoint.Keyed k = c.keyed().get();
      shard.start(new JobState(job, c.params(), OptimizerState.of(c.slots()), c.version(),
          c.updates(), c.clocks()), java.util.Optional.of(new KeyedState(k.spec(), k.table(),
          c.partitions())), true);
      return;
    }
    ShardRanges ranges = ranges(c.size(), c.totalShards(), c.shardId());
    Optimizer opt = json.read(c.optimizerJson());
    ShardJob job = new ShardJob(c.shardId(), c.totalShards(), c.size(), c.start(),
        ranges.length(c.shardId()), opt, c.optimizerJson(), mode(c.modeCode(), c.staleness()),
        c.partitions(), jobId);
    shard.start(new JobState(job, c.params(), OptimizerState.of(c.slots()), c.version(),
        c.updates(), c.clocks()), true);
  }

  /** Validates a push against the shard's job and counts it. */
  PushOutcome push(Message.Push m, Frame frame) {
    Shard shard = shard(m.shardId());
    ShardJob job = shard.job(m.jobId());
    if (frame.floatCount() != job.length()) {
      throw invalid("push for round " + m.round() + " from partition " + m.partition()
          + " carries " + frame.floatCount() + " floats for shard " + m.shardId()
          + ", whose range holds " + job.length() + "; push one float per parameter");
    }
    checkPush(m.round(), m.partition(), m.examples(), m.lossSum(), m.payloadKind(), job);
    FloatArrayPool pool = shard.pool();
    float[] values = pool.take();
    if (values.length != frame.floatCount()) {
      throw invalid("shard " + m.shardId() + " was re-initialised during the push; pull again");
    }
    Payloads.toFloats(frame.payload(), values, 0);
    try {
      requireFinite(values, job.start(), "push for round " + m.round() + " from partition "
          + m.partition());
    } catch (ParameterServerException e) {
      pool.give(values);
      throw e;
    }
    return shard.push(m.jobId(), new PushData(m.round(), m.partition(), m.attempt(), m.examples(),
        m.lossSum(), PayloadKind.values()[m.payloadKind()], values));
  }

  /** Checks a push's header fields against the shard's job (dense and keyed pushes alike). */
  static void checkPush(long round, int partition, long examples, double lossSum, int kind,
      ShardJob job) {
    if (partition < 0 || partition >= job.partitions()) {
      throw invalid("partition must be 0 to " + (job.partitions() - 1) + ", got "
          + partition + " (the job was initialised with " + job.partitions()
          + " expected partitions)");
    }
    if (examples < 0 || examples > Protocol.MAX_EXAMPLES || !Double.isFinite(lossSum)
        || round < 0) {
      throw invalid("push for round " + round + " from partition " + partition
          + " has examples " + examples + " and lossSum " + lossSum
          + "; round must be at least 0, examples 0 to " + Protocol.MAX_EXAMPLES
          + " and lossSum finite");
    }
    if (kind < 0 || kind >= PayloadKind.values().length) {
      throw invalid("payload kind must be 0 (gradient) or 1 (delta), got " + kind);
    }
  }

  /** The reply to a pull or snapshot: the shard's parameters now, copied under its lock. */
  static Frame params(long requestId, JobState s, ByteBufAllocator alloc) {
    ShardJob j = s.job();
    return new Frame(new Message.Params(requestId, j.shardId(), s.version(), j.size(), j.start()),
        s.payload(alloc));
  }

  Message.ShardInfo describe(Message.Describe m) {
    Shard shard = shard(m.shardId());
    long version = shard.version();
    long jobId = shard.jobId();
    return shard.job().map(j -> new Message.ShardInfo(m.requestId(), jobId, m.shardId(),
            j.totalShards(), j.size(), version, j.mode().wireCode(), j.mode().staleness(),
            j.partitions()))
        .orElse(new Message.ShardInfo(m.requestId(), 0, m.shardId(), 0, 0, -1, 0, 0, 0));
  }

  private static ShardRanges ranges(long size, int totalShards, int shardId) {
    if (shardId >= totalShards || size < 1 || size > Integer.MAX_VALUE - 8) {
      throw invalid("shard " + shardId + " of " + totalShards + " shards over " + size
          + " parameters is not a valid layout; the client must list every shard's address "
          + "and the size must be 1 to " + (Integer.MAX_VALUE - 8));
    }
    return new ShardRanges(size, totalShards);
  }

  static ConsistencyMode mode(int code, int staleness) {
    try {
      return ConsistencyMode.fromWire(code, staleness);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  static void requireFinite(float[] values, int globalStart, String what) {
    if (allFinite(values)) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new ParameterServerException(ErrorCode.NON_FINITE_VALUES, what + " has "
            + values[i] + " at parameter " + (globalStart + i) + "; only finite floats are "
            + "accepted (lower the learning rate or clip gradients on the worker).");
      }
    }
  }

  /**
   * Whether every value is finite: {@code x * 0} is 0 for a finite x and NaN otherwise, and a sum
   * with a NaN in it is NaN. Eight independent sums and no branch make this about twice as fast
   * as testing each value (it runs on every push).
   */
  static boolean allFinite(float[] v) {
    return allFinite(v, 0, v.length);
  }

  /** The index of the first non-finite value in {@code [from, to)}, or -1. */
  static int firstNonFinite(float[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }

  /** As {@link #allFinite(float[])} over {@code [from, to)}. */
  static boolean allFinite(float[] v, int from, int to) {
    float a0 = 0f;
    float a1 = 0f;
    float a2 = 0f;
    float a3 = 0f;
    float a4 = 0f;
    float a5 = 0f;
    float a6 = 0f;
    float a7 = 0f;
    int i = from;
    for (int n = from + ((to - from) & ~7); i < n; i += 8) {
      a0 += v[i] * 0f;
      a1 += v[i + 1] * 0f;
      a2 += v[i + 2] * 0f;
      a3 += v[i + 3] * 0f;
      a4 += v[i + 4] * 0f;
      a5 += v[i + 5] * 0f;
      a6 += v[i + 6] * 0f;
      a7 += v[i + 7] * 0f;
    }
    for (; i < to; i++) {
      a0 += v[i] * 0f;
    }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 == 0f;
  }

  static ParameterServerException invalid(String sentence) {
    String s = sentence.endsWith(".") ? sentence : sentence + ".";
    return new ParameterServerException(ErrorCode.INVALID_REQUEST, s);
  }
}
