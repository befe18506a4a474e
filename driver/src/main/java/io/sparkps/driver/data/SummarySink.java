package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.SparseRow;
import java.util.Iterator;
import java.util.List;

/** The first pass over a partition: folds its rows into one {@link DataSummary}. */
final class SummarySink implements RowSink.Partition<DataSummary> {
  private final LabelCodec labels;
  private final RowSplit split;
  private final boolean moments;
  private final DataSummary summary = new DataSummary();

  private SummarySink(LabelCodec labels, RowSplit split, boolean moments) {
    this.labels = labels;
    this.split = split;
    this.moments = moments;
  }

  /**
   * Sinks that check labels with {@code labels}, split rows with {@code split}, and sum the
   * features of training rows when {@code moments} is set.
   */
  static RowSink.Factory<DataSummary> factory(LabelCodec labels, RowSplit split,
      boolean moments) {
    return partition -> new SummarySink(labels, split, moments);
  }

  @Override
  public void dense(long key, String label, float[] x) {
    String l = checkedLabel(label);
    summary.addDense(x, split.isValidation(key), moments);
    addLabel(l);
  }

  @Override
  public void sparse(long key, String label, LibSvmRow row) {
    String l = checkedLabel(label);
    summary.addSparse(row, split.isValidation(key), moments);
    addLabel(l);
  }

  @Override
  public void sparseRow(long key, String label, SparseRow row) {
    String l = checkedLabel(label);
    summary.addWidth(row.width(), split.isValidation(key));
    addLabel(l);
  }

  private String checkedLabel(String label) {
    labels.encode(label);
    return label.trim();
  }

  private void addLabel(String label) {
    if (labels.collecting()) {
      summary.addLabel(label);
    }
  }

  @Override
  public void skipped(DataFormatException problem) {
    summary.skip(problem.getMessage());
  }

  @Override
  public Iterator<DataSummary> finish() {
    return List.of(summary).iterator();
  }
}
