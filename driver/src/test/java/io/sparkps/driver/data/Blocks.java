package io.sparkps.driver.data;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/** Test helpers: the rows of blocks as {@code [features..., label]} arrays, in a fixed order. */
final class Blocks {
  private Blocks() {
  }

  static List<float[]> rows(Block block) {
    ExampleBlock b = block instanceof SparseBlock s ? s.toDense() : (ExampleBlock) block;
    List<float[]> rows = new ArrayList<>(b.rows());
    for (int i = 0; i < b.rows(); i++) {
      float[] r = Arrays.copyOfRange(b.features(), i * b.cols(), (i + 1) * b.cols() + 1);
      r[b.cols()] = b.labels()[i];
      rows.add(r);
    }
    return rows;
  }

  /** Collects small test data to the driver (never done by the loader itself). */
  static List<float[]> rows(JavaRDD<? extends Block> blocks) {
    List<float[]> rows = new ArrayList<>();
    blocks.collect().forEach(b -> rows.addAll(rows(b)));
    return rows;
  }

  static List<float[]> sorted(List<float[]> rows) {
    List<float[]> s = new ArrayList<>(rows);
    s.sort(Blocks::compare);
    return s;
  }

  static int compare(float[] a, float[] b) {
    return Arrays.compare(a, b);
  }

  static Comparator<float[]> order() {
    return Blocks::compare;
  }
}
