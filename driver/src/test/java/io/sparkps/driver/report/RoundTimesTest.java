package io.sparkps.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.driver.train.RoundTimesAccess;
import io.sparkps.ps.api.RoundStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What metrics.json keeps of the rounds, and the percentiles the report prints. */
class RoundTimesTest {

  private static RoundStats round(long r, long completedAt, double wait) {
    return new RoundStats(r, 2, 0, 64, 0.5, wait, 0.1, 0, completedAt);
  }

  @Test
  void roundTimesLeaveOutEachStagesFirstRound() {
    List<RoundStats> rounds = List.of(round(0, 1000, 1), round(1, 1004, 2), round(2, 1010, 3),
        round(3, 1500, 4), round(4, 1503, 5));
    var t = RoundTimesAccess.of(rounds, Set.of(0L, 3L), List.of(100L, 50L));
    assertEquals(List.of(4.0, 6.0, 3.0), t.roundMillis(), "round 3 started a stage");
    assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0), t.waitForSlowestMillis());
    assertEquals(1, t.stride());
    assertEquals(List.of(100L, 50L), t.epochBytes());
  }

  @Test
  void longRunsAreSampled() {
    List<RoundStats> rounds = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      rounds.add(round(i, 10L * i, i % 7));
    }
    var t = RoundTimesAccess.of(rounds, Set.of(0L), List.of());
    assertEquals(3, t.stride());
    assertEquals(16_667, t.waitForSlowestMillis().size());
    assertEquals(10.0, t.roundMillis().get(0), "each kept round's own time, not the stride's");
  }

  @Test
  void percentilesAreNearestRank() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i + 1;
    }
    assertEquals(50, ReportPage.quantile(v, 0.5));
    assertEquals(90, ReportPage.quantile(v, 0.9));
    assertEquals(99, ReportPage.quantile(v, 0.99));
    assertEquals(List.of("w", "3", "2.00", "3.00", "3.00", "3.00"),
        ReportPage.percentiles("w", List.of(3.0, 1.0, 2.0)));
  }
}
