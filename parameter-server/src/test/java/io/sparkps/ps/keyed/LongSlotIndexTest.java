package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongSlotIndexTest {

  @Test
  void agreesWithAHashMapAndStaysWithinThreeQuartersFull() {
    LongSlotIndex index = new LongSlotIndex();
    Map<Long, Integer> reference = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      // clustered keys (consecutive, strided, negative) as well as random ones
      long key = switch (i % 3) {
        case 0 -> i;
        case 1 -> -(long) i * 1024;
        default -> rng.nextLong();
      };
      if (!reference.containsKey(key)) {
        assertEquals(-1, index.find(key));
        reference.put(key, index.add(key));
      }
      assertTrue(4L * index.size() <= 3L * index.capacity());
    }
    assertEquals(reference.size(), index.size());
    reference.forEach((key, slot) -> assertEquals(slot, index.find(key), "key " + key));
    assertEquals(-1, index.find(Long.MAX_VALUE));
    int[] seen = new int[index.size()];
    index.forEach((key, slot) -> {
      assertEquals(reference.get(key), slot);
      seen[slot]++;
    });
    for (int s = 0; s < seen.length; s++) {
      assertEquals(1, seen[s], "slot " + s);
    }
    assertEquals(Integer.highestOneBit(index.capacity()), index.capacity());
  }

  @Test
  void aBatchedLookupGivesWhatOneByOneLookupsGive() {
    LongSlotIndex index = new LongSlotIndex();
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 3000; i++) {
      index.add(rng.nextLong());
    }
    long[] probe = new long[LongSlotIndex.BATCH * 3 + 5]; // batches and a partial one
    SplittableRandom again = new SplittableRandom(5);
    for (int i = 0; i < probe.length; i++) {
      probe[i] = i % 2 == 0 ? again.nextLong() : i; // present and absent keys alternate
    }
    int[] out = new int[probe.length];
    index.findAll(probe, probe.length, out);
    for (int i = 0; i < probe.length; i++) {
      assertEquals(index.find(probe[i]), out[i], "key " + probe[i]);
      assertEquals(i % 2 == 0, out[i] >= 0);
    }
  }
}
