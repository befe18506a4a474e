package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.KeyedWorkers;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.Ftrl;
import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.keyed.WeightsFile;
import io.sparkps.ps.keyed.WeightsFileReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The model's keyed part written by the shards into a model directory, read back. */
@Timeout(60)
class KeyedExportTest {
  private static final int PARTITIONS = 2;
  private static final int ROUNDS = 4;
  private static final int SHARDS = 3;
  private static final KeyedJobSpec SPEC = new KeyedJobSpec(2, new Ftrl(0.5, 1, 0.3, 0.1),
      Optional.empty(), 0, 17, 1 << 24, new float[] {0.5f, 1.5f, -1f, 2f}, Fixtures.sgd(0.1),
      PARTITIONS, new ConsistencyMode.Sync());

  @TempDir
  Path dir;

  @Test
  void everyShardWritesItsWeightsAndTailAndTheFilesMatchWhatAPullServes() throws Exception {
    try (ParameterServer server = Fixtures.server(SHARDS)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, SHARDS));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           KeyedClient c = KeyedClient.connect(cfg, SPEC)) {
        admin.initKeyed(SPEC);
        KeyedWorkers.run(cfg, SPEC, PARTITIONS, 0, ROUNDS);
        long[] keys = KeyedWorkers.allKeys(PARTITIONS, ROUNDS);
        float[] rows = new float[keys.length * 2];
        float[] tail = new float[4];
        c.pull(ROUNDS, keys, keys.length, rows, tail);

        URI model = dir.resolve("model").toUri();
        long written = admin.exportKeyed(model, Duration.ofSeconds(30));
        int nonZero = 0;
        for (int k = 0; k < keys.length; k++) {
          nonZero += rows[2 * k] != 0f || rows[2 * k + 1] != 0f ? 1 : 0;
        }
        assertEquals(nonZero, written, "every row but FTRL's all-zero ones");
        assertTrue(nonZero < keys.length, "L1 zeroed some rows: the test covers skipping");

        float[] fromFiles = new float[rows.length];
        float[] tailFromFiles = new float[4];
        KeySharding sharding = new KeySharding(SHARDS, 17);
        for (int s = 0; s < SHARDS; s++) {
          try (WeightsFileReader r = WeightsFileReader.open(WeightsFile.partUri(model, s,
              SHARDS))) {
            assertEquals(sharding, r.sharding());
            float[] part = r.tail();
            System.arraycopy(part, 0, tailFromFiles, r.tailStart(), part.length);
            boolean[] found = new boolean[keys.length];
            float[] got = new float[rows.length];
            r.lookup(keys, keys.length, got, found);
            for (int k = 0; k < keys.length; k++) {
              if (found[k]) {
                assertEquals(s, sharding.shardOf(keys[k]), "a key is in its shard's part");
                fromFiles[2 * k] = got[2 * k];
                fromFiles[2 * k + 1] = got[2 * k + 1];
              }
            }
          }
        }
        assertArrayEquals(rows, fromFiles);
        assertArrayEquals(tail, tailFromFiles);
      }
    }
  }

  @Test
  void aDirectoryThatIsNotAnAbsoluteUriIsRefused() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(SPEC);
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> admin.exportKeyed(URI.create("models/ctr"), Duration.ofSeconds(5)));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains("the export directory models/ctr is not an absolute "
            + "URI"), e.getMessage());
      }
    }
  }
}
