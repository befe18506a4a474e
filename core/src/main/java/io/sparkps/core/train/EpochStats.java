package io.sparkps.core.train;

/**
 * What one epoch did.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean objective over the epoch's minibatches (loss plus penalty)
 * @param validationLoss mean loss on the validation rows, NaN without validation
 * @param updates optimizer steps taken so far in the run
 * @param rows training rows seen in this epoch
 * @param seconds wall time of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, long updates,
    long rows, double seconds) {

  public double rowsPerSecond() {
    return seconds > 0 ? rows / seconds : Double.NaN;
  }
}
