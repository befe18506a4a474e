package io.sparkps.dl4j;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A deeplearning4j network seen as SparkPS sees every model: a flat vector of parameters (DL4J's
 * own {@code params()} view, in its order) and, for local steps, the flat state of DL4J's
 * updater. The two kinds of network DL4J trains, {@link MultiLayerNetwork} and
 * {@link ComputationGraph}, differ only in how they are fed; this type hides that.
 *
 * <p>Lifecycle: {@link #fromJson} (a worker, from the configuration shipped with the epoch) or
 * {@link #of} (the driver, around the user's network); per round {@link #setParams}, then either
 * {@link #meanGradient} (one local step: the server applies the optimizer) or, for each local
 * step, {@link #fit} (DL4J's own updater), and read back {@link #params} and
 * {@link #updaterState}.
 */
public sealed interface Dl4jNet permits Dl4jNet.Layers, Dl4jNet.Graph {

  /** The network built from a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} in JSON, initialized. */
  static Dl4jNet fromJson(String json) {
    boolean graph = json.contains("\"vertices\"") && json.contains("\"networkInputs\"");
    if (graph) {
      ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
      g.init();
      return new Graph(g);
    }
    MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
    n.init();
    return new Layers(n);
  }

  /** A view of {@code network}, a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
  static Dl4jNet of(org.deeplearning4j.nn.api.Model network) {
    if (network instanceof MultiLayerNetwork n) {
      return new Layers(n);
    }
    if (network instanceof ComputationGraph g) {
      return new Graph(g);
    }
    throw new IllegalArgumentException("SparkPS trains MultiLayerNetwork and ComputationGraph "
        + "networks, not " + network.getClass().getName());
  }

  /** The network's configuration in DL4J's JSON. */
  String configJson();

  /** The network itself. */
  org.deeplearning4j.nn.api.Model network();

  /** Iterations DL4J has counted (its updater's step number and schedules use it). */
  int iterationCount();

  void setIterationCount(int count);

  int epochCount();

  void setEpochCount(int count);

  /** The updater, created if it does not exist yet. */
  Updater updater();

  /** Trains one step on {@code batch} with DL4J's own updater; returns the minibatch's score. */
  double fit(DataSet batch);

  /**
   * Writes the gradient of the mean loss over {@code batch} (no regularization, no updater) to
   * {@code out}, one float per parameter, and returns the mean loss. DL4J's backward pass sums
   * over the examples and its updater divides by the minibatch size; this divides here.
   */
  double meanGradient(DataSet batch, float[] out);

  /** The network's output for {@code features} (inference mode). */
  INDArray output(INDArray features);

  /** The network's layers (a graph's layer vertices). */
  org.deeplearning4j.nn.api.Layer[] layers();

  /** Number of parameters. */
  default int parameterCount() {
    return (int) network().numParams();
  }

  /** The parameters, copied. */
  default float[] params() {
    return FloatCopy.read(network().params());
  }

  /** Sets the parameters in place (the views every layer reads stay valid). */
  default void setParams(float[] values) {
    checkLength("parameters", values.length, parameterCount());
    FloatCopy.write(values, 0, network().params());
  }

  /** The updater's state (empty for plain SGD), copied. */
  default float[] updaterState() {
    INDArray s = updater().getStateViewArray();
    return s == null ? new float[0] : FloatCopy.read(s);
  }

  /** Sets the updater's state in place; {@code values} has {@link #updaterState()}'s length. */
  default void setUpdaterState(float[] values) {
    INDArray s = updater().getStateViewArray();
    if (s == null || values.length == 0) {
      return;
    }
    checkLength("updater state", values.length, s.length());
    FloatCopy.write(values, 0, s);
  }

  /**
   * Loads the server's vector in place: the parameters from its head and, when it is longer
   * (local steps), the updater's state from the rest; nothing is copied out of it first.
   */
  default void load(float[] vector) {
    INDArray p = network().params();
    FloatCopy.write(vector, 0, p);
    if (vector.length > p.length()) {
      INDArray s = updater().getStateViewArray();
      checkLength("parameters and updater state", vector.length,
          p.length() + (s == null ? 0 : s.length()));
      FloatCopy.write(vector, (int) p.length(), s);
    }
  }

  /**
   * Writes the parameters and then the updater's state into {@code out} (of their total length),
   * the layout of the server's vector with local steps.
   */
  default void save(float[] out) {
    INDArray p = network().params();
    INDArray s = updater().getStateViewArray();
    long n = p.length() + (s == null ? 0 : s.length());
    checkLength("parameters and updater state", out.length, n);
    FloatCopy.read(p, out, 0);
    if (s != null) {
      FloatCopy.read(s, out, (int) p.length());
    }
  }

  private static void checkLength(String what, long given, long expected) {
    if (given != expected) {
      throw new IllegalStateException("the network has " + expected + " values of " + what
          + " but " + given + " were given; train with the network and --local-steps the "
          + "values were made for");
    }
  }

  /** A {@link MultiLayerNetwork}. */
  record Layers(MultiLayerNetwork net) implements Dl4jNet {
    @Override
    public String configJson() {
      return net.getLayerWiseConfigurations().toJson();
    }

    @Override
    public org.deeplearning4j.nn.api.Model network() {
      return net;
    }

    @Override
    public int iterationCount() {
      return net.getIterationCount();
    }

    @Override
    public void setIterationCount(int count) {
      net.setIterationCount(count);
    }

    @Override
    public int epochCount() {
      return net.getEpochCount();
    }

    @Override
    public void setEpochCount(int count) {
      net.setEpochCount(count);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer[] layers() {
      return net.getLayers();
    }

    @Override
    public INDArray output(INDArray features) {
      return net.output(features);
    }

    @Override
    public Updater updater() {
      return net.getUpdater(true);
    }

    @Override
    public double fit(DataSet batch) {
      net.fit(batch);
      return net.score();
    }

    @Override
    public double meanGradient(DataSet batch, float[] out) {
      net.setInput(batch.getFeatures());
      net.setLabels(batch.getLabels());
      net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
      net.computeGradientAndScore();
      copyMean(net.getFlattenedGradients(), batch.numExamples(), out);
      double score = net.score();
      net.clear();
      return score;
    }
  }

  /** A {@link ComputationGraph} with one input and one output. */
  record Graph(ComputationGraph net) implements Dl4jNet {
    @Override
    public String configJson() {
      return net.getConfiguration().toJson();
    }

    @Override
    public org.deeplearning4j.nn.api.Model network() {
      return net;
    }

    @Override
    public int iterationCount() {
      return net.getConfiguration().getIterationCount();
    }

    @Override
    public void setIterationCount(int count) {
      net.getConfiguration().setIterationCount(count);
    }

    @Override
    public int epochCount() {
      return net.getConfiguration().getEpochCount();
    }

    @Override
    public void setEpochCount(int count) {
      net.getConfiguration().setEpochCount(count);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer[] layers() {
      return net.getLayers();
    }

    @Override
    public INDArray output(INDArray features) {
      return net.outputSingle(features);
    }

    @Override
    public Updater updater() {
      return net.getUpdater(true);
    }

    @Override
    public double fit(DataSet batch) {
      net.fit(batch);
      return net.score();
    }

    @Override
    public double meanGradient(DataSet batch, float[] out) {
      net.setInputs(batch.getFeatures());
      net.setLabels(batch.getLabels());
      net.setLayerMaskArrays(
          batch.getFeaturesMaskArray() == null ? null
              : new INDArray[] {batch.getFeaturesMaskArray()},
          batch.getLabelsMaskArray() == null ? null
              : new INDArray[] {batch.getLabelsMaskArray()});
      net.computeGradientAndScore();
      copyMean(net.getFlattenedGradients(), batch.numExamples(), out);
      double score = net.score();
      net.clearLayerMaskArrays();
      return score;
    }
  }

  /** {@code out = sum / examples}, copied once (no intermediate arrays). */
  private static void copyMean(INDArray sum, int examples, float[] out) {
    if (sum.length() != out.length) {
      throw new IllegalStateException("the network's gradient has " + sum.length()
          + " values for " + out.length + " parameters");
    }
    FloatCopy.read(sum, out, 0);
    float scale = 1f / examples;
    for (int i = 0; i < out.length; i++) {
      out[i] *= scale;
    }
  }
}
