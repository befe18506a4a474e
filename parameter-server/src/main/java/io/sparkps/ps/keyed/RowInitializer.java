package io.sparkps.ps.keyed;

import io.sparkps.core.model.SparseModel;

/**
 * Writes a key's initial row when a {@link KeyedTable} creates it on first touch. An initializer
 * must be a pure function of the key (and of the seed it captures): never of the order in which
 * keys are touched nor of the shard that holds the key, so that every sharding of a model and
 * every order of requests creates the same rows.
 */
@FunctionalInterface
public interface RowInitializer {

  /** Writes key {@code key}'s initial row of the table's width at {@code row[off]}. */
  void initialize(long key, float[] row, int off);

  /** Rows of zeros (linear weights; the usual start of FTRL-Proximal and AdaGrad). */
  static RowInitializer zeros(int width) {
    return (key, row, off) -> java.util.Arrays.fill(row, off, off + width, 0f);
  }

  /**
   * The rows {@code model}'s own {@link SparseModel#initialize} writes for {@code seed}: a keyed
   * table then starts from exactly the dense vector's key rows.
   */
  static RowInitializer of(SparseModel model, long seed) {
    return (key, row, off) -> model.initializeRow(row, off, key, seed);
  }
}
