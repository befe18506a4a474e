package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.LibSvmRow;
import io.sparkps.core.data.SparseRow;
import java.io.Serializable;
import java.util.Iterator;

/**
 * Receives the parsed rows of one partition, in order. A sink may throw
 * {@link NumberFormatException} for a label it cannot read; the source then treats the row as bad
 * (before the sink changed anything for it). Arrays passed in are reused: copy what you keep.
 */
interface RowSink {

  /**
   * A dense row.
   *
   * @param key a deterministic identity of the row (file and offset, or partition and row), the
   *     same in every pass; it decides the validation split
   * @param label the label text
   * @param x the features
   */
  void dense(long key, String label, float[] x);

  /** A sparse (LibSVM) row, {@code key} and {@code label} as in {@link #dense}. */
  void sparse(long key, String label, LibSvmRow row);

  /**
   * A sparse row with 0-based, ascending indices and a field per entry (hashed delimited rows,
   * sparse vectors); {@code key} and {@code label} as in {@link #dense}.
   */
  void sparseRow(long key, String label, SparseRow row);

  /** A bad row left out under {@link BadRowPolicy#SKIP}, with where it is and what is wrong. */
  void skipped(DataFormatException problem);

  /** A sink for one partition that yields its results when the rows are done. */
  interface Partition<R> extends RowSink {
    Iterator<R> finish();
  }

  /** Makes the sink of each partition; shipped to the executors. */
  @FunctionalInterface
  interface Factory<R> extends Serializable {
    Partition<R> open(int partition);
  }
}
