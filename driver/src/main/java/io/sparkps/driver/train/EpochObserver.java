package io.sparkps.driver.train;

import io.sparkps.core.train.EpochStats;

/**
 * Told at the end of every epoch what it did and where the parameters stand, after validation
 * and before the next epoch starts. Time spent here is the caller's: a benchmark that evaluates
 * on held-out data here can leave it out of the training time.
 */
@FunctionalInterface
public interface EpochObserver {

  /** {@code params} are the server's parameters after the epoch; the observer must not keep
   *  them beyond the call without copying. */
  void epochEnded(EpochStats stats, float[] params);
}
