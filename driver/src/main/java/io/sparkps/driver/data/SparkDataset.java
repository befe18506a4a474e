package io.sparkps.driver.data;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A dataset loaded into Spark: training and validation blocks, one {@link ExampleBlock} per
 * partition, cached (memory and disk, deserialized) and already materialized, with what a
 * model file needs to know about the data.
 *
 * @param train the training blocks, one partition per worker
 * @param validation the validation blocks, partitioned the same way (blocks of 0 rows when
 *     nothing is held out)
 * @param featureNames one name per feature column
 * @param classes class names in index order; empty for regression
 * @param standardizer what was applied to the features (the identity when nothing was)
 * @param trainRows rows in {@code train}
 * @param trainPartitionRows rows of each partition's block of {@code train}, in partition order
 * @param validationRows rows in {@code validation}
 * @param skippedRows bad rows left out under {@link BadRowPolicy#SKIP}
 * @param loadSeconds time to read, check and cache the data
 */
public record SparkDataset(JavaRDD<ExampleBlock> train, JavaRDD<ExampleBlock> validation,
    List<String> featureNames, List<String> classes, Standardizer standardizer, long trainRows,
    int[] trainPartitionRows, long validationRows, long skippedRows, double loadSeconds) {

  public SparkDataset {
    trainPartitionRows = trainPartitionRows.clone();
    featureNames = List.copyOf(featureNames);
    classes = List.copyOf(classes);
  }

  @Override
  public int[] trainPartitionRows() {
    return trainPartitionRows.clone();
  }

  public int features() {
    return featureNames.size();
  }

  /** Drops the cached blocks from executor memory and disk. */
  public void unpersist() {
    train.unpersist(false);
    validation.unpersist(false);
  }
}
