package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TableStreamTest {
  private static final int WIDTH = 9;
  private static final RowInitializer INIT =
      RowInitializer.of(FmSpec.of(1 << 20, 8, new Loss.LogLoss()).build(), 3);
  private static final int KEYS = 20_000;

  private static KeyedTable empty() {
    return new KeyedTable(WIDTH, LazyAdam.of(0.01), INIT, 1L << 30);
  }

  private static long[] keys(long seed) {
    return new SplittableRandom(seed).longs(KEYS).sorted().distinct().toArray();
  }

  private static float[] grads(int n, long seed) {
    float[] g = new float[n * WIDTH];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rng.nextGaussian();
    }
    return g;
  }

  private static KeyedTable trained() {
    KeyedTable t = empty();
    long[] a = keys(1);
    t.push(a, grads(a.length, 2));
    long[] b = Arrays.copyOf(a, a.length / 2);
    t.push(b, grads(b.length, 3));
    return t;
  }

  private static byte[] bytes(KeyedTable t) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TableStream.write(t, out);
    return out.toByteArray();
  }

  private static KeyedTable read(byte[] bytes) throws IOException {
    KeyedTable t = empty();
    TableStream.read(new ByteArrayInputStream(bytes), t, "shard-0.ckpt");
    return t;
  }

  @Test
  void aTableComesBackBitForBitAndTrainsOnIdentically() throws IOException {
    KeyedTable original = trained();
    byte[] bytes = bytes(original);
    // header 28 + rule + 4, then 3 blocks (8,738 records of 120 bytes at most) + CRCs, then 0
    assertEquals(3, (KEYS + TableStream.blockKeys(28) - 1) / TableStream.blockKeys(28));
    KeyedTable restored = read(bytes);
    assertArrayEquals(original.sortedKeys(), restored.sortedKeys());
    float[] a = new float[original.recordFloats()];
    float[] b = new float[original.recordFloats()];
    for (long key : original.sortedKeys()) {
      original.readRecord(key, a, 0);
      restored.readRecord(key, b, 0);
      assertEquals(Arrays.toString(a), Arrays.toString(b), "key " + key);
      assertEquals(LazyAdam.steps(a, 0, WIDTH), LazyAdam.steps(b, 0, WIDTH));
    }
    long[] next = keys(1);
    float[] g = grads(next.length, 4);
    original.push(next, g);
    restored.push(next, g);
    float[] x = new float[next.length * WIDTH];
    float[] y = new float[next.length * WIDTH];
    original.pull(next, x);
    restored.pull(next, y);
    assertArrayEquals(x, y);
  }

  @Test
  void aFlippedByteFailsTheBlocksCrc() throws IOException {
    byte[] bytes = bytes(trained());
    bytes[bytes.length / 2] ^= 0x10;
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertTrue(e.getMessage().startsWith("shard-0.ckpt is not a complete keyed table: the block "
        + "of keys 8738 to 17475 fails its CRC-32; restore an earlier checkpoint"),
        e.getMessage());
  }

  @Test
  void aTruncatedStreamSaysWhereItEnds() throws IOException {
    byte[] bytes = bytes(trained());
    IOException e = assertThrows(IOException.class,
        () -> read(Arrays.copyOf(bytes, bytes.length - 4)));
    assertEquals("shard-0.ckpt is not a complete keyed table: it ends after 20000 of its 20000 "
        + "keys; restore an earlier checkpoint", e.getMessage());
    e = assertThrows(IOException.class, () -> read(Arrays.copyOf(bytes, bytes.length / 2)));
    assertEquals("shard-0.ckpt is not a complete keyed table: it ends inside the block after "
        + "key 8738 of 20000; restore an earlier checkpoint", e.getMessage());
    e = assertThrows(IOException.class, () -> read(Arrays.copyOf(bytes, 10)));
    assertTrue(e.getMessage().contains("it ends inside its header"), e.getMessage());
  }

  @Test
  void aForgedBlockCountIsRefusedBeforeAllocating() throws IOException {
    byte[] bytes = bytes(trained());
    int firstBlock = headerLength(bytes);
    ByteBuffer.wrap(bytes).putInt(firstBlock, 1 << 30);
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertTrue(e.getMessage().contains("a block of 1073741824 records after 0 of 20000 keys (a "
        + "block holds 1 to 8738 records"), e.getMessage());
  }

  @Test
  void anotherWidthOrRuleIsRefusedWithTheFix() throws IOException {
    byte[] bytes = bytes(trained());
    KeyedTable narrow = new KeyedTable(5, LazyAdam.of(0.01), RowInitializer.zeros(5), 1L << 20);
    IOException e = assertThrows(IOException.class,
        () -> TableStream.read(new ByteArrayInputStream(bytes), narrow, "m.ckpt"));
    assertEquals("m.ckpt holds rows of 9 floats in records of 28; the table to restore has rows "
        + "of 5 in records of 16: restore with the job's own width and rule", e.getMessage());
    KeyedTable other = new KeyedTable(WIDTH, LazyAdam.of(0.02), INIT, 1L << 30);
    e = assertThrows(IOException.class,
        () -> TableStream.read(new ByteArrayInputStream(bytes), other, "m.ckpt"));
    assertTrue(e.getMessage().startsWith("m.ckpt was written by the rule LazyAdam[learningRate="
        + "0.01,"), e.getMessage());
    KeyedTable full = trained();
    assertThrows(IllegalArgumentException.class,
        () -> TableStream.read(new ByteArrayInputStream(bytes), full, "m.ckpt"));
  }

  @Test
  void keysOutOfOrderAreRefusedEvenWithAValidCrc() throws IOException {
    byte[] bytes = bytes(trained());
    int start = headerLength(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getInt(start);
    // swap the keys (little-endian) of the block's first two records (120 bytes each), then
    // re-sign the block
    ByteBuffer le = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long first = le.getLong(start + 4);
    le.putLong(start + 4, le.getLong(start + 4 + 120));
    le.putLong(start + 4 + 120, first);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, start, 4 + n * 120);
    b.putInt(start + 4 + n * 120, (int) crc.getValue());
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertTrue(e.getMessage().contains("key " + first + " (record 1) is not above the key "
        + "before it (" + le.getLong(start + 4) + ")"), e.getMessage());
  }

  private static int headerLength(byte[] bytes) {
    int ruleLength = ByteBuffer.wrap(bytes).getInt(16);
    return 20 + ruleLength + 8 + 4;
  }
}
