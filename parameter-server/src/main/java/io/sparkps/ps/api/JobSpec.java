package io.sparkps.ps.api;

import io.sparkps.core.optim.Optimizer;

/**
 * What the driver tells the parameter server when a job starts.
 *
 * @param size the length of the flat parameter vector
 * @param optimizer the update rule the server applies (its state lives on the server, per shard)
 * @param initial where the parameters start
 * @param expectedPartitions N: how many worker partitions push each round
 * @param mode sync, ssp or async
 */
public record JobSpec(
    long size, Optimizer optimizer, InitialValues initial, int expectedPartitions,
    ConsistencyMode mode) {

  public JobSpec {
    if (size < 1 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("parameter count must be 1 to " + (Integer.MAX_VALUE - 8)
          + ", got " + size + ".");
    }
    if (expectedPartitions < 1) {
      throw new IllegalArgumentException("expectedPartitions must be at least 1, got "
          + expectedPartitions + " (set it to the number of Spark partitions that push).");
    }
    if (optimizer == null || initial == null || mode == null) {
      throw new IllegalArgumentException("optimizer, initial values and mode are required.");
    }
    if (initial instanceof InitialValues.Values v && v.values().length != size) {
      throw new IllegalArgumentException("initial values must have one float per parameter: "
          + "expected " + size + ", got " + v.values().length + ".");
    }
  }

  /** A synchronous job starting from zeros. */
  public static JobSpec sync(long size, Optimizer optimizer, int expectedPartitions) {
    return new JobSpec(size, optimizer, new InitialValues.Zeros(), expectedPartitions,
        new ConsistencyMode.Sync());
  }
}
