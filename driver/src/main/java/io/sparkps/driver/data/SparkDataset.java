package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.Standardizer;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A dataset loaded into Spark: training and validation blocks, one {@link Block} per partition
 * (dense or sparse, as the load's {@link RowEncoding} said), cached (memory and disk, deserialized) and already materialized, with what a
 * model file needs to know about the data.
 *
 * @param train the training blocks, one partition per worker
 * @param validation the validation blocks, partitioned the same way (blocks of 0 rows when
 *     nothing is held out)
 * @param width the model's input width: the dense columns, the LibSVM or vector width, or the
 *     hashed buckets
 * @param sparse whether the blocks are sparse ({@link io.sparkps.core.data.SparseBlock})
 * @param hashing how delimited rows were hashed, when they were (the model stores it)
 * @param featureNames one name per feature column of the source (empty for sparse LibSVM and
 *     vector data; the raw columns of hashed data)
 * @param classes class names in index order; empty for regression
 * @param standardizer what was applied to the features (the identity when nothing was)
 * @param trainRows rows in {@code train}
 * @param trainPartitionRows rows of each partition's block of {@code train}, in partition order
 * @param validationRows rows in {@code validation}
 * @param skippedRows bad rows left out under {@link BadRowPolicy#SKIP}
 * @param loadSeconds time to read, check and cache the data
 */
public record SparkDataset(JavaRDD<Block> train, JavaRDD<Block> validation, int width,
    boolean sparse, java.util.Optional<io.sparkps.core.data.FeatureHashing> hashing, List<String> featureNames, List<String> classes, Standardizer standardizer, long trainRows,
    int[] trainPartitionRows, long validationRows, long skippedRows, double loadSeconds,
    java.util.Optional<String> labelColumn) {

  public SparkDataset {
    trainPartitionRows = trainPartitionRows.clone();
    featureNames = List.copyOf(featureNames);
    classes = List.copyOf(classes);
  }

  @Override
  public int[] trainPartitionRows() {
    return trainPartitionRows.clone();
  }

  /** The model's input width. */
  public int features() {
    return width;
  }

  /** Fields per entry of the sparse rows: the hashed columns, or 0. */
  public int fields() {
    return hashing.map(io.sparkps.core.data.FeatureHashing::fields).orElse(0);
  }

  /** Drops the cached blocks from executor memory and disk. */
  public void unpersist() {
    train.unpersist(false);
    validation.unpersist(false);
  }
}
