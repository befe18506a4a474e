package io.sparkps.ps.api;

/**
 * What happened in one applied round (sync) or one completed clock of the slowest partition
 * (ssp, async), as seen by one shard.
 *
 * @param round the round number; version round + 1 was published
 * @param pushes how many pushes were counted
 * @param duplicates how many duplicate or stale pushes were ignored
 * @param examples the summed example count
 * @param meanLoss lossSum / examples over the counted pushes
 * @param waitForSlowestMillis time from the first to the last counted push
 * @param applyMillis time spent averaging and stepping
 * @param maxStaleness the largest staleness of a counted push (0 in sync mode)
 * @param completedAtMillis wall-clock time the version was published
 * @param keyed what a keyed round moved ({@link KeyedRoundStats#NONE} for a dense job)
 */
public record RoundStats(
    long round, int pushes, int duplicates, long examples, double meanLoss,
    double waitForSlowestMillis, double applyMillis, long maxStaleness, long completedAtMillis,
    KeyedRoundStats keyed) {

  /** A dense round's statistics. */
  public RoundStats(long round, int pushes, int duplicates, long examples, double meanLoss,
      double waitForSlowestMillis, double applyMillis, long maxStaleness,
      long completedAtMillis) {
    this(round, pushes, duplicates, examples, meanLoss, waitForSlowestMillis, applyMillis,
        maxStaleness, completedAtMillis, KeyedRoundStats.NONE);
  }

  /** The same round with {@code k} as its keyed counts. */
  public RoundStats withKeyed(KeyedRoundStats k) {
    return new RoundStats(round, pushes, duplicates, examples, meanLoss, waitForSlowestMillis,
        applyMillis, maxStaleness, completedAtMillis, k);
  }
}
