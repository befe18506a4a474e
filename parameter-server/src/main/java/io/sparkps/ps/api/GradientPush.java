package io.sparkps.ps.api;

/**
 * What one worker partition sends for one round: a gradient (or a parameter delta) over the whole
 * parameter vector, with the number of examples it was computed from and their summed loss.
 *
 * <p>{@code (round, partition)} identifies a push: a second push with the same pair (a retried
 * Spark task, {@code attempt} > 0) is acknowledged and ignored, never counted twice.
 *
 * @param round the round the payload was computed for (the parameter version the worker pulled)
 * @param partition the worker partition, 0 to expectedPartitions - 1
 * @param attempt the Spark task attempt number, for logs only
 * @param examples how many examples the payload averages over; the weight of this push (0 when
 *     the partition's minibatch was empty: a synchronous round still needs every partition)
 * @param lossSum the summed (not averaged) loss of those examples
 * @param kind whether {@code payload} is a gradient or a delta
 * @param payload one float per parameter; not copied, do not change it while pushing
 */
public record GradientPush(
    long round, int partition, int attempt, long examples, double lossSum, PayloadKind kind,
    float[] payload) {

  public GradientPush {
    if (round < 0) {
      throw new IllegalArgumentException("round must be at least 0, got " + round + ".");
    }
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be at least 0, got " + partition + ".");
    }
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be at least 0, got " + examples
          + " (a partition whose minibatch is empty this round pushes 0 examples, weight 0).");
    }
    if (kind == null || payload == null) {
      throw new IllegalArgumentException("kind and payload are required.");
    }
  }

  /** A gradient push. */
  public static GradientPush gradient(
      long round, int partition, int attempt, long examples, double lossSum, float[] gradient) {
    return new GradientPush(round, partition, attempt, examples, lossSum, PayloadKind.GRADIENT,
        gradient);
  }

  /** A parameter-delta push (local steps). */
  public static GradientPush delta(
      long round, int partition, int attempt, long examples, double lossSum, float[] delta) {
    return new GradientPush(round, partition, attempt, examples, lossSum, PayloadKind.DELTA, delta);
  }
}
