package io.sparkps.driver.ml;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import org.apache.spark.api.java.JavaRDD;

/** Feature means and deviations over cached blocks, in one Spark job. */
final class BlockMoments {
  private BlockMoments() {
  }

  static Standardizer standardizer(JavaRDD<ExampleBlock> blocks, int width) {
    double[] zero = new double[2 * width + 1];
    double[] m = blocks.aggregate(zero, (acc, b) -> {
      float[] x = b.features();
      for (int i = 0; i < b.rows(); i++) {
        for (int j = 0; j < width; j++) {
          double v = x[i * width + j];
          acc[j] += v;
          acc[width + j] += v * v;
        }
      }
      acc[2 * width] += b.rows();
      return acc;
    }, (a, c) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] += c[i];
      }
      return a;
    });
    return Standardizer.fromMoments((long) m[2 * width],
        java.util.Arrays.copyOfRange(m, 0, width),
        java.util.Arrays.copyOfRange(m, width, 2 * width));
  }
}
