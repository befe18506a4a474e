package io.sparkps.ps.api;

/**
 * What one worker partition sends for one round of a keyed job: for each of {@code count}
 * ascending, unique keys a row of {@code width} floats (a gradient, or a parameter delta after
 * local steps), plus the gradient or delta of the dense tail (biases, a deep network) that every
 * minibatch touches.
 *
 * <p>{@code (round, partition)} identifies a push, as for {@link GradientPush}: a second push with
 * the same pair is acknowledged and ignored.
 *
 * @param round the round the payload was computed for
 * @param partition the worker partition, 0 to expectedPartitions - 1
 * @param attempt the Spark task attempt number, for logs only
 * @param examples how many examples the payload averages over (its weight)
 * @param lossSum the summed loss of those examples
 * @param kind gradient or delta, for the rows and the tail alike
 * @param keys ascending (signed order), unique keys; only {@code [0, count)} is read
 * @param count how many keys of {@code keys} are sent
 * @param rows {@code count * width} floats, key {@code keys[i]}'s row at {@code i * width}
 * @param tail the dense tail's payload (length 0 when the model has none)
 */
public record KeyedPush(
    long round, int partition, int attempt, long examples, double lossSum, PayloadKind kind,
    long[] keys, int count, float[] rows, float[] tail) {

  public KeyedPush {
    if (round < 0 || partition < 0 || examples < 0) {
      throw new IllegalArgumentException("round, partition and examples must be at least 0, got "
          + round + ", " + partition + " and " + examples + ".");
    }
    if (kind == null || keys == null || rows == null || tail == null) {
      throw new IllegalArgumentException("kind, keys, rows and tail are required.");
    }
    if (count < 0 || count > keys.length) {
      throw new IllegalArgumentException("count must be 0 to " + keys.length + " (the keys "
          + "array's length), got " + count + ".");
    }
  }
}
