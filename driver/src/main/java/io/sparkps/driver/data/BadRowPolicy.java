package io.sparkps.driver.data;

/** What to do with a row that cannot be read (malformed, non-numeric, missing label, NaN). */
public enum BadRowPolicy {
  /** Stop loading and name the file, line (or row) and value. */
  FAIL,
  /** Leave the row out and count it in {@link SparkDataset#skippedRows()}. */
  SKIP
}
