package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill the server mid-round, restart it from the checkpoint, restore it for the job, finish: same
 * as uninterrupted.
 */
@Timeout(30)
class CheckpointRestartTest {
  private static final int SIZE = 501;
  private static final int PARTITIONS = 3;
  private static final int ROUNDS = 8;
  private final Optimizer adam = Adam.of(0.01);

  @TempDir
  Path dir;

  private ServerConfig config(boolean restoreOnStart) {
    return ServerConfig.loopback(Fixtures.TOKEN).withShards(List.of(0, 1))
        .withCheckpoints(dir.toUri(), 0, restoreOnStart);
  }

  @Test
  void restartFromCheckpointRedoesTheRoundInFlightOnly() throws Exception {
    ParameterServer first = ParameterServer.start(config(true));
    ClientConfig cfg = Fixtures.client(Fixtures.addresses(first, 2));
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
      admin.init(JobSpec.sync(SIZE, adam, PARTITIONS));
      Fixtures.runWorkers(cfg, PARTITIONS, 0, 4);
      assertEquals(4, admin.checkpoint());
      Fixtures.runWorkers(cfg, PARTITIONS, 4, 5);
      try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        float[] p = c.pull(5);
        c.push(Fixtures.push(p, 5, 0));
        c.push(Fixtures.push(p, 5, 2));
      }
    }
    ParameterServerClient survivor = ParameterServerClient.connect(cfg);
    survivor.pull(5);
    first.kill();

    try (ParameterServer second = ParameterServer.start(config(true).withPort(first.port()))) {
      ClientConfig cfg2 = Fixtures.client(Fixtures.addresses(second, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg2)) {
        ParameterServerException unclaimed = assertThrows(ParameterServerException.class,
            () -> survivor.pullVersioned(4));
        assertEquals(ErrorCode.UNCLAIMED, unclaimed.code(), "restored shards serve no worker "
            + "before the admin's restore: " + unclaimed.getMessage());
        assertEquals(4, admin.restore());
        assertEquals(4, survivor.pullVersioned(4).version(), "the old client reconnects");
        survivor.close();
        assertEquals(4, admin.snapshot().version());
        Fixtures.runWorkers(cfg2, PARTITIONS, 4, ROUNDS);
        assertArrayEquals(Fixtures.reference(adam, new float[SIZE], PARTITIONS, ROUNDS),
            admin.snapshot().values());
      }
    }
  }

  @Test
  void adminRestoreLoadsTheLatestCheckpoint() throws Exception {
    float[] atTwo;
    try (ParameterServer first = ParameterServer.start(config(false))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(first, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(SIZE, adam, PARTITIONS));
        Fixtures.runWorkers(cfg, PARTITIONS, 0, 2);
        assertEquals(2, admin.checkpoint());
        atTwo = admin.snapshot().values();
        Fixtures.runWorkers(cfg, PARTITIONS, 2, 3);
      }
    }
    try (ParameterServer second = ParameterServer.start(config(false))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(second, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        long restored = admin.restore();
        assertEquals(3, restored, "stop() writes a last checkpoint after the round in flight");
        Fixtures.runWorkers(cfg, PARTITIONS, 3, ROUNDS);
        assertArrayEquals(Fixtures.reference(adam, new float[SIZE], PARTITIONS, ROUNDS),
            admin.snapshot().values());
      }
    }
    assertEquals(SIZE, atTwo.length);
  }

  @Test
  void aRestoreTakesTheNewestVersionEveryShardHas() throws Exception {
    ParameterServer first = ParameterServer.start(config(false));
    ClientConfig cfg = Fixtures.client(Fixtures.addresses(first, 2));
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
      admin.init(JobSpec.sync(SIZE, adam, PARTITIONS));
      Fixtures.runWorkers(cfg, PARTITIONS, 0, 2);
      assertEquals(2, admin.checkpoint());
      Fixtures.runWorkers(cfg, PARTITIONS, 2, 4);
      assertEquals(4, admin.checkpoint());
    } finally {
      first.kill();
    }
    // as if the crash came after shard 0 wrote version 4 and before shard 1 did
    java.nio.file.Files.delete(dir.resolve("shard-00001-of-00002/v-000000000004.ckpt"));
    try (ParameterServer second = ParameterServer.start(config(false))) {
      ClientConfig cfg2 = Fixtures.client(Fixtures.addresses(second, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg2)) {
        assertEquals(2, admin.restore(), "both shards continue from version 2");
        Fixtures.runWorkers(cfg2, PARTITIONS, 2, ROUNDS);
        assertArrayEquals(Fixtures.reference(adam, new float[SIZE], PARTITIONS, ROUNDS),
            admin.snapshot().values());
      }
    }
  }
}
