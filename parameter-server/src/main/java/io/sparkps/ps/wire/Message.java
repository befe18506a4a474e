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
  }

  /** The answer to a good hello: the server's version and the shard ids this process hosts. */
  record HelloOk(int protocolVersion, int[] hostedShards) implements Message {
    public long requestId() {
      return 0;
    }
  }

  /** Starts a job on one shard. Payload: the shard's slice of explicit initial values, or empty. */
  record InitShard(
      long requestId, int shardId, int totalShards, long size, String optimizerJson, int modeCode,
      int staleness, int expectedPartitions, int initKind, long seed, float scale)
      implements Message {}

  /** A push of one shard's slice. Payload: the slice's floats. */
  record Push(
      long requestId, int shardId, long round, int partition, int attempt, long examples,
      double lossSum, int payloadKind) implements Message {}

  /**
   * A push that is answered, instead of with a {@link PushAck}, with the {@link Params} a pull of
   * {@code round + 1} would get (waiting up to the deadline): one round trip per round.
   */
  record PushPull(Push push, long deadlineMillis) implements Message {
    public long requestId() {
      return push.requestId();
    }
  }

  /** The answer to a push: a {@link io.sparkps.ps.api.PushOutcome} ordinal. */
  record PushAck(long requestId, int outcome) implements Message {}

  /** Asks for the shard's parameters once round {@code round} may start; waits up to the deadline. */
  record Pull(long requestId, int shardId, long round, long deadlineMillis) implements Message {}

  /** Parameters of one shard. Payload: the floats of {@code [start, start + payload length)}. */
  record Params(long requestId, int shardId, long version, long size, int start)
      implements Message {}

  /** Waits until the shard has published {@code version}. Answered with an {@link Ack}. */
  record AwaitVersion(long requestId, int shardId, long version, long deadlineMillis)
      implements Message {}

  /** Asks what a shard holds. */
  record Describe(long requestId, int shardId) implements Message {}

  /** What a shard holds; {@code size} is 0 while it has no job. */
  record ShardInfo(
      long requestId, int shardId, int totalShards, long size, long version, int modeCode,
      int staleness, int expectedPartitions) implements Message {}

  /** Checkpoints the shard at version {@code version} (sync) or now (ssp, async). */
  record Checkpoint(long requestId, int shardId, long version) implements Message {}

  /** Loads the shard's latest checkpoint. */
  record Restore(long requestId, int shardId) implements Message {}

  /** Asks for the per-round statistics of rounds at least {@code fromRound}. */
  record History(long requestId, int shardId, long fromRound) implements Message {}

  /** The per-round statistics. */
  record HistoryReply(long requestId, List<RoundStats> rounds) implements Message {}

  /** Stops the server process after the round in flight. */
  record Shutdown(long requestId) implements Message {}

  /** A success carrying one number (a version or a round). */
  record Ack(long requestId, long value) implements Message {}

  /** A failure: an {@link io.sparkps.ps.api.ErrorCode} wire code and a sentence. */
  record Error(long requestId, int code, boolean retryable, String message) implements Message {}
}
