package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * The load ships rows to their worker partition as chunks: small blocks keyed by a
 * {@code long} that packs the target partition (16 bits), the split (1 bit), the source
 * partition (24 bits) and the chunk's sequence number in its source (22 bits). Sorting a
 * partition's chunks by key gives the same row order in every run, whatever order they were
 * gathered in.
 */
final class Chunks {
  /** Most worker partitions a key can address. */
  static final int MAX_TARGETS = 1 << 16;
  static final int MAX_SOURCES = 1 << 24;
  static final int MAX_SEQUENCE = 1 << 22;

  private Chunks() {
  }

  static long key(int target, boolean validation, int source, int sequence) {
    if (source >= MAX_SOURCES || sequence >= MAX_SEQUENCE) {
      throw new IllegalStateException("input partition " + source + " produced chunk " + sequence
          + "; at most " + MAX_SOURCES + " input partitions of " + MAX_SEQUENCE
          + " chunks each are supported; split the input into more, smaller files");
    }
    return (long) target << 47 | (validation ? 1L : 0L) << 46 | (long) source << 22 | sequence;
  }

  static int target(long key) {
    return (int) (key >>> 47);
  }

  static boolean validation(long key) {
    return (key >>> 46 & 1L) == 1L;
  }

  /** Sends a chunk to the worker partition its key names (the load's shuffle on a cluster). */
  static final class TargetPartitioner extends org.apache.spark.Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    TargetPartitioner(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return target((Long) key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TargetPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }

  /**
   * How chunks become a worker's block: {@code cols} wide; sparse with {@code fieldCount} fields
   * per entry, or dense ({@code fieldCount} -1) with each feature standardized as
   * {@code (x - mean) / scale} while it is copied (no change when {@code mean} is empty).
   */
  record Layout(int cols, int fieldCount, double[] mean, double[] scale)
      implements java.io.Serializable {
  }

  /**
   * The one block of worker partition {@code partition}: its chunks of the given split, in key
   * order, concatenated. Dense chunks, or sparse ones (LibSVM read before its width was known)
   * densified, make a dense block.
   */
  static Block assemble(Iterator<Tuple2<Long, Block>> chunks, boolean validation, Layout layout,
      int partition) {
    List<Tuple2<Long, Block>> mine = new ArrayList<>();
    long rows = 0;
    while (chunks.hasNext()) {
      Tuple2<Long, Block> c = chunks.next();
      if (validation(c._1()) == validation) {
        mine.add(c);
        rows += c._2().rows();
      }
    }
    mine.sort(Comparator.comparingLong(Tuple2::_1));
    int cols = layout.cols();
    if (layout.fieldCount() >= 0) {
      List<SparseBlock> parts = new ArrayList<>(mine.size());
      for (Tuple2<Long, Block> c : mine) {
        parts.add((SparseBlock) c._2());
      }
      return SparseBlock.concat(parts, cols, layout.fieldCount());
    }
    if (rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("worker partition " + partition + " would hold " + rows
          + " rows x " + cols + " features, more than one Java array holds (2^31 floats); "
          + "use more workers (--workers)");
    }
    float[] x = new float[(int) (rows * cols)];
    float[] y = new float[(int) rows];
    int r = 0;
    for (Tuple2<Long, Block> c : mine) {
      Block b = c._2();
      if (b instanceof ExampleBlock e) {
        System.arraycopy(e.features(), 0, x, r * cols, e.rows() * cols);
        System.arraycopy(e.labels(), 0, y, r, e.rows());
      } else {
        densify((SparseBlock) b, x, y, r, cols);
      }
      r += b.rows();
    }
    standardize(x, r, cols, layout.mean(), layout.scale());
    return new ExampleBlock(r, cols, x, y);
  }

  private static void densify(SparseBlock b, float[] x, float[] y, int row, int cols) {
    for (int i = 0; i < b.rows(); i++) {
      int off = (row + i) * cols;
      for (int e = b.rowStart()[i]; e < b.rowStart()[i + 1]; e++) {
        x[off + b.indices()[e]] = b.values()[e];
      }
      y[row + i] = b.labels()[i];
    }
  }

  /** Standardizes the first {@code rows} rows in place (rounded to float as the model reads). */
  static void standardize(float[] x, int rows, int cols, double[] mean, double[] scale) {
    if (mean.length == 0) {
      return;
    }
    for (int i = 0, off = 0; i < rows; i++, off += cols) {
      for (int j = 0; j < cols; j++) {
        x[off + j] = (float) ((x[off + j] - mean[j]) / scale[j]);
      }
    }
  }
}
