package io.sparkps.core.data;

/**
 * A block of examples with one label per row: the unit a worker caches per partition and every
 * model reads. Two kinds share this contract: {@link ExampleBlock}, dense and row-major, and
 * {@link SparseBlock}, compressed sparse rows. Shuffles, splits and counts work on either through
 * {@link #select}, so the epoch order of a partition is the same permutation whatever the kind.
 */
public sealed interface Block extends java.io.Serializable permits ExampleBlock, SparseBlock {

  /** Number of rows (examples). */
  int rows();

  /**
   * Width of the feature space: the columns of a dense block, the index bound of a sparse one
   * (every index lies in {@code [0, cols)}).
   */
  int cols();

  /** One label per row (at least {@link #rows()} entries; the target, 0/1, or a class index). */
  float[] labels();

  /** A new block with the given rows, in the given order (a shuffle or a split). */
  Block select(int[] rowIndices);

  /** A new block of rows {@code [from, to)}, in order. */
  default Block slice(int from, int to) {
    if (from < 0 || to > rows() || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside a block of "
          + rows());
    }
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return select(idx);
  }
}
