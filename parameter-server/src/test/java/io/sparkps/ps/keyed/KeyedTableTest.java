package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.model.FactorizationMachine;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyedTableTest {

  @Test
  void rowsAreCreatedOnFirstPushAsTheDenseModelInitializesThem() {
    FactorizationMachine fm = FmSpec.of(1000, 4, new Loss.LogLoss()).build();
    float[] dense = new float[fm.parameterCount()];
    fm.initialize(dense, 42);
    KeyedTable t = new KeyedTable(5, new SparseAdaGrad(0.1, 0, 1e-10),
        RowInitializer.of(fm, 42), 1L << 30);
    long[] keys = {3, 17, 999};
    float[] out = new float[15];
    t.pull(keys, out);
    for (int k = 0; k < keys.length; k++) {
      for (int i = 0; i < 5; i++) {
        assertEquals(dense[(int) keys[k] * 5 + i], out[k * 5 + i], "key " + keys[k] + " slot " + i);
      }
    }
    // a pull reads absent keys as their initial rows without storing them; a push creates them
    assertEquals(0, t.size());
    float[] again = new float[15];
    t.pull(keys, again);
    assertArrayEquals(out, again);
    t.push(keys, new float[15]);
    assertEquals(3, t.size());
    assertTrue(t.contains(17));
    assertFalse(t.contains(18));
    t.pull(keys, again);
    assertArrayEquals(out, again, "a zero gradient leaves AdaGrad's rows where they started");
  }

  @Test
  void growsFromNothingAndKeepsEveryRow() {
    KeyedTable t = new KeyedTable(2, new SparseAdaGrad(0.5, 0, 1e-10), RowInitializer.zeros(2),
        1L << 30);
    long empty = t.bytes();
    SplittableRandom rng = new SplittableRandom(1);
    long[] keys = new long[20_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = rng.nextLong();
    }
    keys[0] = 0;
    keys[1] = Long.MIN_VALUE;
    keys[2] = -1;
    long[] sorted = keys.clone();
    java.util.Arrays.sort(sorted);
    float[] grad = new float[2 * sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      grad[2 * i] = 1f;
      grad[2 * i + 1] = -1f;
    }
    t.push(sorted, grad);
    assertEquals(keys.length, t.size());
    assertArrayEquals(sorted, t.sortedKeys());
    float[] out = new float[grad.length];
    t.pull(sorted, out);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(-0.5f, out[2 * i], 1e-6f);
      assertEquals(0.5f, out[2 * i + 1], 1e-6f);
    }
    // 20,000 keys: 2 pages of 16,384 records of 4 floats (65,536 floats, 256 KB), an index of
    // 32,768 cells of 12 bytes and the page list's 4 references
    assertEquals(16_384, t.pageRows());
    long expected = 2L * 16_384 * 4 * 4 + 32_768L * 12 + 4 * 8;
    assertEquals(expected, t.bytes());
    assertTrue(empty < 10_000, "an empty table holds no page, got " + empty + " bytes");
  }

  @Test
  void requestsMustCarryAscendingUniqueKeysOfTheTableWidth() {
    KeyedTable t = new KeyedTable(2, LazyAdam.of(0.01), RowInitializer.zeros(2), 1L << 20);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.push(new long[] {1, 5, 5}, new float[6]));
    assertEquals("key 5 at position 2 of a keyed push is not above the key before it (5); "
        + "requests carry ascending, unique keys: sort and deduplicate them, summing duplicate "
        + "gradients", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.pull(new long[] {1, 2}, new float[3]));
    assertEquals("a keyed pull of 2 keys of 2 floats needs 4 floats, got 3; send one row of the "
        + "table's width per key", e.getMessage());
    assertEquals(0, t.size(), "a refused request creates no row");
  }

  @Test
  void aPushPastTheByteBoundFailsClearlyBeforeUpdatingAnyRow() {
    // One page of 32,768 records of 2 floats (256 KB) and an index of 65,536 cells fit; a
    // second page does not.
    long bound = 32_768L * 2 * 4 + 65_536L * 12 + 100;
    KeyedTable t = new KeyedTable(1, new SparseAdaGrad(0.1, 0, 1e-10),
        (key, row, off) -> row[off] = 1f, bound);
    long[] keys = new long[32_800];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
    }
    float[] grad = new float[keys.length];
    java.util.Arrays.fill(grad, 1f);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.push(keys, grad));
    assertTrue(e.getMessage().startsWith("the keyed table would grow to "), e.getMessage());
    assertTrue(e.getMessage().contains("with key 32768, past its bound of " + bound + " bytes "
        + "(it holds 32768 keys of 2 floats); give the shard more memory, or spread the keys "
        + "over more shards or server processes"), e.getMessage());
    assertTrue(t.bytes() <= bound);
    float[] out = new float[1];
    t.pull(new long[] {0}, out);
    assertEquals(1f, out[0], "no row was updated by the refused push");
  }

  @Test
  void restoredRecordsReadBackAndDuplicatesAreRefused() {
    KeyedTable t = new KeyedTable(1, LazyAdam.of(0.1), RowInitializer.zeros(1), 1L << 20);
    float[] record = {0.5f, 0.1f, 0.01f, Float.intBitsToFloat(3)};
    t.putRecord(-9, record, 0);
    float[] back = new float[4];
    t.readRecord(-9, back, 0);
    assertArrayEquals(record, back);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.putRecord(-9, record, 0));
    assertTrue(e.getMessage().startsWith("key -9 already has a row in this table"));
  }
}
