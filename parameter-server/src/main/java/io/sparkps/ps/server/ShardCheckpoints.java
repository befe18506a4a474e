package io.sparkps.ps.server;

import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.ParameterServerException;
import java.util.ArrayList;
import java.util.Iterator;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * When a {@link Shard} writes its checkpoints: at once, or, for a sync job asked for the version
 * it is about to publish, when it publishes it (a pending checkpoint); and every {@code
 * checkpointEvery} versions by itself; and how: a dense job from a copy, written off this thread,
 * a keyed one here, streaming the live table. Not thread-safe: every method runs under the owning
 * shard's monitor, which guards the pending list (the shard fails the pending checkpoints of a
 * job that is replaced, ended or failed) and keeps pushes from changing the table meanwhile.
 */
final class ShardCheckpoints {
  private final int shardId;
  private final int checkpointEvery;
  private final ShardEvents events;
  /** The shard's keyed table, read when a checkpoint is written; empty for a dense job. */
  private final Supplier<Optional<KeyedState>> keyed;
  private final List<PendingCheckpoint> pending = new ArrayList<>();

  private record PendingCheckpoint(long version, CompletableFuture<Long> done) {}

  ShardCheckpoints(int shardId, int checkpointEvery, ShardEvents events,
      Supplier<Optional<KeyedState>> keyed) {
    this.shardId = shardId;
    this.checkpointEvery = checkpointEvery;
    this.events = events;
    this.keyed = keyed;
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
      return write(s);
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
        write(s).whenComplete((round, err) -> complete(c.done(), round, err));
      }
    }
    if (checkpointEvery > 0 && v % checkpointEvery == 0) {
      write(s);
    }
  }

  /** Fails every pending checkpoint with {@code e} (its job was replaced, ended or failed). */
  void failAll(ParameterServerException e) {
    pending.forEach(c -> c.done().completeExceptionally(e));
    pending.clear();
  }

  /**
   * Checkpoints the shard: a dense one from a copy, off this thread; a keyed one here, under the
   * lock, streaming the live table (which no push may change meanwhile).
   */
  private CompletableFuture<Long> write(JobState s) {
    Optional<KeyedState> table = keyed.get();
    ShardCheckpoint c = ShardSnapshot.of(s, table.map(k -> new ShardCheckpoint.Keyed(k.job(),
        k.table())));
    return table.isPresent() ? events.writeNow(c) : events.write(c);
  }

  private static void complete(CompletableFuture<Long> f, Long value, Throwable err) {
    if (err != null) {
      f.completeExceptionally(err);
    } else {
      f.complete(value);
    }
  }
}
