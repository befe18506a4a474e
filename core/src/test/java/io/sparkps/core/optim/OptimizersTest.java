package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.LearningRateSchedule.Constant;
import org.junit.jupiter.api.Test;

class OptimizersTest {

  private static final LearningRateSchedule LR = new Constant(0.01);

  @Test
  void namesGiveRulesWithPyTorchDefaults() {
    assertEquals(new Sgd(LR), Optimizers.parse("sgd", LR));
    assertEquals(new Momentum(LR, 0.9), Optimizers.parse("momentum", LR));
    assertEquals(new Nesterov(LR, 0.9), Optimizers.parse("nesterov", LR));
    assertEquals(new AdaGrad(LR, 1e-10), Optimizers.parse("adagrad", LR));
    assertEquals(new RmsProp(LR, 0.99, 1e-8), Optimizers.parse("rmsprop", LR));
    assertEquals(new Adam(LR, 0.9, 0.999, 1e-8), Optimizers.parse("adam", LR));
    assertEquals(new AdamW(LR, 0.9, 0.999, 1e-8, 0.01), Optimizers.parse("adamw", LR));
  }

  @Test
  void namesIgnoreCaseAndBlanks() {
    assertEquals(Adam.of(0.01), Optimizers.parse("Adam", LR));
    assertEquals(AdamW.of(0.01), Optimizers.parse(" ADAMW ", 0.01));
    assertEquals(RmsProp.of(0.01), Optimizers.parse("RMSProp", LR));
  }

  @Test
  void everyNameParses() {
    for (String name : Optimizers.NAMES) {
      assertEquals(name, Optimizers.parse(name, LR).getClass().getSimpleName()
          .toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.parse("adadelta", LR));
    assertTrue(e.getMessage().contains("\"adadelta\""), e.getMessage());
    assertTrue(e.getMessage().contains(
        "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, ftrl"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizers.parse(null, LR));
  }
}
