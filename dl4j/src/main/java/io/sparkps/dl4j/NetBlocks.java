package io.sparkps.dl4j;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Task;
import org.apache.spark.api.java.JavaRDD;

/**
 * SparkPS's dense blocks (rows of feature columns and one label each, as the driver's loader
 * reads CSV, LibSVM and Parquet) as DL4J's: features {@code [rows, columns]} in column order (the
 * network's input type reshapes them, for example {@code InputType.convolutionalFlat(28, 28, 1)}
 * for a 784-column row), labels one-hot over the output layer's classes or as values.
 */
public final class NetBlocks {
  private NetBlocks() {
  }

  /** {@code blocks} converted partition by partition, cached. */
  public static JavaRDD<NetBlock> of(JavaRDD<Block> blocks, OutputSpec out) {
    return blocks.map(b -> of(b, out)).setName("sparkps-dl4j-blocks").cache();
  }

  /** One block converted. */
  public static NetBlock of(Block block, OutputSpec out) {
    if (!(block instanceof ExampleBlock dense)) {
      throw new IllegalArgumentException("deeplearning4j networks read dense rows; the data was "
          + "loaded as sparse rows (LibSVM or --categorical). Give CSV or Parquet columns, or "
          + "LibSVM with --features set to the column count");
    }
    int n = dense.rows();
    int c = dense.cols();
    float[] features = java.util.Arrays.copyOf(dense.features(), n * c);
    int k = out.labelColumns();
    float[] labels = new float[n * k];
    float[] y = dense.labels();
    for (int i = 0; i < n; i++) {
      if (out.task() == Task.MULTICLASS) {
        labels[i * k + (int) y[i]] = 1f;
      } else {
        labels[i] = y[i];
      }
    }
    float[] none = new float[0];
    return new NetBlock(features, labels, none, none,
        new long[][] {{n, c}, {n, k}, {}, {}});
  }
}
