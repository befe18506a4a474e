package io.sparkps.ps.server;

import io.sparkps.ps.api.ConsistencyMode;
import java.util.ArrayList;
import java.util.List;

/** The sentence a pull that ran out of time gets: which partitions the shard still waits for. */
final class WaitSentence {
  private WaitSentence() {}

  /**
   * What a pull for {@code round} waits for: in sync mode the partitions missing from the round
   * at {@code version} ({@code current} is its tally, or null before any push), otherwise the
   * partitions whose clocks are behind the version the round needs.
   */
  static String of(ShardJob job, long version, RoundTally current, long[] clocks, long round) {
    if (job.mode() instanceof ConsistencyMode.Sync) {
      List<Integer> missing = current == null ? all(job.partitions()) : current.missing();
      return "round " + version + " is missing partitions " + missing + " of "
          + job.partitions() + " (shard " + job.shardId() + ")";
    }
    long needed = round - job.mode().staleness();
    List<String> slow = new ArrayList<>();
    for (int p = 0; p < clocks.length; p++) {
      if (clocks[p] < needed) {
        slow.add(p + " (at round " + clocks[p] + ")");
      }
    }
    return "version " + needed + " needs partitions " + slow + " of " + job.partitions()
        + " to catch up (shard " + job.shardId() + ")";
  }

  private static List<Integer> all(int partitions) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      out.add(p);
    }
    return out;
  }
}
