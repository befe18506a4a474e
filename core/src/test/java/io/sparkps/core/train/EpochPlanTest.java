package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochPlanTest {

  @Test
  void roundsGiveAboutBatchSizeRowsPerPartitionAndStep() {
    EpochPlan p = EpochPlan.of(new int[] {1000, 1010}, 100, 1);
    assertEquals(11, p.rounds(), "2010 rows / (2 partitions x 100) rounded up");
    EpochPlan k = EpochPlan.of(new int[] {1000, 1010}, 100, 4);
    assertEquals(3, k.rounds());
    assertEquals(12, k.stepsPerEpoch());
  }

  @Test
  void everyRowBelongsToExactlyOneMinibatch() {
    EpochPlan p = EpochPlan.of(new int[] {37, 5, 0, 64}, 8, 3);
    for (int part = 0; part < p.partitions(); part++) {
      int expectedFrom = 0;
      for (int s = 0; s < p.stepsPerEpoch(); s++) {
        assertEquals(expectedFrom, p.from(part, s));
        assertTrue(p.to(part, s) >= p.from(part, s));
        assertTrue(p.to(part, s) - p.from(part, s) <= 64 / p.stepsPerEpoch() + 1, "even sizes");
        expectedFrom = p.to(part, s);
      }
      assertEquals(p.partitionRows()[part], expectedFrom);
    }
  }

  @Test
  void emptyDataCannotBePlanned() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EpochPlan.of(new int[] {0, 0}, 8, 1));
    assertEquals("cannot plan an epoch over an empty dataset", e.getMessage());
  }
}
