package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.SparseRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * The one pass over an input partition: checks each row's label, folds the row into the
 * partition's {@link DataSummary} and deals it into chunks ({@link ChunkSink}); the result is one
 * {@link ParsedPartition}. A row whose label is bad throws before anything is counted or kept,
 * so the reader can skip it; a retried task starts from a new sink, and only its finished
 * result counts.
 */
final class ParseSink implements RowSink.Partition<ParsedPartition> {
  private final LabelCodec codec;
  private final RowSplit split;
  private final boolean moments;
  private final DataSummary summary = new DataSummary();
  private final ChunkSink chunks;
  private final HashMap<String, Integer> index = new HashMap<>();
  private final List<String> labels = new ArrayList<>();

  private ParseSink(LabelCodec codec, RowSplit split, boolean moments, ChunkSink chunks) {
    this.codec = codec;
    this.split = split;
    this.moments = moments;
    this.chunks = chunks;
  }

  /**
   * Sinks that check labels with {@code codec} (a collecting codec keeps each partition's
   * distinct labels for the classes), split rows with {@code split}, sum the features of
   * training rows when {@code moments} is set, and deal rows as {@code plan} says.
   */
  static RowSink.Factory<ParsedPartition> factory(LabelCodec codec, RowSplit split,
      boolean moments, ChunkSink.Plan plan) {
    return partition -> new ParseSink(codec, split, moments, new ChunkSink(plan, partition));
  }

  @Override
  public void dense(long key, String label, float[] x) {
    float y = label(label);
    boolean validation = split.isValidation(key);
    chunks.dense(validation, y, x);
    summary.addDense(x, validation, moments);
  }

  @Override
  public void sparse(long key, String label, LibSvmRow row) {
    float y = label(label);
    boolean validation = split.isValidation(key);
    chunks.sparse(validation, y, row);
    summary.addSparse(row, validation, moments);
  }

  @Override
  public void sparseRow(long key, String label, SparseRow row) {
    float y = label(label);
    boolean validation = split.isValidation(key);
    chunks.sparseRow(validation, y, row);
    summary.addWidth(row.width(), validation);
  }

  /**
   * The label as the chunks keep it: encoded, or while collecting the index of its text among
   * this partition's labels (0 past {@link DataSummary#MAX_DISTINCT_LABELS}: such a load fails
   * before the chunks are read). Throws {@link NumberFormatException} for a bad label.
   */
  private float label(String text) {
    float encoded = codec.encode(text);
    if (!codec.collecting()) {
      return encoded;
    }
    String s = text.trim();
    Integer i = index.get(s);
    if (i == null) {
      if (labels.size() > DataSummary.MAX_DISTINCT_LABELS) {
        summary.addLabel(s);
        return 0f;
      }
      i = labels.size();
      index.put(s, i);
      labels.add(s);
      summary.addLabel(s);
    }
    return i;
  }

  @Override
  public void skipped(DataFormatException problem) {
    summary.skip(problem.getMessage());
  }

  @Override
  public Iterator<ParsedPartition> finish() {
    return List.of(chunks.finish(summary, labels.toArray(new String[0]))).iterator();
  }
}
