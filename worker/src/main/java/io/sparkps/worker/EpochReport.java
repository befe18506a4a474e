package io.sparkps.worker;

import java.io.Serializable;

/**
 * What one worker task did in one epoch; the driver sums these for progress and metrics.
 *
 * @param partition the Spark partition
 * @param attempt the task attempt (0 for the first)
 * @param examples training examples processed
 * @param lossSum their summed objective
 * @param roundsRun rounds computed and pushed
 * @param roundsSkipped rounds a retried task found completed already
 * @param computeSeconds time spent computing
 * @param waitSeconds time spent in pulls and pushes (including waiting for the slowest worker)
 * @param bytesExchanged payload bytes pulled and pushed
 * @param setupSeconds time before the first round: reading the cached block, shuffling it for
 *     the epoch, connecting to the parameter server
 */
public record EpochReport(int partition, int attempt, long examples, double lossSum,
    int roundsRun, int roundsSkipped, double computeSeconds, double waitSeconds,
    long bytesExchanged, double setupSeconds) implements Serializable {
}
