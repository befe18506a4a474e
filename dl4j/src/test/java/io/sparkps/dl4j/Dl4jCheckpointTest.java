package io.sparkps.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link SparkPsTrainingMaster} with a checkpoint directory: a run continued with
 * {@code resumeFrom} after two of four epochs ends with the parameters and DL4J updater state
 * (Adam's moments, averaged over the workers with local steps) of the uninterrupted run.
 */
class Dl4jCheckpointTest {
  private static final int EPOCHS = 4;

  static MultiLayerConfiguration cnnAdam() {
    return new NeuralNetConfiguration.Builder().seed(21).updater(new Adam(0.02))
        .weightInit(WeightInit.XAVIER).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(6, 6, 1)).build();
  }

  private static SparkPsTrainingMaster.Builder master() {
    return new SparkPsTrainingMaster.Builder(1).batchSizePerWorker(3).localSteps(2).rngSeed(5);
  }

  /** Fits {@code epochs} epochs with {@code tm} on a fresh network and returns the network. */
  private static MultiLayerNetwork fit(SparkPsTrainingMaster tm, JavaRDD<DataSet> rdd,
      int epochs) {
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(Dl4jTestSession.context(), cnnAdam(), tm);
    try {
      for (int e = 0; e < epochs; e++) {
        net.fit(rdd);
        assertEquals(net.getNetwork().getEpochCount(), tm.epochsDone(), "DL4J's epoch count");
      }
      return net.getNetwork();
    } finally {
      tm.close();
    }
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double worst = 0;
    double size = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i])
          / Math.max(1e-3, Math.abs(expected[i])));
      size += Math.abs(expected[i]);
    }
    assertTrue(worst < 1e-4, what + ": largest relative difference " + worst);
    assertTrue(size > 0, what + " are all zero");
  }

  @Test
  void resumedLocalStepsRunEndsWithTheUninterruptedParametersAndUpdaterState(@TempDir Path tmp)
      throws Exception {
    List<DataSet> data = SparkPsTrainingMasterTest.images(24, 13);
    JavaRDD<DataSet> rdd = Dl4jTestSession.context().parallelize(data, 2);
    MultiLayerNetwork whole = fit(master().checkpointDir(tmp.resolve("a").toUri()).build(), rdd,
        EPOCHS);

    fit(master().checkpointDir(tmp.resolve("b").toUri()).build(), rdd, 2);
    assertTrue(Files.exists(tmp.resolve("b/run/state.json")), "the run state is checkpointed");
    SparkPsTrainingMaster resumed = master().resumeFrom(tmp.resolve("b").toUri()).build();
    assertEquals(2, resumed.epochsDone());
    MultiLayerNetwork continued = fit(resumed, rdd, EPOCHS - 2);

    assertClose(whole.params().data().asFloat(), continued.params().data().asFloat(),
        "parameters after " + EPOCHS + " epochs");
    assertClose(whole.getUpdater().getStateViewArray().data().asFloat(),
        continued.getUpdater().getStateViewArray().data().asFloat(), "Adam's state");
    assertEquals(whole.getIterationCount(), continued.getIterationCount());
    assertEquals(whole.getEpochCount(), continued.getEpochCount());
    assertEquals(EPOCHS, resumed.epochsDone());

    IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () ->
        fit(master().checkpointDir(tmp.resolve("b").toUri()).build(), rdd, 1));
    assertTrue(taken.getMessage().contains("is not empty"), taken.getMessage());
  }
}
