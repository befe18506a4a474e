package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * One input partition read once ({@link ParseSink}) and cached between the load's two stages:
 * its {@link DataSummary} and its rows as chunks for the worker partitions ({@link ChunkSink}),
 * features as read. While a classifier's classes are still being learned, a chunk's labels are
 * indices into {@code labels}, this partition's distinct labels in order of appearance; otherwise
 * they are already encoded and {@code labels} is empty.
 */
final class ParsedPartition implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DataSummary summary;
  private final String[] labels;
  private final long[] keys;
  private final Block[] chunks;

  ParsedPartition(DataSummary summary, String[] labels, long[] keys, Block[] chunks) {
    this.summary = summary;
    this.labels = labels;
    this.keys = keys;
    this.chunks = chunks;
  }

  DataSummary summary() {
    return summary;
  }

  /**
   * The chunks with their keys, their labels encoded with {@code codec} where they are
   * indices into this partition's labels. The cached chunks are never changed: a chunk whose
   * labels change is a new block sharing the features.
   */
  Iterator<Tuple2<Long, Block>> encoded(LabelCodec codec) {
    return encoded(codec, -1, false);
  }

  /**
   * As {@link #encoded(LabelCodec)}, only the chunks for worker partition {@code target} and the
   * given split ({@code target} -1: all chunks).
   */
  Iterator<Tuple2<Long, Block>> encoded(LabelCodec codec, int target, boolean validation) {
    float[] map = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      map[i] = codec.encode(labels[i]);
    }
    List<Tuple2<Long, Block>> out = new ArrayList<>(chunks.length);
    for (int c = 0; c < chunks.length; c++) {
      if (target >= 0 && (Chunks.target(keys[c]) != target
          || Chunks.validation(keys[c]) != validation)) {
        continue;
      }
      out.add(new Tuple2<>(keys[c], labels.length == 0 ? chunks[c] : relabeled(chunks[c], map)));
    }
    return out.iterator();
  }

  private static Block relabeled(Block b, float[] map) {
    float[] y = new float[b.rows()];
    if (b instanceof ExampleBlock e) {
      for (int i = 0; i < y.length; i++) {
        y[i] = map[(int) e.labels()[i]];
      }
      return new ExampleBlock(e.rows(), e.cols(), e.features(), y);
    }
    SparseBlock s = (SparseBlock) b;
    for (int i = 0; i < y.length; i++) {
      y[i] = map[(int) s.labels()[i]];
    }
    return new SparseBlock(s.rows(), s.cols(), s.rowStart(), s.indices(), s.values(), y,
        s.fields(), s.fieldCount());
  }
}
