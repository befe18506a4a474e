package io.sparkps.ps.server;

import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * When a {@link Shard} writes its checkpoints: at once, or, for a sync job asked for the version
 * it is about to publish, when it publishes it (a pending checkpoint); and every {@code
 * checkpointEvery} versions by itself. Not thread-safe: every method runs under the owning
 * shard's monitor, which guards the pending list (the shard fails the pending checkpoints of a
 * job that is replaced, ended or failed).
 */
final class ShardCheckpoints {
  private final int shardId;
  private final int checkpointEvery;
  /** Writes the shard's job as it is now; completes with the version written. */
  private final Function<JobState, CompletableFuture<Long>> write;
  private final List<PendingCheckpoint> pending = new ArrayList<>();

  private record PendingCheckpoint(long version, CompletableFuture<Long> done) {}

  ShardCheckpoints(int shardId, int checkpointEvery,
      Function<JobState, CompletableFuture<Long>> write) {
    this.shardId = shardId;
    this.checkpointEvery = checkpointEvery;
    this.write = write;
  }

  /**
   * Checkpoints {@code s} at {@code version} in sync mode (now if the shard is there, when it
   * publishes it if it is one behind), or now in the other modes. Completes with the version
   * written.
   */
  CompletableFuture<Long> at(JobState s, long version) {
    s.requireHealthy(); // never write parameters an update made non-finite
    boolean sync = s.job().mode() instanceof ConsistencyMode.Sync;
    if (!sync || version == s.version()) {
      return write.apply(s);
    }
    if (version < s.version()) {
      throw new ParameterServerException(ErrorCode.VERSION_PASSED, "shard " + shardId + " is at "
          + "version " + s.version() + ", past the requested checkpoint version " + version
          + "; ask again with the current version.");
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    pending.add(new PendingCheckpoint(version, done));
    return done;
  }

  /**
   * After {@code s} published a version: writes the checkpoints pending at it (one write each),
   * then the periodic one if the version is a multiple of {@code checkpointEvery}.
   */
  void published(JobState s) {
    long v = s.version();
    Iterator<PendingCheckpoint> it = pending.iterator();
    while (it.hasNext()) {
      PendingCheckpoint c = it.next();
      if (c.version() == v) {
        it.remove();
        write.apply(s).whenComplete((round, err) -> complete(c.done(), round, err));
      }
    }
    if (checkpointEvery > 0 && v % checkpointEvery == 0) {
      write.apply(s);
    }
  }

  /** Fails every pending checkpoint with {@code e} (its job was replaced, ended or failed). */
  void failAll(ParameterServerException e) {
    pending.forEach(c -> c.done().completeExceptionally(e));
    pending.clear();
  }

  private static void complete(CompletableFuture<Long> f, Long value, Throwable err) {
    if (err != null) {
      f.completeExceptionally(err);
    } else {
      f.complete(value);
    }
  }
}
