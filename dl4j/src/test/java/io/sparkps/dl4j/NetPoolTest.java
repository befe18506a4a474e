package io.sparkps.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Networks reused across an executor's epochs compute what new ones would; copies are exact. */
class NetPoolTest {

  @AfterEach
  void clear() {
    NetPool.clear();
  }

  /** A network with dropout: its gradients depend on ND4J's random generator. */
  private static MultiLayerConfiguration dropout(int hidden) {
    return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(hidden).activation(Activation.RELU)
            .dropOut(0.5).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
  }

  private static String json(MultiLayerConfiguration conf, int iterations, int epochs) {
    MultiLayerNetwork n = new MultiLayerNetwork(conf.clone());
    n.init();
    n.setIterationCount(iterations);
    n.setEpochCount(epochs);
    return n.getLayerWiseConfigurations().toJson();
  }

  private static float[] gradient(Dl4jNet net, float[] params, DataSet batch) {
    float[] g = new float[params.length];
    net.setParams(params);
    net.meanGradient(batch, g);
    return g;
  }

  @Test
  void aReusedNetworkDrawsTheSameDropoutAsANewOne() {
    DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 16, 4),
        Nd4j.eye(2).repeat(0, 8).castTo(DataType.FLOAT));
    String first = json(dropout(8), 0, 0);
    NetPool.Lease fresh = NetPool.take(first, 0, 0);
    assertFalse(fresh.reused());
    float[] params = fresh.net().params();
    float[] expected = gradient(fresh.net(), params, batch);
    NetPool.give(fresh);

    // the next epoch's job: DL4J's counters moved on, the network is the same
    String next = json(dropout(8), 7, 1);
    NetPool.Lease again = NetPool.take(next, 7, 1);
    assertTrue(again.reused());
    assertSame(fresh.net(), again.net());
    assertEquals(7, again.net().iterationCount());
    assertEquals(1, again.net().epochCount());
    assertArrayEquals(expected, gradient(again.net(), params, batch), "the same dropout masks");
    // without the generator's state put back, the masks (and the gradient) differ
    assertFalse(java.util.Arrays.equals(expected, gradient(again.net(), params, batch)));
    NetPool.give(again);

    NetPool.Lease other = NetPool.take(json(dropout(6), 0, 0), 0, 0);
    assertFalse(other.reused(), "another network is built anew");
    assertNotSame(fresh.net(), other.net());
  }

  @Test
  void copiesOfViewsAndWholeBuffersAgreeWithNd4j() {
    INDArray whole = Nd4j.rand(DataType.FLOAT, 1, 10);
    assertTrue(FloatCopy.whole(whole));
    INDArray view = Nd4j.rand(DataType.FLOAT, 5, 6).get(NDArrayIndex.all(),
        NDArrayIndex.interval(1, 4));
    INDArray fOrder = Nd4j.rand(DataType.FLOAT, 'f', 3, 4);
    INDArray doubles = Nd4j.rand(DataType.DOUBLE, 2, 3);
    for (INDArray a : new INDArray[] {whole, view, fOrder, doubles}) {
      float[] out = new float[(int) a.length() + 2];
      FloatCopy.read(a, out, 2);
      float[] expected = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
      assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 2, out.length));
      float[] values = new float[(int) a.length() + 1];
      for (int i = 0; i < values.length; i++) {
        values[i] = i * 0.25f;
      }
      FloatCopy.write(values, 1, a);
      assertArrayEquals(java.util.Arrays.copyOfRange(values, 1, values.length),
          a.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
    assertFalse(FloatCopy.whole(view) || FloatCopy.whole(fOrder) || FloatCopy.whole(doubles));
  }
}
