package io.sparkps.ps.api;

import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.SparseOptimizer;
import java.util.Optional;

/**
 * What the driver declares to the servers when a keyed job starts: rows of {@code width} floats
 * per 64-bit key, created on first touch, updated by a per-key sparse rule, spread over the
 * shards by {@link KeySharding}, plus a dense tail (biases, a deep network) that every minibatch
 * touches, split over the shards in contiguous ranges ({@link #tailStart}) and updated by a dense
 * optimizer as the dense path does.
 *
 * @param width floats per key (1 for a linear weight, 1 + K for a factorization machine)
 * @param rule the per-key update rule
 * @param model the sparse model whose {@code initializeRow} writes a key's first row; empty for
 *     rows of zeros
 * @param initSeed the seed of those rows
 * @param shardingSeed the seed of {@link KeySharding}; clients and servers use the same
 * @param maxTableBytes each shard's bound on its table's bytes
 * @param tailInitial the dense tail's initial values (length 0 when the model has none)
 * @param tailOptimizer the dense tail's update rule
 * @param expectedPartitions N: how many worker partitions push each round
 * @param mode sync, ssp or async
 */
public record KeyedJobSpec(
    int width, SparseOptimizer rule, Optional<ModelSpec> model, long initSeed,
    long shardingSeed, long maxTableBytes, float[] tailInitial, Optimizer tailOptimizer,
    int expectedPartitions, ConsistencyMode mode) {

  public KeyedJobSpec {
    if (width < 1 || width > KeyedTable.MAX_WIDTH) {
      throw new IllegalArgumentException("a keyed job's row width must be 1 to "
          + KeyedTable.MAX_WIDTH + ", got " + width + ".");
    }
    if (rule == null || model == null || tailInitial == null || tailOptimizer == null
        || mode == null) {
      throw new IllegalArgumentException("rule, model, tail values, tail optimizer and mode are "
          + "required (the model may be empty: rows of zeros).");
    }
    if (maxTableBytes < 1) {
      throw new IllegalArgumentException("the per-shard table bound must be at least 1 byte, "
          + "got " + maxTableBytes + "; give each shard's memory for its table.");
    }
    if (expectedPartitions < 1) {
      throw new IllegalArgumentException("expectedPartitions must be at least 1, got "
          + expectedPartitions + " (set it to the number of Spark partitions that push).");
    }
    model.ifPresent(m -> checkModel(m, width, tailInitial.length));
  }

  private static void checkModel(ModelSpec spec, int width, int tail) {
    if (!(spec.build() instanceof SparseModel m)) {
      throw new IllegalArgumentException("a keyed job's model must be a sparse model (fm, "
          + "sparse-linear, wide-deep), got " + spec.name() + ".");
    }
    if (m.rowWidth() != width || m.denseTail() != tail) {
      throw new IllegalArgumentException("the model " + spec.name() + " " + spec.shape()
          + " has rows of " + m.rowWidth() + " floats and a tail of " + m.denseTail()
          + "; the keyed job declares " + width + " and " + tail + ".");
    }
  }

  /** A synchronous job of rows of zeros with no dense tail. */
  public static KeyedJobSpec sync(int width, SparseOptimizer rule, long maxTableBytes,
      Optimizer tailOptimizer, int expectedPartitions) {
    return new KeyedJobSpec(width, rule, Optional.empty(), 0, 0, maxTableBytes, new float[0],
        tailOptimizer, expectedPartitions, new ConsistencyMode.Sync());
  }

  /** Floats of the dense tail. */
  public int tailLength() {
    return tailInitial.length;
  }

  /**
   * The first tail index shard {@code shard} of {@code shards} holds: {@code shard * length /
   * shards}, so shard i holds {@code [tailStart(i), tailStart(i + 1))} (some may hold none when
   * the tail is shorter than the shard count).
   */
  public static int tailStart(int shard, int shards, int length) {
    return (int) ((long) shard * length / shards);
  }
}
