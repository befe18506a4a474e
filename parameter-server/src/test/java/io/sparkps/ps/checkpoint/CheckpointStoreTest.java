package io.sparkps.ps.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class CheckpointStoreTest {
  @TempDir
  Path dir;

  private static ShardCheckpoint checkpoint(long version, float value) {
    float[] params = {value, value + 1, value + 2};
    return new ShardCheckpoint(1, 2, 6, 3, "{\"type\":\"sgd\"}", 0, 0, 4, version, version,
        new long[4], params, new float[][] {{value * 2, 0, 0}});
  }

  @Test
  void roundTripsEveryField() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    store.write(checkpoint(3, 1.5f));
    ShardCheckpoint c = store.latest(1, 2).orElseThrow();
    assertEquals(3, c.version());
    assertEquals("{\"type\":\"sgd\"}", c.optimizerJson());
    assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, c.params());
    assertArrayEquals(new float[] {3f, 0, 0}, c.slots()[0]);
    assertEquals(4, c.partitions());
  }

  @Test
  void aCrashMidCheckpointLeavesThePreviousIntact() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    store.write(checkpoint(2, 1f));
    Path shardDir = dir.resolve("shard-00001-of-00002");
    // A crash while writing leaves a temporary file behind.
    Files.write(shardDir.resolve("_tmp-v-000000000003.ckpt-dead"), new byte[] {1, 2, 3});
    // A damaged file under a final name (torn storage) fails its CRC and is skipped.
    Path good = shardDir.resolve("v-000000000002.ckpt");
    byte[] bytes = Files.readAllBytes(good);
    Files.write(shardDir.resolve("v-000000000004.ckpt"),
        java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ShardCheckpoint c = store.latest(1, 2).orElseThrow();
    assertEquals(2, c.version());
    assertArrayEquals(new float[] {1f, 2f, 3f}, c.params());
  }

  @Test
  void keepsTheTwoNewest() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    for (int v = 1; v <= 4; v++) {
      store.write(checkpoint(v, v));
    }
    try (var files = Files.list(dir.resolve("shard-00001-of-00002"))) {
      assertEquals(2, files.filter(p -> p.getFileName().toString().matches("v-\\d+\\.ckpt"))
          .count());
    }
    assertEquals(4, store.latest(1, 2).orElseThrow().version());
    assertTrue(store.latest(0, 2).isEmpty());
  }
}
