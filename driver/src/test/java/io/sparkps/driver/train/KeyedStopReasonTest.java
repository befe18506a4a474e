package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.core.optim.Sgd;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The keyed run's stop reason names the loss it checked, as the dense run's does. */
class KeyedStopReasonTest {

  @Test
  void namesTheValidationLossItStoppedOn() {
    TrainingConfig config = new TrainingConfig(5, 32, Sgd.of(0.1), Regularizer.NONE, 0, 7, 0.2,
        1, 1);
    EarlyStopping stopping = new EarlyStopping(1);
    stopping.update(1, 0.5, new float[] {1f});
    stopping.update(2, 0.6, new float[] {2f});
    assertEquals("converged: the validation loss did not improve by a relative " + config.tol()
        + " (--tol) in 1 epoch after its best, 0.500000 in epoch 1, whose tables are kept",
        KeyedTrainer.stopReason(true, true, config, stopping));
    assertEquals("converged: the training loss did not improve by a relative " + config.tol()
        + " (--tol) in 1 epoch after its best, 0.500000 in epoch 1, and the last tables are kept "
        + "(without validation rows)", KeyedTrainer.stopReason(true, false, config, stopping));
  }
}
