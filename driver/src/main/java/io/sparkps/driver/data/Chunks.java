package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import scala.Tuple2;

/**
 * The second pass ships rows to their worker partition as chunks: small blocks keyed by a
 * {@code long} that packs the target partition (16 bits), the split (1 bit), the source
 * partition (24 bits) and the chunk's sequence number in its source (22 bits). Sorting a
 * partition's chunks by key gives the same row order in every run, whatever order the shuffle
 * delivered them in.
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

  /** Sends a chunk to the partition its key names. */
  static final class TargetPartitioner extends Partitioner {
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
   * The one block of worker partition {@code partition}: its chunks of the given split, in key
   * order, concatenated.
   */
  static Block assemble(Iterator<Tuple2<Long, Block>> chunks, boolean validation, int cols,
      int partition, int fieldCount) {
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
    if (fieldCount >= 0) {
      List<SparseBlock> parts = new ArrayList<>(mine.size());
      for (Tuple2<Long, Block> c : mine) {
        parts.add((SparseBlock) c._2());
      }
      return SparseBlock.concat(parts, cols, fieldCount);
    }
    if (fieldCount < 0 && rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("worker partition " + partition + " would hold " + rows
          + " rows x " + cols + " features, more than one Java array holds (2^31 floats); "
          + "use more workers (--workers)");
    }
    float[] x = new float[(int) (rows * cols)];
    float[] y = new float[(int) rows];
    int r = 0;
    for (Tuple2<Long, Block> c : mine) {
      ExampleBlock b = (ExampleBlock) c._2();
      System.arraycopy(b.features(), 0, x, r * cols, b.rows() * cols);
      System.arraycopy(b.labels(), 0, y, r, b.rows());
      r += b.rows();
    }
    return new ExampleBlock(r, cols, x, y);
  }
}
