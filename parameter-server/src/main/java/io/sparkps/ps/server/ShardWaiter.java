package io.sparkps.ps.server;

import io.sparkps.ps.api.ParameterServerException;

/**
 * Someone waiting for a {@link Shard} to reach a version (a pull or an await of a round not yet
 * published), kept in its {@link ShardWaiters}. Every method is called under the shard's monitor.
 */
interface ShardWaiter {
  /** The version-independent readiness test, evaluated under the shard's lock. */
  boolean ready(JobState s);

  /** Called under the lock when ready; must not block. */
  void fire(JobState s);

  /** Called under the lock when the job failed and can never become ready; must not block. */
  void failed(ParameterServerException e);

  /** The job the waiter's request named. */
  long jobId();
}
