package io.sparkps.ps.server;

import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import java.util.Optional;

/**
 * A {@link Shard}'s clean stop: once draining begins, pushes for rounds after the one in flight
 * are refused ({@code SHUTTING_DOWN}), and the shard is drained when that round has been applied
 * (or the job failed, or none was in flight). Not thread-safe: every method runs under the
 * owning shard's monitor, which guards the round to drain after.
 */
final class ShardDrain {
  private final int shardId;
  private long drainAfter = Long.MAX_VALUE;

  ShardDrain(int shardId) {
    this.shardId = shardId;
  }

  /** Refuses a push of {@code round} past the round to drain after. */
  void checkPush(long round) {
    if (round > drainAfter) {
      throw new ParameterServerException(ErrorCode.SHUTTING_DOWN, "shard " + shardId + " is "
          + "stopping after round " + drainAfter + "; push round " + round
          + " to the restarted server.");
    }
  }

  /** Begins draining the shard's job {@code state}: no push after the round in flight. */
  void begin(Optional<JobState> state) {
    drainAfter = state.map(s -> s.roundInFlight() ? s.version() : s.version() - 1)
        .orElse(-1L);
  }

  /** Whether the round in flight when draining began has been applied. */
  boolean drained(Optional<JobState> state) {
    return state.map(s -> s.failed() || s.version() > drainAfter || !s.roundInFlight())
        .orElse(true);
  }
}
