package io.sparkps.ps.server;

import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import java.util.concurrent.CompletableFuture;

/** What a shard tells the rest of the server. Called under the shard's lock: do not block. */
interface ShardEvents {

  /** A round completed on shard {@code shardId}. */
  void published(int shardId, RoundStats stats);

  /** Writes a checkpoint off the caller's thread; completes when it is durable. */
  CompletableFuture<Long> write(ShardCheckpoint checkpoint);

  /**
   * Writes a checkpoint on the caller's thread, under the shard's lock: a keyed checkpoint
   * streams the live table, which must not change while it is written. Returns a completed
   * future (failed if the write failed).
   */
  CompletableFuture<Long> writeNow(ShardCheckpoint checkpoint);
}
