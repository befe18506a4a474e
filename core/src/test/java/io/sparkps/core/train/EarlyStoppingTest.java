package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Stopping by convergence: the relative tolerance, patience, the best parameters kept. */
class EarlyStoppingTest {

  @Test
  void stopsAfterPatienceChecksWithoutARelativeImprovementOfTol() {
    EarlyStopping s = new EarlyStopping(2, 0.01);
    assertFalse(s.update(1, 1.00, new float[] {1}));
    assertFalse(s.update(1, 0.95, new float[] {2})); // 5% better: progress
    assertFalse(s.update(2, 0.945, new float[] {3})); // 0.5% better: below tol, 1 of 2
    assertTrue(s.update(2, 0.944, new float[] {4})); // measured against 0.95, still below tol
    // the lowest loss is kept even though its improvement did not count as progress
    assertEquals(0.944, s.bestLoss(), 1e-12);
    assertEquals(2, s.bestEpoch());
    assertArrayEquals(new float[] {4}, s.bestParamsOr(new float[] {0}));
  }

  @Test
  void aCheckThatImprovesByTolResetsThePatience() {
    EarlyStopping s = new EarlyStopping(2, 0.01);
    s.update(1, 1.0, new float[1]);
    assertFalse(s.update(1, 0.999, new float[1]));
    assertFalse(s.update(2, 0.98, new float[1])); // 2% below 1.0: progress, count reset
    assertEquals(0, s.sinceBest());
    assertFalse(s.update(2, 0.979, new float[1]));
    assertTrue(s.update(3, 0.985, new float[1]));
  }

  @Test
  void patienceZeroNeverStopsAndNaNIsNoCheck() {
    EarlyStopping s = new EarlyStopping(0, 0.5);
    for (int i = 1; i <= 5; i++) {
      assertFalse(s.update(i, 1.0, new float[1]));
    }
    EarlyStopping t = new EarlyStopping(1, 0);
    t.update(1, 1.0, new float[1]);
    assertFalse(t.update(2, Double.NaN, new float[1]));
    assertTrue(t.update(3, 1.0, new float[1]));
  }

  @Test
  void aRestoredStateStopsWhereTheUninterruptedRunWould() {
    EarlyStopping a = new EarlyStopping(2, 0.01);
    a.update(1, 1.0, new float[] {1});
    a.update(2, 0.995, new float[] {2});
    EarlyStopping b = new EarlyStopping(2, 0.01);
    b.restore(a.state());
    assertEquals(a.update(3, 0.994, new float[] {3}), b.update(3, 0.994, new float[] {3}));
    assertTrue(b.converged());
    // a checkpoint written before tol existed has no reference: the best loss stands in
    EarlyStopping c = new EarlyStopping(1, 0.01);
    c.restore(new EarlyStopping.State(1.0, 1, 0, new float[] {1}));
    assertTrue(c.update(2, 0.995, new float[] {2}));
  }
}
