package io.sparkps.dl4j;

import io.sparkps.core.model.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Metrics of a trained network over cached blocks, computed where the blocks live (one Spark
 * job; each partition rebuilds the network from its configuration and the broadcast parameters)
 * and merged on the driver: accuracy and the mean loss for classification, mean squared error,
 * RMSE, MAE and R^2 for regression.
 */
public final class NetEvaluation {
  private NetEvaluation() {
  }

  /** Metrics of {@code net} over {@code blocks}; empty when they hold no rows. */
  public static Map<String, Double> of(JavaSparkContext sc, Dl4jNet net, OutputSpec out,
      JavaRDD<NetBlock> blocks) {
    Broadcast<float[]> params = sc.broadcast(net.params());
    String json = net.configJson();
    try {
      List<double[]> parts = blocks.map(b -> partial(json, params.value(), out, b)).collect();
      return merge(parts, out.task());
    } finally {
      params.destroy();
    }
  }

  /**
   * One block's sums: examples, summed loss, correct predictions, and for regression the sums of
   * squared error, absolute error, labels and squared labels.
   */
  static double[] partial(String json, float[] params, OutputSpec out, NetBlock b) {
    double[] s = new double[7];
    if (b.rows() == 0) {
      return s;
    }
    Dl4jNet net = Dl4jNet.fromJson(json);
    net.setParams(params);
    DataSet d = b.all();
    INDArray p = net.output(d.getFeatures());
    s[0] = d.numExamples();
    s[1] = score(net, d) * d.numExamples();
    float[] pred = p.dup().data().asFloat();
    float[] y = d.getLabels().dup().data().asFloat();
    int k = out.labelColumns();
    for (int i = 0; i < b.rows(); i++) {
      if (out.task() == Task.MULTICLASS) {
        s[2] += argmax(pred, i * k, k) == argmax(y, i * k, k) ? 1 : 0;
      } else if (out.task() == Task.BINARY) {
        s[2] += (pred[i] >= 0.5f) == (y[i] >= 0.5f) ? 1 : 0;
      } else {
        double e = pred[i] - y[i];
        s[3] += e * e;
        s[4] += Math.abs(e);
        s[5] += y[i];
        s[6] += (double) y[i] * y[i];
      }
    }
    return s;
  }


  private static double score(Dl4jNet net, DataSet d) {
    return net instanceof Dl4jNet.Layers l ? l.net().score(d) : ((Dl4jNet.Graph) net).net().score(d);
  }

  private static int argmax(float[] v, int from, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[from + j] > v[from + best]) {
        best = j;
      }
    }
    return best;
  }

  static Map<String, Double> merge(List<double[]> parts, Task task) {
    double[] t = new double[7];
    for (double[] p : parts) {
      for (int i = 0; i < t.length; i++) {
        t[i] += p[i];
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    if (t[0] == 0) {
      return m;
    }
    double n = t[0];
    m.put("examples", n);
    m.put("loss", t[1] / n);
    if (task == Task.REGRESSION) {
      double mse = t[3] / n;
      double variance = t[6] / n - (t[5] / n) * (t[5] / n);
      m.put("mse", mse);
      m.put("rmse", Math.sqrt(mse));
      m.put("mae", t[4] / n);
      m.put("r2", variance > 0 ? 1 - mse / variance : Double.NaN);
    } else {
      m.put("accuracy", t[2] / n);
    }
    return m;
  }
}
