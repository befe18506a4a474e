package io.sparkps.ps.server;

import io.sparkps.ps.api.ParameterServerException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The requests waiting for a {@link Shard} to reach a version ({@link ShardWaiter}s: pulls and
 * awaits of a round not yet published). Not thread-safe: every method runs under the owning
 * shard's monitor, which guards the list; the waiters' callbacks run there too, so they must not
 * block.
 */
final class ShardWaiters {
  private final List<ShardWaiter> waiters = new ArrayList<>();

  void add(ShardWaiter w) {
    waiters.add(w);
  }

  /** Removes {@code w}; false if it already fired or failed. */
  boolean remove(ShardWaiter w) {
    return waiters.remove(w);
  }

  /**
   * Fires the waiters that {@code s} makes ready, in the order they came; while the shard's job
   * {@code jobId} is claimed (not 0), fails those of another job with {@code wrongJob} of their
   * job id. A shard restored on start and not yet claimed fires and fails nothing.
   */
  void fireReady(JobState s, long jobId, LongFunction<ParameterServerException> wrongJob) {
    Iterator<ShardWaiter> it = waiters.iterator();
    while (it.hasNext()) {
      ShardWaiter w = it.next();
      if (jobId != 0 && w.jobId() != jobId) {
        it.remove();
        w.failed(wrongJob.apply(w.jobId()));
      } else if (jobId != 0 && w.ready(s)) {
        it.remove();
        w.fire(s);
      }
    }
  }

  /** Fails every waiter with {@code e} (its job ended or failed). */
  void failAll(ParameterServerException e) {
    waiters.forEach(w -> w.failed(e));
    waiters.clear();
  }
}
