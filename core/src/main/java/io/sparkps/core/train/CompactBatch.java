package io.sparkps.core.train;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.model.WideDeepSpec;
import java.util.Arrays;
import java.util.List;

/**
 * One keyed round's view of a sparse model: the sorted unique keys the round's minibatches touch,
 * those minibatches re-indexed to compact keys {@code 0..u-1}, and a compact model of the same
 * family with {@code u} keys, the same row width and the same dense tail. A gradient over the
 * compact model is {@code u x width + tail} floats, never the model's size, and equals the
 * matching rows of the full model's gradient (and its tail): the sparse models read and write
 * only the rows of the keys a minibatch holds, and regularize only those (lazy regularization).
 * This is what a worker of a keyed parameter server computes over (the keyed push and pull of
 * ps-lite, Li et al., OSDI 2014).
 *
 * <p>The compact parameter vector is the pulled rows, key {@code keys[i]}'s row at
 * {@code i * width}, followed by the tail; a round that touches no key keeps one unused row of
 * zeros (a model needs a key), so {@link #parameterCount()} is at least {@code width + tail}.
 *
 * @param keys the ascending unique keys touched, as the keyed messages carry them
 * @param blocks each minibatch's rows, re-indexed to the compact keys, in step order
 * @param model the compact model ({@code max(1, keys.length)} keys)
 */
public record CompactBatch(long[] keys, List<SparseBlock> blocks, SparseModel model) {

  /** Number of keys touched. */
  public int count() {
    return keys.length;
  }

  /** Floats of the compact parameter vector: rows, then the tail. */
  public int parameterCount() {
    return model.parameterCount();
  }

  /** Floats of the touched rows: {@code count() * width}. */
  public int rowFloats() {
    return keys.length * model.rowWidth();
  }

  /**
   * The compact batch of rows {@code [from[s], to[s])} of {@code blocks[s]} for each minibatch
   * {@code s} of a round (one for a gradient round, K for K local steps), for {@code full}.
   */
  public static CompactBatch of(SparseModel full, List<SparseBlock> sources, int[] from,
      int[] to) {
    if (sources.size() != from.length || from.length != to.length) {
      throw new IllegalArgumentException("a compact batch needs one row range per block, got "
          + sources.size() + " blocks and " + from.length + " and " + to.length + " bounds.");
    }
    KeyRanks ranks = KeyRanks.of(sources, from, to);
    int width = Math.max(1, ranks.keys().length);
    SparseBlock[] out = new SparseBlock[sources.size()];
    for (int s = 0; s < out.length; s++) {
      out[s] = reindex(sources.get(s), from[s], to[s], ranks.rankOf(s), width);
    }
    SparseModel compact = (SparseModel) withKeys(full.spec(), width).build();
    return new CompactBatch(ranks.keys(), List.of(out), compact);
  }

  /** The compact batch of one minibatch, rows {@code [from, to)} of {@code block}. */
  public static CompactBatch of(SparseModel full, SparseBlock block, int from, int to) {
    return of(full, List.of(block), new int[] {from}, new int[] {to});
  }

  /**
   * The compact parameter vector from a pull: {@code rows} ({@link #rowFloats()} floats) and
   * {@code tail}, into {@code params} of {@link #parameterCount()} floats (extra rows zeroed).
   */
  public void assemble(float[] rows, float[] tail, float[] params) {
    int r = rowFloats();
    int tailAt = params.length - tail.length;
    System.arraycopy(rows, 0, params, 0, r);
    Arrays.fill(params, r, tailAt, 0f);
    System.arraycopy(tail, 0, params, tailAt, tail.length);
  }

  /** Splits a compact vector (a gradient or delta) into its rows and its tail. */
  public void split(float[] params, float[] rows, float[] tail) {
    System.arraycopy(params, 0, rows, 0, rowFloats());
    System.arraycopy(params, params.length - tail.length, tail, 0, tail.length);
  }

  /** The same model with {@code keys} keys: what a compact batch trains. */
  public static ModelSpec withKeys(ModelSpec spec, int keys) {
    if (spec instanceof SparseLinearSpec s) {
      return new SparseLinearSpec(keys, s.outputs(), s.loss());
    }
    if (spec instanceof FmSpec s) {
      return new FmSpec(keys, s.factors(), s.loss(), s.initScale());
    }
    if (spec instanceof WideDeepSpec s) {
      return new WideDeepSpec(keys, s.fields(), s.embeddingDim(), s.hidden(), s.activation(),
          s.loss(), s.initScale());
    }
    throw new IllegalArgumentException("keyed training needs a sparse model (logistic, linear, "
        + "softmax, fm, wide-deep), got " + spec.name() + ".");
  }

  /**
   * Rows {@code [from, to)} of {@code b} with each index replaced by its rank among the round's
   * keys ({@code idx}, one per stored entry of those rows: ranks keep each row ascending).
   */
  private static SparseBlock reindex(SparseBlock b, int from, int to, int[] idx, int cols) {
    int lo = b.rowStart()[from];
    int nnz = b.rowStart()[to] - lo;
    int n = to - from;
    int[] start = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      start[i] = b.rowStart()[from + i] - lo;
    }
    float[] val = Arrays.copyOfRange(b.values(), lo, lo + nnz);
    float[] y = Arrays.copyOfRange(b.labels(), from, to);
    short[] fld = b.hasFields() ? Arrays.copyOfRange(b.fields(), lo, lo + nnz) : new short[0];
    return new SparseBlock(n, cols, start, idx, val, y, fld, b.fieldCount());
  }
}
