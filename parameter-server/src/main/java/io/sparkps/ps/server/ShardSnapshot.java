package io.sparkps.ps.server;

import io.sparkps.core.optim.OptimizerState;
import io.sparkps.ps.checkpoint.ShardCheckpoint;
import java.util.Optional;

/** A shard's state as a checkpoint. */
final class ShardSnapshot {
  private ShardSnapshot() {
  }

  /**
   * Copies of {@code s}'s parameters, optimizer state and clocks, with the keyed table
   * {@code keyed} (live: the caller writes it while the shard stays locked). Under the lock.
   */
  static ShardCheckpoint of(JobState s, Optional<ShardCheckpoint.Keyed> keyed) {
    ShardJob j = s.job();
    OptimizerState st = s.optState();
    float[][] slots = new float[st.slotCount()][];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = st.slot(i).clone();
    }
    return new ShardCheckpoint(j.shardId(), j.totalShards(), j.size(), j.start(),
        j.optimizerJson(), j.mode().wireCode(), j.mode().staleness(), j.partitions(),
        s.version(), s.updates(), s.clocks(), s.params().clone(), slots, keyed);
  }
}
