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
 * @param validationMetrics metrics on the validation rows after the epoch, keyed as
 *     {@code evaluate --json} prints them (empty when not computed)
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, long updates,
    long rows, double seconds, java.util.Map<String, Double> validationMetrics) {

  public EpochStats {
    validationMetrics = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(validationMetrics));
  }

  /** An epoch without validation metrics. */
  public EpochStats(int epoch, double trainLoss, double validationLoss, long updates, long rows,
      double seconds) {
    this(epoch, trainLoss, validationLoss, updates, rows, seconds, java.util.Map.of());
  }

  public double rowsPerSecond() {
    return seconds > 0 ? rows / seconds : Double.NaN;
  }
}
