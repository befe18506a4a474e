package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Task;
import org.apache.spark.api.java.JavaRDD;

/**
 * Where a fresh run starts: the model's seeded initialization, and for a regression model the
 * output bias at the training labels' mean. Targets are not standardized, so without it a model
 * of targets around 22 (Boston house prices) spends its first thousands of steps moving the bias
 * at the learning rate's pace; with it, the default rate trains such a model from the first
 * epoch.
 */
public final class StartingPoint {
  private StartingPoint() {
  }

  /** The seeded initialization of {@code model}, its output bias set as described above. */
  public static float[] of(Model model, Task task, long seed, JavaRDD<? extends Block> train) {
    float[] start = new float[model.parameterCount()];
    model.initialize(start, seed);
    if (task == Task.REGRESSION) {
      double[] sum = train.map(b -> {
        double s = 0;
        for (int i = 0; i < b.rows(); i++) {
          s += b.labels()[i];
        }
        return new double[] {s, b.rows()};
      }).fold(new double[2], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      if (sum[1] > 0) {
        model.setOutputBias(start, (float) (sum[0] / sum[1]));
      }
    }
    return start;
  }
}
