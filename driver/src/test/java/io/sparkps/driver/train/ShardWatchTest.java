package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.client.ShardStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule that voids a checkpointed keyed epoch: a shard whose version went back, that runs no
 * claimed job (restarted, restored on start) or another job counts as lost; shards moving on
 * under the run's job do not.
 */
class ShardWatchTest {
  private static final long JOB = 0x5eedL;

  private static ShardStatus shard(int id, long version, long job) {
    return new ShardStatus(id, 2, 10, version, new ConsistencyMode.Sync(), 2, job);
  }

  @Test
  void shardsMovingOnUnderTheRunsJobAreNotLost() {
    ShardWatch.Tracker t = new ShardWatch.Tracker();
    assertEquals(Optional.empty(), t.check(List.of(shard(0, 40, JOB), shard(1, 41, JOB)), JOB));
    assertEquals(Optional.empty(), t.check(List.of(shard(0, 41, JOB), shard(1, 41, JOB)), JOB));
  }

  @Test
  void aShardThatWentBackOrRunsNoJobIsLost() {
    ShardWatch.Tracker t = new ShardWatch.Tracker();
    t.check(List.of(shard(0, 40, JOB), shard(1, 45, JOB)), JOB);
    String back = t.check(List.of(shard(0, 46, JOB), shard(1, 30, JOB)), JOB).orElseThrow();
    assertTrue(back.contains("shard 1 went back from version 45 to 30"), back);

    String unclaimed = new ShardWatch.Tracker().check(List.of(shard(0, 40, 0)), JOB)
        .orElseThrow();
    assertTrue(unclaimed.contains("no claimed job (it restarted)"), unclaimed);
    String other = new ShardWatch.Tracker().check(List.of(shard(0, 40, 7)), JOB).orElseThrow();
    assertTrue(other.contains("another job"), other);
  }
}
