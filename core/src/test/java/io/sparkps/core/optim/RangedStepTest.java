package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Steps over ranges that cover the parameters once give the floats of whole-array steps, bit for
 * bit, for every rule and over several updates (the state carries between them).
 */
class RangedStepTest {

  static final List<Optimizer> RULES = List.of(
      Sgd.of(0.1), new Momentum(new LearningRateSchedule.Constant(0.05), 0.9),
      new Nesterov(new LearningRateSchedule.Constant(0.05), 0.9),
      new AdaGrad(new LearningRateSchedule.Constant(0.1), AdaGrad.DEFAULT_EPSILON),
      new RmsProp(new LearningRateSchedule.Constant(0.01), RmsProp.DEFAULT_RHO,
          RmsProp.DEFAULT_EPSILON),
      Adam.of(0.01), AdamW.of(0.01),
      new Ftrl(new LearningRateSchedule.Constant(0.1), 1.0, 0.01, 0.1));

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Test
  void rangesCoveringTheArraysGiveTheWholeStep() {
    int n = 1000;
    int[] cuts = {0, 1, 7, 333, 334, 999, 1000};
    for (Optimizer rule : RULES) {
      SplittableRandom r = new SplittableRandom(11);
      float[] whole = random(r, n);
      float[] ranged = whole.clone();
      OptimizerState wholeState = rule.newState(n);
      OptimizerState rangedState = rule.newState(n);
      for (long t = 1; t <= 4; t++) {
        float[] g = random(r, n);
        rule.step(whole, g, wholeState, t);
        for (int c = 0; c + 1 < cuts.length; c++) {
          rule.step(ranged, g, rangedState, t, cuts[c], cuts[c + 1]);
        }
        assertArrayEquals(whole, ranged, rule + " at update " + t);
        for (int s = 0; s < rule.stateSlots(); s++) {
          assertArrayEquals(wholeState.slot(s), rangedState.slot(s), rule + " slot " + s);
        }
      }
    }
  }

  @Test
  void aRangeLeavesTheRestAlone() {
    for (Optimizer rule : RULES) {
      float[] p = random(new SplittableRandom(3), 10);
      float[] before = p.clone();
      rule.step(p, random(new SplittableRandom(4), 10), rule.newState(10), 1, 2, 5);
      for (int i = 0; i < 10; i++) {
        boolean inside = i >= 2 && i < 5;
        assertTrue(inside == (p[i] != before[i]), rule + " element " + i);
      }
    }
  }

  @Test
  void aRangeOutsideTheArraysIsRefusedWithTheFix() {
    Optimizer rule = Adam.of(0.01);
    float[] p = new float[10];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> rule.step(p, new float[10], rule.newState(10), 1, 4, 11));
    assertTrue(e.getMessage().contains("range [4, 11) is not within the 10 parameters"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> rule.step(p, new float[10], rule.newState(10), 1, 5, 4));
  }
}
