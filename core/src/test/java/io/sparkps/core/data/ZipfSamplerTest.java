package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rejection-inversion Zipf draws against the exact probabilities. */
class ZipfSamplerTest {

  @Test
  void frequenciesOfTheTopRanksMatchTheExactProbabilities() {
    for (int n : new int[] {4, 1000, 1_000_000}) {
      ZipfSampler z = ZipfSampler.of(n, 1.1);
      SplittableRandom rng = new SplittableRandom(3);
      int draws = 50_000;
      int[] hits = new int[6];
      for (int i = 0; i < draws; i++) {
        int k = z.sample(rng);
        assertTrue(k >= 1 && k <= n, "rank " + k + " outside 1.." + n);
        if (k <= 5) {
          hits[k]++;
        }
      }
      for (int k = 1; k <= Math.min(n, 5); k++) {
        double p = z.probability(k);
        double sd = Math.sqrt(p * (1 - p) / draws);
        double seen = (double) hits[k] / draws;
        assertTrue(Math.abs(seen - p) < 4 * sd, "n " + n + " rank " + k + ": " + seen + " vs "
            + p);
      }
    }
  }

  @Test
  void theHeadIsHeavyAsZipfSays() {
    ZipfSampler z = ZipfSampler.of(1_000_000, 1.05);
    // rank 1 over rank 2 is 2^s; the first 100 of 10^6 values hold about half the mass
    assertEquals(Math.pow(2, 1.05), z.probability(1) / z.probability(2), 1e-12);
    double head = 0;
    for (int k = 1; k <= 100; k++) {
      head += z.probability(k);
    }
    assertTrue(head > 0.4 && head < 0.6, "head " + head);
  }

  @Test
  void oneValueAndExponentOneWork() {
    SplittableRandom rng = new SplittableRandom(1);
    assertEquals(1, ZipfSampler.of(1, 1.2).sample(rng));
    ZipfSampler harmonic = ZipfSampler.of(10, 1.0);
    int ones = 0;
    for (int i = 0; i < 20_000; i++) {
      ones += harmonic.sample(rng) == 1 ? 1 : 0;
    }
    double p = 1 / 2.9289682539682538; // 1 / H_10
    assertEquals(p, harmonic.probability(1), 1e-12);
    assertTrue(Math.abs(ones / 20_000.0 - p) < 4 * Math.sqrt(p * (1 - p) / 20_000));
  }

  @Test
  void badParametersAreRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ZipfSampler.of(0, 1.1));
    assertEquals("a Zipf distribution needs at least 1 value, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ZipfSampler.of(5, -1));
    assertEquals("the Zipf exponent must be a positive number, got -1.0", e.getMessage());
  }
}
