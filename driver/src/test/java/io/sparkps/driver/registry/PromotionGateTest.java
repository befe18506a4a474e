package io.sparkps.driver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.model.Task;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's arithmetic: direction of each metric, the margin, the first version, NaN. */
class PromotionGateTest {

  @Test
  void defaultsToLogLossForClassifiersAndRmseForRegression() {
    assertEquals("logLoss", PromotionGate.of(Optional.empty(), 0, Task.BINARY).metric());
    assertEquals("logLoss", PromotionGate.of(Optional.empty(), 0, Task.MULTICLASS).metric());
    assertEquals("rmse", PromotionGate.of(Optional.empty(), 0, Task.REGRESSION).metric());
  }

  @Test
  void lowerIsBetterMetricsAllowTheMarginAndNoMore() {
    PromotionGate gate = new PromotionGate("logLoss", 0.05);
    assertTrue(gate.decide(Map.of("logLoss", 0.30), Optional.of(Map.of("logLoss", 0.40)))
        .promoted());
    assertTrue(gate.decide(Map.of("logLoss", 0.44), Optional.of(Map.of("logLoss", 0.40)))
        .promoted());
    GateDecision worse = gate.decide(Map.of("logLoss", 0.46), Optional.of(Map.of("logLoss", 0.40)));
    assertEquals(GateDecision.Outcome.REJECTED, worse.outcome());
    assertTrue(worse.reason().contains("candidate validation logLoss 0.460000 vs current "
        + "0.400000: worse by more than the margin 0.05"), worse.reason());
  }

  @Test
  void higherIsBetterMetricsCompareTheOtherWay() {
    PromotionGate gate = new PromotionGate("accuracy", 0.0);
    assertTrue(gate.decide(Map.of("accuracy", 0.95), Optional.of(Map.of("accuracy", 0.95)))
        .promoted());
    assertFalse(gate.decide(Map.of("accuracy", 0.94), Optional.of(Map.of("accuracy", 0.95)))
        .promoted());
    assertTrue(new PromotionGate("r2", 0.02).decide(Map.of("r2", 0.71),
        Optional.of(Map.of("r2", 0.72))).promoted());
  }

  @Test
  void firstVersionIsAlwaysPromotedAndNaNNeverIs() {
    GateDecision first = new PromotionGate("logLoss", 0).decide(Map.of("logLoss", 9.0),
        Optional.empty());
    assertEquals(GateDecision.Outcome.FIRST_VERSION, first.outcome());
    assertTrue(first.promoted());
    assertFalse(new PromotionGate("logLoss", 1).decide(Map.of("logLoss", Double.NaN),
        Optional.of(Map.of("logLoss", 0.3))).promoted());
  }

  @Test
  void refusesMetricsTheTaskDoesNotMeasureAndNegativeMargins() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PromotionGate.of(Optional.of("rmse"), 0, Task.BINARY));
    assertEquals("--metric rmse is not measured for a binary model; choose one of [logLoss, "
        + "accuracy, auc]", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> PromotionGate.of(Optional.of("auc"), 0, Task.MULTICLASS));
    e = assertThrows(IllegalArgumentException.class, () -> new PromotionGate("logLoss", -0.1));
    assertTrue(e.getMessage().startsWith("--margin must be a finite number of at least 0, got "
        + "-0.1"), e.getMessage());
  }
}
