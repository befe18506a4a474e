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

  private static ShardCheckpoint shard(int id, long version, float value) {
    float[] params = {value, value, value};
    return new ShardCheckpoint(id, 2, 6, 3 * id, "{\"type\":\"sgd\"}", 0, 0, 4, version,
        version, new long[4], params, new float[0][]);
  }

  @Test
  void aMultiShardRestoreTakesTheNewestVersionEveryShardHas() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    // A crash after shard 0 wrote version 4 and before shard 1 did.
    store.write(shard(0, 2, 2f));
    store.write(shard(1, 2, 2f));
    store.write(shard(0, 4, 4f));
    assertEquals(2, store.newestCommon(0).orElseThrow().version());
    assertEquals(2, store.newestCommon(1).orElseThrow().version());
    assertArrayEquals(new float[] {2f, 2f, 2f}, store.newestCommon(0).orElseThrow().params());
    store.write(shard(1, 4, 4f));
    assertEquals(4, store.newestCommon(0).orElseThrow().version());
  }

  @Test
  void higherVersionsOfAnotherRunNeverPruneTheNewRunsFiles() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    store.write(checkpoint(99, 9f));
    store.write(checkpoint(100, 9f));
    store.write(checkpoint(1, 1f)); // another run, starting over in the same directory
    store.write(checkpoint(2, 2f));
    Path shardDir = dir.resolve("shard-00001-of-00002");
    assertTrue(Files.exists(shardDir.resolve("v-000000000001.ckpt")));
    assertTrue(Files.exists(shardDir.resolve("v-000000000002.ckpt")));
    assertTrue(Files.exists(shardDir.resolve("v-000000000100.ckpt")), "not the writer's to prune");
  }

  /** A checkpoint whose parameter count claims {@code floats}, with a CRC that matches. */
  private byte[] claiming(int floats) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toUri());
    Path file = Path.of(store.write(checkpoint(5, 1f)).toUri());
    byte[] bytes = Files.readAllBytes(file);
    int json = "{\"type\":\"sgd\"}".length();
    int at = 4 + 4 + 4 + 4 + 8 + 4 + 4 + json + 4 + 4 + 4 + 8 + 8 + 4 + 4 * 8;
    java.nio.ByteBuffer.wrap(bytes).putInt(at, floats);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    java.nio.ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
    Files.write(file, bytes);
    return bytes;
  }

  @Test
  void aLengthThatDisagreesWithTheLayoutFailsBeforeAllocating() throws Exception {
    byte[] bytes = claiming(Integer.MAX_VALUE - 9);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.IOException.class, () -> CheckpointFormat.read(new java.io.DataInputStream(
            new java.io.ByteArrayInputStream(bytes)), bytes.length - 8));
    assertTrue(e.getMessage().contains("2147483638 parameters where the shard's range holds 3"),
        e.getMessage());
    // The store skips the file rather than allocating 8 GB for it.
    assertTrue(new CheckpointStore(dir.toUri()).latest(1, 2).isEmpty());
  }

  @Test
  void aLengthPastTheEndOfTheFileFailsBeforeAllocating() throws Exception {
    byte[] good = Files.readAllBytes(Path.of(new CheckpointStore(dir.toUri())
        .write(checkpoint(5, 1f)).toUri()));
    // A body that is cut short: the count of parameters is right but the bytes are missing.
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.IOException.class, () -> CheckpointFormat.read(new java.io.DataInputStream(
            new java.io.ByteArrayInputStream(good)), good.length - 8 - 16));
    assertTrue(e.getMessage().contains("ends inside its"), e.getMessage());
  }
}
