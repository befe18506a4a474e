package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.LearningRateSchedule.Constant;
import io.sparkps.core.optim.LearningRateSchedule.Cosine;
import io.sparkps.core.optim.LearningRateSchedule.StepDecay;
import io.sparkps.core.optim.LearningRateSchedule.WarmUp;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  private static final double TOL = 1e-12;

  @Test
  void constantIsConstant() {
    Constant constant = new Constant(0.05);
    assertEquals(0.05, constant.rate(1), TOL);
    assertEquals(0.05, constant.rate(1_000_000), TOL);
    assertEquals(0.05, constant.baseRate(), TOL);
  }

  @Test
  void stepDecayChangesAtBoundaries() {
    StepDecay decay = new StepDecay(0.1, 10, 0.5);
    // rate(t) = 0.1 * 0.5^floor((t - 1) / 10)
    assertEquals(0.1, decay.rate(1), TOL);
    assertEquals(0.1, decay.rate(10), TOL);
    assertEquals(0.05, decay.rate(11), TOL);
    assertEquals(0.05, decay.rate(20), TOL);
    assertEquals(0.025, decay.rate(21), TOL);
  }

  @Test
  void cosineAnnealsFromBaseToMin() {
    Cosine cosine = new Cosine(0.1, 11, 0.01);
    // progress = (t - 1) / 10; rate = 0.01 + 0.09 * (1 + cos(pi * progress)) / 2
    assertEquals(0.1, cosine.rate(1), TOL);
    // t = 3: cos(0.2 pi) = 0.809016994; 0.01 + 0.09 * 1.809016994 / 2 = 0.091405765
    assertEquals(0.0914057647, cosine.rate(3), 1e-9);
    // t = 6 (mid): cos(pi / 2) = 0; 0.01 + 0.09 / 2 = 0.055
    assertEquals(0.055, cosine.rate(6), TOL);
    assertEquals(0.01, cosine.rate(11), TOL);
    assertEquals(0.01, cosine.rate(500), TOL);
  }

  @Test
  void warmUpRampsLinearlyThenRunsTheInnerScheduleOffset() {
    WarmUp constant = new WarmUp(4, new Constant(0.1));
    // ramp 0.1 * t / 4
    assertEquals(0.025, constant.rate(1), TOL);
    assertEquals(0.05, constant.rate(2), TOL);
    assertEquals(0.1, constant.rate(4), TOL);
    assertEquals(0.1, constant.rate(5), TOL);
    assertEquals(0.1, constant.baseRate(), TOL);

    WarmUp decay = new WarmUp(2, new StepDecay(0.1, 3, 0.5));
    // ramp 0.1 * t / 2, then StepDecay at t - 2
    assertEquals(0.05, decay.rate(1), TOL);
    assertEquals(0.1, decay.rate(2), TOL);
    assertEquals(0.1, decay.rate(3), TOL); // inner update 1
    assertEquals(0.1, decay.rate(5), TOL); // inner update 3
    assertEquals(0.05, decay.rate(6), TOL); // inner update 4: first decay
  }

  @Test
  void stepZeroIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Cosine(0.1, 10, 0).rate(0));
    assertTrue(e.getMessage().contains("at least 1, got 0"), e.getMessage());
  }

  @Test
  void badArgumentsAreRejectedWithTheirValue() {
    assertMessage(() -> new Constant(0), "Constant baseRate", "got 0.0");
    assertMessage(() -> new Constant(Double.NaN), "Constant baseRate", "got NaN");
    assertMessage(() -> new StepDecay(0.1, 0, 0.5), "StepDecay every", "got 0");
    assertMessage(() -> new StepDecay(0.1, 5, 1.5), "StepDecay gamma", "got 1.5");
    assertMessage(() -> new StepDecay(0.1, 5, 0), "StepDecay gamma", "got 0.0");
    assertMessage(() -> new Cosine(0.1, 1, 0), "Cosine totalSteps", "got 1");
    assertMessage(() -> new Cosine(0.1, 10, 0.2), "Cosine minRate", "got 0.2");
    assertMessage(() -> new Cosine(0.1, 10, -0.01), "Cosine minRate", "got -0.01");
    assertMessage(() -> new WarmUp(0, new Constant(0.1)), "WarmUp warmupSteps", "got 0");
    assertMessage(() -> new WarmUp(3, null), "WarmUp after", "got null");
    assertMessage(() -> new WarmUp(3, new WarmUp(2, new Constant(0.1))),
        "must not itself be a WarmUp", "one WarmUp");
  }

  static void assertMessage(Runnable build, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment),
          "expected \"" + fragment + "\" in: " + e.getMessage());
    }
  }
}
