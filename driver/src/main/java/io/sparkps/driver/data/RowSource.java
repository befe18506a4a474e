package io.sparkps.driver.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A dataset as partitions of rows that can be read more than once, each time with the same
 * partitions, rows and row keys: a lost cached partition or a retried task reads its partition
 * again and must see the same rows.
 */
interface RowSource {

  /** Feeds each input partition's rows to a sink from {@code factory}; its results make the RDD. */
  <R> JavaRDD<R> rows(RowSink.Factory<R> factory);

  /** The feature count, known once the data has been read (0 before, when the data decides it). */
  int features(DataSummary summary);

  /** One name per feature. */
  List<String> featureNames(int features);

  /** Whether features are named columns (delimited text, Parquet columns), not vector slots. */
  default boolean namedColumns() {
    return false;
  }

  /**
   * The feature column names as the source's header gives them, before any row is read (a
   * CSV header, Parquet columns other than a vector); empty when the source has none.
   */
  default java.util.Optional<List<String>> headerFeatures() {
    return java.util.Optional.empty();
  }

  /** The label column's name, when the source names its columns (a CSV header, Parquet). */
  default java.util.Optional<String> labelColumn() {
    return java.util.Optional.empty();
  }

  /** How the source's rows are encoded: {@link RowEncoding.Auto} decided, hashing resolved. */
  RowEncoding encoding();

  /** The hashing of delimited rows, when the encoding hashes them. */
  default java.util.Optional<io.sparkps.core.data.FeatureHashing> hashing() {
    return java.util.Optional.empty();
  }
}
