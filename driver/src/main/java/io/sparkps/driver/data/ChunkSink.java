package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.data.LibSvmRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * The second pass over an input partition: encodes labels, standardizes features, splits rows
 * into training and validation, and deals them round-robin to the worker partitions in chunks
 * (see {@link Chunks}), so every worker gets the same number of rows give or take one per input
 * partition. Buffers hold at most {@value #MAX_BUFFERED_FLOATS} floats per task.
 */
final class ChunkSink implements RowSink.Partition<Tuple2<Long, Block>> {
  static final int MAX_BUFFERED_FLOATS = 1 << 23;
  static final int MAX_CHUNK_ROWS = 4096;

  /**
   * What every task of the pass needs; shipped to the executors. With {@code fieldCount} of -1
   * the chunks are dense; otherwise they are sparse, with that many fields per entry (0: none).
   */
  record Plan(int targets, int width, LabelCodec labels, RowSplit split, double[] mean,
      double[] scale, int fieldCount) implements Serializable {
    int chunkRows() {
      long perSlot = MAX_BUFFERED_FLOATS / (2L * targets * (sparse() ? 64 : width));
      return (int) Math.max(1, Math.min(MAX_CHUNK_ROWS, perSlot));
    }

    boolean sparse() {
      return fieldCount >= 0;
    }
  }

  private final Plan plan;
  private final int source;
  private final int chunkRows;
  private final float[][] x;
  private final float[][] y;
  private final int[] fill;
  private final int[] sequence;
  private final long[] dealt = new long[2];
  private final List<Tuple2<Long, Block>> out = new ArrayList<>();
  private final SparseBlockBuilder[] csr;
  private final SparseRow scratch = new SparseRow();

  private ChunkSink(Plan plan, int source) {
    this.plan = plan;
    this.source = source;
    this.chunkRows = plan.chunkRows();
    int slots = 2 * plan.targets();
    this.x = new float[slots][];
    this.y = new float[slots][];
    this.fill = new int[slots];
    this.sequence = new int[slots];
    this.csr = new SparseBlockBuilder[plan.sparse() ? slots : 0];
  }

  static RowSink.Factory<Tuple2<Long, Block>> factory(Plan plan) {
    return partition -> new ChunkSink(plan, partition);
  }

  @Override
  public void dense(long key, String label, float[] row) {
    if (plan.sparse()) {
      float encoded = plan.labels().encode(label);
      int slot = sparseSlot(plan.split().isValidation(key));
      csr[slot].addDense(row, 0, plan.width(), encoded);
      sparseAdded(slot);
      return;
    }
    float encoded = plan.labels().encode(label);
    int slot = slot(plan.split().isValidation(key));
    int off = fill[slot] * plan.width();
    System.arraycopy(row, 0, x[slot], off, plan.width());
    add(slot, off, encoded);
  }

  @Override
  public void sparse(long key, String label, LibSvmRow row) {
    if (plan.sparse()) {
      float encoded = plan.labels().encode(label);
      if (row.maxIndex() > plan.width()) {
        throw new DataFormatException("", 0, "a row has feature index " + row.maxIndex()
            + " but the data has " + plan.width() + " features; pass the right feature count");
      }
      int slot = sparseSlot(plan.split().isValidation(key));
      csr[slot].add(row.indices(), row.values(), row.indices().length, -1, encoded);
      sparseAdded(slot);
      return;
    }
    float encoded = plan.labels().encode(label);
    int slot = slot(plan.split().isValidation(key));
    int off = fill[slot] * plan.width();
    Arrays.fill(x[slot], off, off + plan.width(), 0f);
    row.densify("", plan.width(), x[slot], off);
    add(slot, off, encoded);
  }

  @Override
  public void sparseRow(long key, String label, SparseRow row) {
    if (!plan.sparse()) {
      throw new IllegalStateException("a sparse row reached a dense load; hashed and sparse "
          + "rows need a sparse encoding");
    }
    float encoded = plan.labels().encode(label);
    int slot = sparseSlot(plan.split().isValidation(key));
    csr[slot].add(row, encoded);
    sparseAdded(slot);
  }

  /** The CSR builder of the next target for this split, made on first use. */
  private int sparseSlot(boolean validation) {
    int v = validation ? 1 : 0;
    int target = (int) ((source + dealt[v]++) % plan.targets());
    int slot = 2 * target + v;
    if (csr[slot] == null) {
      csr[slot] = new SparseBlockBuilder(plan.width(), plan.fieldCount());
    }
    return slot;
  }

  private void sparseAdded(int slot) {
    if (csr[slot].rows() == chunkRows || csr[slot].nnz() >= MAX_BUFFERED_FLOATS / 8) {
      flushSparse(slot);
    }
  }

  private void flushSparse(int slot) {
    long key = Chunks.key(slot / 2, slot % 2 == 1, source, sequence[slot]++);
    out.add(new Tuple2<>(key, csr[slot].build()));
    csr[slot].clear();
  }

  @Override
  public void skipped(DataFormatException problem) {
    // counted in the first pass
  }

  /** The buffer of the next target for this split, allocated on first use. */
  private int slot(boolean validation) {
    int v = validation ? 1 : 0;
    int target = (int) ((source + dealt[v]++) % plan.targets());
    int slot = 2 * target + v;
    if (x[slot] == null) {
      x[slot] = new float[chunkRows * plan.width()];
      y[slot] = new float[chunkRows];
    }
    return slot;
  }

  private void add(int slot, int off, float label) {
    double[] mean = plan.mean();
    double[] scale = plan.scale();
    float[] buf = x[slot];
    for (int j = 0; j < mean.length; j++) {
      buf[off + j] = (float) ((buf[off + j] - mean[j]) / scale[j]);
    }
    y[slot][fill[slot]++] = label;
    if (fill[slot] == chunkRows) {
      flush(slot);
    }
  }

  private void flush(int slot) {
    int n = fill[slot];
    int d = plan.width();
    long key = Chunks.key(slot / 2, slot % 2 == 1, source, sequence[slot]++);
    if (n == chunkRows) {
      out.add(new Tuple2<>(key, new ExampleBlock(n, d, x[slot], y[slot])));
      x[slot] = new float[chunkRows * d];
      y[slot] = new float[chunkRows];
    } else {
      out.add(new Tuple2<>(key, new ExampleBlock(n, d, Arrays.copyOf(x[slot], n * d),
          Arrays.copyOf(y[slot], n))));
    }
    fill[slot] = 0;
  }

  @Override
  public Iterator<Tuple2<Long, Block>> finish() {
    for (int slot = 0; slot < fill.length; slot++) {
      if (fill[slot] > 0) {
        flush(slot);
      }
      if (csr.length > 0 && csr[slot] != null && csr[slot].rows() > 0) {
        flushSparse(slot);
      }
    }
    return out.iterator();
  }
}
