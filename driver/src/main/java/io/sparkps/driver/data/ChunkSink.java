package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deals the parsed rows of one input partition round-robin to the worker partitions in chunks
 * (see {@link Chunks}), split into training and validation, so every worker gets the same number
 * of rows give or take one per input partition. The features are kept as read (standardized
 * when the chunks are assembled into blocks) and the labels as {@link ParseSink} gives them.
 * Buffers hold at most {@value #MAX_BUFFERED_FLOATS} floats per task.
 */
final class ChunkSink {
  static final int MAX_BUFFERED_FLOATS = 1 << 23;
  static final int MAX_CHUNK_ROWS = 4096;

  /**
   * What every task needs; shipped to the executors. With {@code fieldCount} of -1 the chunks
   * are dense, {@code width} wide; otherwise they are sparse, with that many fields per entry
   * (0: none), and {@code width} of 0 when the data decides it (LibSVM without a feature count).
   */
  record Plan(int targets, int width, RowSplit split, int fieldCount) implements Serializable {
    int chunkRows() {
      long perSlot = MAX_BUFFERED_FLOATS / (2L * targets * (sparse() ? 64 : width));
      return (int) Math.max(1, Math.min(MAX_CHUNK_ROWS, perSlot));
    }

    boolean sparse() {
      return fieldCount >= 0;
    }

    /** The column bound of the sparse chunks: the width, or any index while it is unknown. */
    int sparseCols() {
      return width > 0 ? width : Integer.MAX_VALUE;
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
  private final List<Long> keys = new ArrayList<>();
  private final List<Block> out = new ArrayList<>();
  private final SparseBlockBuilder[] csr;

  ChunkSink(Plan plan, int source) {
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

  void dense(boolean validation, float label, float[] row) {
    if (plan.sparse()) {
      int slot = sparseSlot(validation);
      csr[slot].addDense(row, 0, plan.width(), label);
      sparseAdded(slot);
      return;
    }
    int slot = slot(validation);
    System.arraycopy(row, 0, x[slot], fill[slot] * plan.width(), plan.width());
    add(slot, label);
  }

  /** A LibSVM row; its indices are at most the plan's width (the reader checked them). */
  void sparse(boolean validation, float label, LibSvmRow row) {
    if (plan.sparse()) {
      int slot = sparseSlot(validation);
      csr[slot].add(row.indices(), row.values(), row.indices().length, -1, label);
      sparseAdded(slot);
      return;
    }
    int slot = slot(validation);
    int off = fill[slot] * plan.width();
    Arrays.fill(x[slot], off, off + plan.width(), 0f);
    row.densify("", plan.width(), x[slot], off);
    add(slot, label);
  }

  void sparseRow(boolean validation, float label, SparseRow row) {
    if (!plan.sparse()) {
      throw new IllegalStateException("a sparse row reached a dense load; hashed and sparse "
          + "rows need a sparse encoding");
    }
    int slot = sparseSlot(validation);
    csr[slot].add(row, label);
    sparseAdded(slot);
  }

  /** The CSR builder of the next target for this split, made on first use. */
  private int sparseSlot(boolean validation) {
    int v = validation ? 1 : 0;
    int target = (int) ((source + dealt[v]++) % plan.targets());
    int slot = 2 * target + v;
    if (csr[slot] == null) {
      csr[slot] = new SparseBlockBuilder(plan.sparseCols(), plan.fieldCount());
    }
    return slot;
  }

  private void sparseAdded(int slot) {
    if (csr[slot].rows() == chunkRows || csr[slot].nnz() >= MAX_BUFFERED_FLOATS / 8) {
      flushSparse(slot);
    }
  }

  private void flushSparse(int slot) {
    keys.add(Chunks.key(slot / 2, slot % 2 == 1, source, sequence[slot]++));
    out.add(csr[slot].build());
    csr[slot].clear();
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

  private void add(int slot, float label) {
    y[slot][fill[slot]++] = label;
    if (fill[slot] == chunkRows) {
      flush(slot);
    }
  }

  private void flush(int slot) {
    int n = fill[slot];
    int d = plan.width();
    keys.add(Chunks.key(slot / 2, slot % 2 == 1, source, sequence[slot]++));
    if (n == chunkRows) {
      out.add(new ExampleBlock(n, d, x[slot], y[slot]));
      x[slot] = new float[chunkRows * d];
      y[slot] = new float[chunkRows];
    } else {
      out.add(new ExampleBlock(n, d, Arrays.copyOf(x[slot], n * d), Arrays.copyOf(y[slot], n)));
    }
    fill[slot] = 0;
  }

  /** The chunks, every buffer flushed, with their keys in the same order. */
  ParsedPartition finish(DataSummary summary, String[] labels) {
    for (int slot = 0; slot < fill.length; slot++) {
      if (fill[slot] > 0) {
        flush(slot);
      }
      if (csr.length > 0 && csr[slot] != null && csr[slot].rows() > 0) {
        flushSparse(slot);
      }
    }
    return new ParsedPartition(summary, labels, keys.stream().mapToLong(Long::longValue)
        .toArray(), out.toArray(new Block[0]));
  }
}
