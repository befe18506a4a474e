package io.sparkps.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The server's rule read from a network's DL4J updater, or a refusal that says what to do. */
class ServerOptimizerTest {

  private static Dl4jNet net(IUpdater updater, double l2) {
    MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
        .updater(updater).l2(l2).list()
        .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
            .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
        .build());
    n.init();
    return Dl4jNet.of(n);
  }

  @Test
  void adamBecomesSparkPsAdamWithItsHyperParameters() {
    assertEquals(new Adam(new LearningRateSchedule.Constant(0.003), 0.8, 0.99, 1e-6),
        ServerOptimizer.of(net(new org.nd4j.linalg.learning.config.Adam(0.003, 0.8, 0.99, 1e-6),
            0)));
  }

  @Test
  void regularizationIsRefusedWithTheWayOut() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptimizer.of(net(new org.nd4j.linalg.learning.config.Sgd(0.1), 1e-4)));
    assertTrue(e.getMessage().contains("uses regularization")
        && e.getMessage().contains("localSteps(k)"), e.getMessage());
  }

  @Test
  void anUpdaterWithoutAServerEquivalentIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptimizer.of(net(new org.nd4j.linalg.learning.config.AdaMax(0.01), 0)));
    assertTrue(e.getMessage().contains("has no server-side equivalent"), e.getMessage());
  }
}
