package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.KeyedWorkers;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.keyed.LazyAdam;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed tables through the checkpoint store: a server killed mid-round and restarted from its
 * checkpoints refuses the workers until the admin restores it, then ends with the table and tail
 * an uninterrupted run gives.
 */
@Timeout(60)
class KeyedCheckpointTest {
  private static final int PARTITIONS = 3;
  private static final int ROUNDS = 7;
  private static final FmSpec FM = FmSpec.of(1 << 20, 4, new Loss.LogLoss());
  private static final KeyedJobSpec SPEC = new KeyedJobSpec(5, LazyAdam.of(0.05),
      Optional.of(FM), 11, 5, 1 << 24, new float[] {0.1f}, Fixtures.sgd(0.1), PARTITIONS,
      new ConsistencyMode.Sync());

  @TempDir
  Path dir;

  private ServerConfig config() {
    return ServerConfig.loopback(Fixtures.TOKEN).withShards(List.of(0, 1, 2))
        .withCheckpoints(dir.toUri(), 0, true);
  }

  /** Every key's row and the tail after {@code ROUNDS} rounds. */
  private static float[] state(ClientConfig cfg) {
    long[] keys = KeyedWorkers.allKeys(PARTITIONS, ROUNDS);
    float[] out = new float[keys.length * SPEC.width() + 1];
    float[] tail = new float[1];
    try (KeyedClient c = KeyedClient.connect(cfg, SPEC)) {
      assertEquals(ROUNDS, c.pull(ROUNDS, keys, keys.length, out, tail));
    }
    out[out.length - 1] = tail[0];
    return out;
  }

  private static float[] uninterrupted() throws Exception {
    try (ParameterServer server = Fixtures.server(3)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 3));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(SPEC);
        KeyedWorkers.run(cfg, SPEC, PARTITIONS, 0, ROUNDS);
        return state(cfg);
      }
    }
  }

  @Test
  void aServerKilledMidRoundRestoresItsTablesAndTheRunEndsAsUninterrupted() throws Exception {
    ParameterServer first = ParameterServer.start(config());
    ClientConfig cfg = Fixtures.client(Fixtures.addresses(first, 3));
    try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
      admin.initKeyed(SPEC);
      KeyedWorkers.run(cfg, SPEC, PARTITIONS, 0, 3);
      assertEquals(3, admin.checkpoint());
      KeyedWorkers.run(cfg, SPEC, PARTITIONS, 3, 4);
      try (KeyedClient c = KeyedClient.connect(cfg, SPEC)) {
        c.push(KeyedWorkers.pulled(c, 4, 0)); // round 4 in flight: partition 0 only
      }
    }
    first.kill();

    try (ParameterServer second = ParameterServer.start(config().withPort(first.port()))) {
      ClientConfig cfg2 = Fixtures.client(Fixtures.addresses(second, 3));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg2)) {
        assertEquals(List.of(3L, 3L, 3L), admin.describe().stream()
            .map(s -> s.version()).toList());
        refusedUntilRestored(cfg2, admin);
        KeyedWorkers.run(cfg2, SPEC, PARTITIONS, 3, ROUNDS);
        assertArrayEquals(uninterrupted(), state(cfg2));
      }
    }
  }

  /**
   * Shards restored when their process started belong to no run: a worker's retry of the round
   * in flight at the kill (pull and push) and an init without replace are refused with {@code
   * UNCLAIMED} and leave them unclaimed; the admin's restore claims them for its job.
   */
  private static void refusedUntilRestored(ClientConfig cfg, ParameterServerAdmin admin) {
    try (KeyedClient c = KeyedClient.connect(cfg.withRetry(RetryPolicy.none()), SPEC)) {
      ParameterServerException pull = assertThrows(ParameterServerException.class,
          () -> KeyedWorkers.pulled(c, 3, 1));
      assertEquals(ErrorCode.UNCLAIMED, pull.code(), pull.getMessage());
      assertTrue(pull.getMessage().contains("restored from its checkpoint at version 3")
          && pull.getMessage().contains("ParameterServerAdmin.restore"), pull.getMessage());
      long[] keys = KeyedWorkers.keys(3, 1);
      KeyedPush retry = KeyedWorkers.push(3, 1, keys, new float[keys.length * SPEC.width()],
          new float[1], SPEC.width());
      assertEquals(ErrorCode.UNCLAIMED, assertThrows(ParameterServerException.class,
          () -> c.push(retry)).code());
    }
    ParameterServerException init = assertThrows(ParameterServerException.class,
        () -> admin.initKeyed(SPEC));
    assertEquals(ErrorCode.UNCLAIMED, init.code(), init.getMessage());
    assertTrue(init.getMessage().contains("ParameterServerAdmin.replace"), init.getMessage());
    assertEquals(List.of(0L, 0L, 0L), jobIds(admin), "still claimed by no job");
    assertEquals(3, admin.restore());
    assertEquals(List.of(cfg.jobId(), cfg.jobId(), cfg.jobId()), jobIds(admin));
  }

  private static List<Long> jobIds(ParameterServerAdmin admin) {
    return admin.describe().stream().map(s -> s.jobId()).toList();
  }

  @Test
  void adminRestoreBringsBackTheLastCheckpointAfterAStop() throws Exception {
    try (ParameterServer first = ParameterServer.start(config())) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(first, 3));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(SPEC);
        KeyedWorkers.run(cfg, SPEC, PARTITIONS, 0, 2);
      }
    } // stop() writes a last checkpoint at version 2
    try (ParameterServer second = ParameterServer.start(config().withCheckpoints(dir.toUri(), 0,
        false))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(second, 3));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        assertEquals(2, admin.restore());
        KeyedWorkers.run(cfg, SPEC, PARTITIONS, 2, ROUNDS);
        assertArrayEquals(uninterrupted(), state(cfg));
      }
    }
  }
}
