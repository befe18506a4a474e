package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model part file: written atomically, read back row by row and by sorted lookups. */
class WeightsFileTest {
  private static final int KEYS = 200_000;

  @TempDir
  Path dir;

  /** A table of 200 000 keys (3 blocks of rows of 1 float), every key's weight known. */
  private static WeightsFile.Part part(SparseOptimizer rule) {
    TableSpec spec = new TableSpec(1, SparseRuleJson.write(rule), "", 3, 9, 1L << 30, 4);
    KeyedTable t = spec.newTable();
    long[] keys = new long[KEYS];
    float[] g = new float[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = 3L * i - KEYS; // negative keys too, ascending
      g[i] = i % 5 == 0 ? 0.1f : (i % 7) - 3;
    }
    t.push(keys, g);
    return new WeightsFile.Part(t, spec, 1, 2, 2, new float[] {0.5f, -0.25f});
  }

  @Test
  void aPartStreamsBackEveryRowAndLooksUpSortedBatchesAcrossBlocks() throws IOException {
    WeightsFile.Part p = part(new SparseAdaGrad(0.1, 0, 1e-10));
    URI uri = WeightsFile.partUri(dir.toUri(), 1, 2);
    assertEquals(KEYS, WeightsFile.writeTo(dir.toUri(), p));
    assertTrue(uri.getPath().endsWith("keyed/part-00001-of-00002.spkw"), uri.toString());
    try (Stream<Path> files = Files.list(dir.resolve("keyed"))) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString())
          .filter(f -> f.contains("_tmp")).toList(), "no temporary file is left");
    }
    try (WeightsFileReader r = WeightsFileReader.open(uri)) {
      assertEquals(1, r.width());
      assertEquals(KEYS, r.keyCount());
      assertEquals(new KeySharding(2, 9), r.sharding());
      assertArrayEquals(new float[] {0.5f, -0.25f}, r.tail());
      assertEquals(2, r.tailStart());
      List<Long> seen = new ArrayList<>();
      float[] one = new float[1];
      r.forEach((key, row, off) -> {
        if (seen.size() % 9973 == 0) {
          p.table().pull(new long[] {key}, one);
          assertEquals(one[0], row[off]);
        }
        seen.add(key);
      });
      assertEquals(KEYS, seen.size());
      assertEquals(-KEYS, seen.get(0));
      long[] batch = {-KEYS - 1, -KEYS, 5, 3L * 100_000 - KEYS, 3L * (KEYS - 1) - KEYS, 1L << 60};
      float[] rows = new float[batch.length];
      boolean[] found = new boolean[batch.length];
      assertEquals(3, r.lookup(batch, batch.length, rows, found));
      assertArrayEquals(new boolean[] {false, true, false, true, true, false}, found);
      float[] expected = new float[3];
      p.table().pull(new long[] {batch[1], batch[3], batch[4]}, expected);
      assertArrayEquals(expected, new float[] {rows[1], rows[3], rows[4]});
    }
  }

  @Test
  void ftrlRowsOfZerosAreNotWritten() throws IOException {
    WeightsFile.Part p = part(new Ftrl(0.1, 1, 1.5, 0));
    long written = WeightsFile.writeTo(dir.toUri(), p);
    // |g| <= L1 for g in {0.1, -1, 0, 1}: only g = +-2 and 3 (i % 7 in {0, 1, 5, 6}) are stored
    long expected = 0;
    for (int i = 0; i < KEYS; i++) {
      int g = i % 7 - 3;
      expected += i % 5 != 0 && Math.abs(g) >= 2 ? 1 : 0;
    }
    assertEquals(expected, written);
    try (WeightsFileReader r = WeightsFileReader.open(WeightsFile.partUri(dir.toUri(), 1, 2))) {
      r.forEach((key, row, off) -> assertTrue(row[off] != 0f));
    }
  }

  @Test
  void aDamagedBlockFailsItsCheckInsteadOfServingRows() throws IOException {
    WeightsFile.writeTo(dir.toUri(), part(new SparseAdaGrad(0.1, 0, 1e-10)));
    Path file = Path.of(WeightsFile.partUri(dir.toUri(), 1, 2));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x40);
    }
    // as on a file system without checksums of its own (Hadoop's local one keeps a .crc file)
    Files.delete(file.resolveSibling(".part-00001-of-00002.spkw.crc"));
    try (WeightsFileReader r = WeightsFileReader.open(file.toUri())) {
      IOException e = assertThrows(IOException.class, () -> r.forEach((k, row, off) -> { }));
      assertTrue(e.getMessage().contains("fails its CRC-32"), e.getMessage());
    }
    Files.write(file, new byte[100]);
    IOException e = assertThrows(IOException.class, () -> WeightsFileReader.open(file.toUri()));
    assertTrue(e.getMessage().contains("is not a complete keyed weights part"), e.getMessage());
  }
}
