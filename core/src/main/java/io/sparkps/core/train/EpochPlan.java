package io.sparkps.core.train;

import java.util.Arrays;

/**
 * How an epoch is cut into rounds when the training rows are split over partitions. Every
 * partition takes part in every round (bulk synchronous training waits for all of them), so each
 * partition's rows are cut into the same number of minibatches, {@code rounds x localSteps},
 * as evenly as possible: a partition with more rows gets larger minibatches, and the average
 * weighted by example counts keeps every row's weight equal. The number of rounds is chosen so
 * that a minibatch holds about {@code batchSize} rows on average.
 *
 * <p>The reference trainer and the Spark workers both cut epochs with this plan, which is what
 * makes their results comparable.
 *
 * @param partitionRows training rows in each partition
 * @param rounds rounds per epoch, at least 1
 * @param localSteps minibatches each partition processes per round
 */
public record EpochPlan(int[] partitionRows, int rounds, int localSteps)
    implements java.io.Serializable {

  public EpochPlan {
    partitionRows = partitionRows.clone();
    if (partitionRows.length == 0) {
      throw new IllegalArgumentException("an epoch needs at least one partition");
    }
    if (rounds < 1 || localSteps < 1) {
      throw new IllegalArgumentException("rounds and localSteps must be at least 1, got "
          + rounds + " and " + localSteps);
    }
  }

  /** Plans rounds of about {@code batchSize} rows per partition and local step. */
  public static EpochPlan of(int[] partitionRows, int batchSize, int localSteps) {
    long total = Arrays.stream(partitionRows).asLongStream().sum();
    if (total == 0) {
      throw new IllegalArgumentException("cannot plan an epoch over an empty dataset");
    }
    long perRound = (long) partitionRows.length * batchSize * localSteps;
    int rounds = (int) Math.max(1, (total + perRound - 1) / perRound);
    return new EpochPlan(partitionRows, rounds, localSteps);
  }

  public int partitions() {
    return partitionRows.length;
  }

  /** Minibatches per partition and epoch. */
  public int stepsPerEpoch() {
    return rounds * localSteps;
  }

  /** First row of minibatch {@code step} (0-based within the epoch) of {@code partition}. */
  public int from(int partition, int step) {
    return (int) ((long) step * partitionRows[partition] / stepsPerEpoch());
  }

  /** One past the last row of minibatch {@code step} of {@code partition}. */
  public int to(int partition, int step) {
    return from(partition, step + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpochPlan p && Arrays.equals(partitionRows, p.partitionRows)
        && rounds == p.rounds && localSteps == p.localSteps;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(partitionRows) + rounds) + localSteps;
  }

  @Override
  public String toString() {
    return "EpochPlan[partitionRows=" + Arrays.toString(partitionRows) + ", rounds=" + rounds
        + ", localSteps=" + localSteps + "]";
  }
}
