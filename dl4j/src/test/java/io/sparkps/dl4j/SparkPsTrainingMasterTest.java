package io.sparkps.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.train.PartitionWorker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * SparkPsTrainingMaster against DL4J's own single-JVM fit: in sync mode with gradients (one
 * local step), a round's step is the step on the union of the two partitions' minibatches, so
 * the test replays exactly those unions (SparkPS's seeded per-partition order) in one JVM.
 */
class SparkPsTrainingMasterTest {
  private static final int PER_PARTITION = 12;
  private static final int BATCH = 4;
  private static final long SEED = 99;

  /** Each partition's rows in epoch {@code epoch}, then the union minibatches DL4J fits. */
  private static List<DataSet> unions(List<DataSet> examples, int epoch) {
    int[] o0 = PartitionWorker.order(PER_PARTITION, SEED, epoch, 0);
    int[] o1 = PartitionWorker.order(PER_PARTITION, SEED, epoch, 1);
    List<DataSet> out = new ArrayList<>();
    for (int from = 0; from < PER_PARTITION; from += BATCH) {
      List<DataSet> u = new ArrayList<>();
      for (int i = from; i < from + BATCH; i++) {
        u.add(examples.get(o0[i]));
      }
      for (int i = from; i < from + BATCH; i++) {
        u.add(examples.get(PER_PARTITION + o1[i]));
      }
      out.add(DataSet.merge(u));
    }
    return out;
  }

  private static JavaRDD<DataSet> rdd(List<DataSet> examples) {
    JavaSparkContext sc = Dl4jTestSession.context();
    return sc.parallelize(examples, 2); // partition p holds examples [12p, 12p + 12)
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    float[] e = expected.dup().data().asFloat();
    float[] a = actual.dup().data().asFloat();
    assertEquals(e.length, a.length, what);
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
    }
    assertTrue(worst < 2e-5, what + ": largest difference " + worst);
    double moved = 0;
    for (int i = 0; i < e.length; i++) {
      moved += Math.abs(e[i]);
    }
    assertTrue(moved > 0, what + " are all zero");
  }

  static MultiLayerConfiguration cnn() {
    return new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1))
        .weightInit(WeightInit.XAVIER).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(2, 2).stride(2, 2).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(6, 6, 1)).build();
  }

  static List<DataSet> images(int n, long seed) {
    Random rnd = new Random(seed);
    List<DataSet> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      float[] px = new float[36];
      for (int j = 0; j < 36; j++) {
        px[j] = (float) (rnd.nextGaussian() * 0.3 + (j % 3 == c ? 1 : 0));
      }
      INDArray y = Nd4j.zeros(1, 3);
      y.putScalar(0, c, 1);
      out.add(new DataSet(Nd4j.create(px, new long[] {1, 1, 6, 6}, 'c'), y));
    }
    return out;
  }

  @Test
  void convolutionalNetworkMatchesSingleJvmFitOnTheUnionMinibatches() {
    List<DataSet> data = images(2 * PER_PARTITION, 3);
    SparkPsTrainingMaster tm = new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
        .rngSeed(SEED).build();
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(Dl4jTestSession.context(), cnn(), tm);
    MultiLayerNetwork reference = new MultiLayerNetwork(cnn());
    reference.init();
    assertEquals(reference.params(), spark.getNetwork().params(), "the same initial parameters");
    JavaRDD<DataSet> rdd = rdd(data);
    try {
      for (int epoch = 1; epoch <= 2; epoch++) {
        spark.fit(rdd);
        unions(data, epoch).forEach(reference::fit);
      }
      assertClose(reference.params(), spark.getNetwork().params(), "parameters after 2 epochs");
      assertEquals(reference.getIterationCount(), spark.getNetwork().getIterationCount());
      assertEquals(6, tm.epochResults().stream().mapToInt(Dl4jTrainer.EpochResult::rounds).sum());
    } finally {
      tm.close();
    }
  }

  @Test
  void localStepsWithDl4jsUpdaterAverageParametersAndUpdaterState() {
    // one local step of SGD from the same start: the mean of the workers' deltas, weighted by
    // examples, is the step on the union; and Adam's state comes back averaged into the network
    List<DataSet> data = images(2 * PER_PARTITION, 5);
    SparkPsTrainingMaster tm = new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
        .averagingFrequency(1).rngSeed(SEED).build();
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(Dl4jTestSession.context(), cnn(), tm);
    MultiLayerNetwork reference = new MultiLayerNetwork(cnn());
    reference.init();
    try {
      spark.fit(rdd(data));
      unions(data, 1).forEach(reference::fit);
      assertClose(reference.params(), spark.getNetwork().params(), "parameters after 1 epoch");
    } finally {
      tm.close();
    }
  }

  static ComputationGraphConfiguration lstm(org.nd4j.linalg.learning.config.IUpdater updater) {
    return new NeuralNetConfiguration.Builder().seed(11).updater(updater)
        .weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in")
        .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(5).activation(Activation.TANH).build(),
            "in")
        .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5)
            .nOut(2).activation(Activation.SOFTMAX).build(), "lstm")
        .setOutputs("out").setInputTypes(InputType.recurrent(3, 5)).build();
  }

  static List<DataSet> sequences(int n, long seed) {
    Random rnd = new Random(seed);
    List<DataSet> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      INDArray x = Nd4j.zeros(1, 3, 5);
      INDArray y = Nd4j.zeros(1, 2, 5);
      for (int t = 0; t < 5; t++) {
        for (int f = 0; f < 3; f++) {
          x.putScalar(new int[] {0, f, t}, rnd.nextGaussian() * 0.5 + (c == 1 ? t * 0.2 : -0.2));
        }
        y.putScalar(new int[] {0, c, t}, 1);
      }
      out.add(new DataSet(x, y));
    }
    return out;
  }

  @Test
  void lstmGraphMatchesSingleJvmFit() {
    List<DataSet> data = sequences(2 * PER_PARTITION, 8);
    SparkPsTrainingMaster tm = new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
        .rngSeed(SEED).build();
    SparkComputationGraph spark = new SparkComputationGraph(Dl4jTestSession.context(),
        lstm(new Sgd(0.2)), tm);
    ComputationGraph reference = new ComputationGraph(lstm(new Sgd(0.2)));
    reference.init();
    try {
      spark.fit(rdd(data));
      unions(data, 1).forEach(reference::fit);
      assertClose(reference.params(), spark.getNetwork().params(), "parameters after 1 epoch");
    } finally {
      tm.close();
    }
  }

  @Test
  void asynchronousRoundsTrainToo() {
    List<DataSet> data = images(2 * PER_PARTITION, 17);
    SparkPsTrainingMaster tm = new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
        .sync("async").rngSeed(SEED).build();
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(Dl4jTestSession.context(), cnn(), tm);
    JavaRDD<DataSet> rdd = rdd(data);
    try {
      for (int epoch = 0; epoch < 8; epoch++) {
        spark.fit(rdd);
      }
      List<Dl4jTrainer.EpochResult> r = tm.epochResults();
      assertTrue(r.get(r.size() - 1).meanLoss() < 0.5 * r.get(0).meanLoss(),
          "training loss per epoch " + r.stream().map(Dl4jTrainer.EpochResult::meanLoss).toList());
      double accuracy = spark.getNetwork().evaluate(
          new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(DataSet.merge(data)))
          .accuracy();
      assertTrue(accuracy >= 0.9, "training accuracy " + accuracy);
    } finally {
      tm.close();
    }
  }

  @Test
  void theOneLineSwitchFromParameterAveraging() {
    List<DataSet> data = images(2 * PER_PARTITION, 13);
    JavaRDD<DataSet> rdd = rdd(data);
    DataSet all = DataSet.merge(data);
    double[] accuracy = new double[2];
    for (int which = 0; which < 2; which++) {
      TrainingMaster<?, ?> tm = which == 0
          ? new ParameterAveragingTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
              .averagingFrequency(2).rngSeed(SEED).build()
          : new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(BATCH)
              .averagingFrequency(2).rngSeed(SEED).build();
      SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(Dl4jTestSession.context(), cnn(), tm);
      for (int epoch = 0; epoch < 6; epoch++) {
        spark.fit(rdd);
      }
      Evaluation e = spark.getNetwork().evaluate(
          new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(all));
      accuracy[which] = e.accuracy();
      tm.deleteTempFiles(Dl4jTestSession.context());
    }
    assertTrue(accuracy[1] >= 0.9, "SparkPS: training accuracy " + Arrays.toString(accuracy));
    assertTrue(accuracy[1] >= accuracy[0] - 0.1, "accuracies " + Arrays.toString(accuracy));
  }
}
