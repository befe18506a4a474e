package io.sparkps.core.model;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;

/**
 * A model over sparse rows whose parameters are mostly one row of floats per key (feature
 * index): {@link #keys()} rows of {@link #rowWidth()} floats, key {@code j} at offset
 * {@code j * rowWidth()}, followed by {@link #denseTail()} floats every minibatch touches
 * (biases, a deep network). A minibatch reads and writes only the rows of the keys its rows
 * hold ({@link #touchedKeys}), so its gradient costs O(nnz), never O(keys); a keyed parameter
 * server can move just those rows.
 *
 * <p>Regularization is lazy: {@link #finishGradient} adds the L1/L2 gradient to the rows of the
 * keys the last minibatch touched and to the dense tail's weights only, so a key's penalty acts
 * when the key appears (as in sparse SGD with lazy updates, Langford et al., 2009). The penalty
 * it returns is that of those rows.
 */
public sealed interface SparseModel extends Model
    permits SparseLinearModel, FactorizationMachine, WideDeepModel {

  /** Number of keys: the index bound of the sparse input, the spec's input count. */
  default int keys() {
    return spec().inputs();
  }

  /** Floats per key. */
  int rowWidth();

  /** Floats after the key rows. */
  int denseTail();

  /**
   * Writes key {@code key}'s initial row of {@link #rowWidth()} floats at {@code row[off]}. It
   * depends only on the seed and the key (never on the order keys are touched in, nor on how
   * keys are sharded), and {@link #initialize} writes exactly these rows, so a keyed table that
   * creates rows on first touch holds the same values as a dense vector.
   */
  void initializeRow(float[] row, int off, long key, long seed);

  @Override
  default int parameterCount() {
    return Math.toIntExact((long) keys() * rowWidth() + denseTail());
  }

  /** The sorted unique keys rows {@code [from, to)} of {@code block} hold. */
  static int[] touchedKeys(SparseBlock block, int from, int to) {
    int[] all = java.util.Arrays.copyOfRange(block.indices(), block.rowStart()[from],
        block.rowStart()[to]);
    java.util.Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || all[i] != all[n - 1]) {
        all[n++] = all[i];
      }
    }
    return java.util.Arrays.copyOf(all, n);
  }

  /**
   * Rows {@code [from, to)} of {@code block} as a sparse block of at most {@code keys} wide, with
   * the parameter vector's length checked: the one check every sparse model makes first.
   */
  static SparseBlock rows(SparseModel model, float[] params, Block block, int from, int to) {
    checkLength(model, params);
    SparseBlock b = sparse(block, model.keys(), model.spec().name());
    if (from < 0 || to > b.rows() || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside a block of "
          + b.rows());
    }
    return b;
  }

  /** Fails unless {@code params} has the model's parameter count. */
  static void checkLength(SparseModel model, float[] params) {
    if (params.length != model.parameterCount()) {
      throw new IllegalArgumentException(model.spec().name() + " " + model.spec().shape()
          + " has " + model.parameterCount() + " parameters, got a vector of " + params.length);
    }
  }

  /** {@code block} as a sparse block of this model's width, or a clear error. */
  static SparseBlock sparse(Block block, int keys, String model) {
    if (!(block instanceof SparseBlock s)) {
      throw new IllegalArgumentException("the " + model + " model reads sparse rows; load the "
          + "data as LibSVM, with --categorical, or from a vector column");
    }
    if (s.cols() > keys) {
      throw new IllegalArgumentException("the " + model + " model has " + keys + " keys, the "
          + "data has indices up to " + (s.cols() - 1) + "; train with a key space at least as "
          + "wide as the data (--features or --hash-bits)");
    }
    return s;
  }
}
