package io.sparkps.driver.train;

import io.sparkps.ps.api.RoundStats;
import java.util.List;
import java.util.Set;

/** Test access to {@link RoundTimes#of}, which is package-private. */
public final class RoundTimesAccess {
  private RoundTimesAccess() {
  }

  public static RoundTimes of(List<RoundStats> rounds, Set<Long> stageStarts, List<Long> bytes) {
    return RoundTimes.of(rounds, stageStarts, bytes);
  }
}
