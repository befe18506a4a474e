package io.sparkps.ps.wire;

import io.sparkps.ps.api.RoundStats;
import java.util.List;

/**
 * The header of a frame. Each record is one message type; its Kryo registration id (see
 * {@link MessageKryo}) is its type code on the wire. Requests carry a {@code requestId} that the
 * reply repeats, so a connection can have several requests in flight.
 */
public sealed interface Message {

  /** The id the reply to this message repeats (0 for connection-level messages). */
  long requestId();

  /** First frame on a connection: the job's shared secret and the protocol version spoken. */
  record Hello(String token, int protocolVersion, String clientName) implements Message {
    public long requestId() {
      return 0;
    }

    @Override
    public String toString() {
      return "Hello[token=(hidden), protocolVersion=" + protocolVersion + ", clientName="
          + clientName + "]";
    }
  }

  /** The answer to a good hello: the server's version and the shard ids this process hosts. */
  record HelloOk(int protocolVersion, int[] hostedShards) implements Message {
    public long requestId() {
      return 0;
    }
  }

  /**
   * Starts job {@code jobId} on one shard; refused over a running job of another id unless
   * {@code replace}. Payload: the shard's slice of explicit initial values, or empty.
   */
  record InitShard(
      long requestId, long jobId, boolean replace, int shardId, int totalShards, long size,
      String optimizerJson, int modeCode, int staleness, int expectedPartitions, int initKind,
      long seed, float scale) implements Message, JobScoped {}

  /** A push of one shard's slice. Payload: the slice's floats. */
  record Push(
      long requestId, long jobId, int shardId, long round, int partition, int attempt,
      long examples, double lossSum, int payloadKind) implements Message, JobScoped {}

  /**
   * A push that is answered, instead of with a {@link PushAck}, with the {@link Params} a pull of
   * {@code round + 1} would get (waiting up to the deadline): one round trip per round.
   */
  record PushPull(Push push, long deadlineMillis) implements Message, JobScoped {
    public long requestId() {
      return push.requestId();
    }

    public long jobId() {
      return push.jobId();
    }

    public int shardId() {
      return push.shardId();
    }
  }

  /** The answer to a push: a {@link io.sparkps.ps.api.PushOutcome} ordinal. */
  record PushAck(long requestId, int outcome) implements Message {}

  /** Asks for the shard's parameters once round {@code round} may start; waits up to the deadline. */
  record Pull(long requestId, long jobId, int shardId, long round, long deadlineMillis)
      implements Message, JobScoped {}

  /** Parameters of one shard. Payload: the floats of {@code [start, start + payload length)}. */
  record Params(long requestId, int shardId, long version, long size, int start)
      implements Message {}

  /** Waits until the shard has published {@code version}. Answered with an {@link Ack}. */
  record AwaitVersion(
      long requestId, long jobId, int shardId, long version, long deadlineMillis)
      implements Message, JobScoped {}

  /** Asks what a shard holds. */
  record Describe(long requestId, int shardId) implements Message {}

  /** What a shard holds; {@code size} is 0 and {@code jobId} 0 while it has no job. */
  record ShardInfo(
      long requestId, long jobId, int shardId, int totalShards, long size, long version,
      int modeCode, int staleness, int expectedPartitions) implements Message {}

  /** Checkpoints the shard at version {@code version} (sync) or now (ssp, async). */
  record Checkpoint(long requestId, long jobId, int shardId, long version)
      implements Message, JobScoped {}

  /** Loads the shard's latest checkpoint as job {@code jobId}, replacing what it held. */
  record Restore(long requestId, long jobId, int shardId) implements Message, JobScoped {}

  /** Asks for the per-round statistics of rounds at least {@code fromRound}. */
  record History(long requestId, long jobId, int shardId, long fromRound)
      implements Message, JobScoped {}

  /**
   * A request about one job: it names the job, and a shard refuses it when it holds another
   * (a late message of an earlier job never counts into the next one).
   */
  sealed interface JobScoped {
    /** The job the message belongs to; never 0 (0 means "no job"). */
    long jobId();

    /** The shard it is for. */
    int shardId();
  }

  /**
   * Starts keyed job {@code jobId} on one shard (see {@code io.sparkps.ps.api.KeyedJobSpec}).
   * Payload: the shard's slice of the dense tail's initial values.
   */
  record InitKeyed(
      long requestId, long jobId, boolean replace, int shardId, int totalShards, int width,
      String ruleJson, String modelJson, long initSeed, long shardingSeed, long maxTableBytes,
      int tailLength, String tailOptimizerJson, int modeCode, int staleness,
      int expectedPartitions) implements Message, JobScoped {}

  /**
   * Asks for the rows of {@code count} ascending, unique keys once round {@code round} may start.
   * Payload: the keys, 8 bytes each, little-endian. Answered with {@link KeyedRows}.
   */
  record KeyedPull(
      long requestId, long jobId, int shardId, long round, long deadlineMillis, int count)
      implements Message, JobScoped {}

  /**
   * The rows a keyed pull asked for. Payload: {@code count x width} floats in the keys' order,
   * then the shard's slice of the dense tail ({@code tailLength} floats from {@code tailStart}).
   */
  record KeyedRows(
      long requestId, int shardId, long version, int count, int width, int tailStart,
      int tailLength) implements Message {}

  /**
   * One partition's keyed push for one shard. Payload: the {@code count} keys (8 bytes each,
   * little-endian), then {@code count x width} floats, then the shard's tail slice. Answered
   * with a {@link PushAck}.
   */
  record KeyedPush(
      long requestId, long jobId, int shardId, long round, int partition, int attempt,
      long examples, double lossSum, int payloadKind, int count) implements Message, JobScoped {}

  /**
   * Writes the shard's table weights as a part file into the model directory {@code directory}
   * (a Hadoop file system URI). Answered with an {@link Ack} of the keys written.
   */
  record ExportKeyed(long requestId, long jobId, int shardId, String directory)
      implements Message, JobScoped {}

  /** The per-round statistics. */
  record HistoryReply(long requestId, List<RoundStats> rounds) implements Message {}

  /**
   * Ends job {@code jobId} on one shard once its run has finished: the shard drops the job's
   * state so that the next run may init without replacing. Answered with an {@link Ack} of the
   * version it ended at (-1: the shard held no job).
   */
  record EndJob(long requestId, long jobId, int shardId) implements Message, JobScoped {}

  /** Stops the server process after the round in flight. */
  record Shutdown(long requestId) implements Message {}

  /** A success carrying one number (a version or a round). */
  record Ack(long requestId, long value) implements Message {}

  /** A failure: an {@link io.sparkps.ps.api.ErrorCode} wire code and a sentence. */
  record Error(long requestId, int code, boolean retryable, String message) implements Message {}
}
