package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.KeyedRoundStats;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.SparseAdaGrad;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A keyed round's keys and bytes in the round history and on the Prometheus endpoint. */
@Timeout(30)
class KeyedMetricsTest {

  @Test
  void aRoundCountsItsKeysBytesAndTheTable() throws Exception {
    KeyedJobSpec spec = new KeyedJobSpec(2, new SparseAdaGrad(0.1, 0, 1e-10), Optional.empty(),
        0, 1, 1 << 24, new float[] {0f}, Fixtures.sgd(0.1), 2, new ConsistencyMode.Sync());
    try (ParameterServer server = Fixtures.server(2)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           KeyedClient c0 = KeyedClient.connect(cfg, spec);
           KeyedClient c1 = KeyedClient.connect(cfg, spec)) {
        admin.initKeyed(spec);
        long[] k0 = {1, 2, 3};
        long[] k1 = {3, 4};
        c0.pull(0, k0, 3, new float[6], new float[1]);
        c1.pull(0, k1, 2, new float[4], new float[1]);
        c0.push(new KeyedPush(0, 0, 0, 1, 0, PayloadKind.GRADIENT, k0, 3, new float[6],
            new float[1]));
        c1.push(new KeyedPush(0, 1, 0, 1, 0, PayloadKind.GRADIENT, k1, 2, new float[4],
            new float[1]));
        List<RoundStats> rounds = admin.keyedHistory(0);
        assertEquals(1, rounds.size());
        KeyedRoundStats k = rounds.get(0).keyed();
        // pulls: 5 keys (40 bytes); pushes: 5 keys, 5 rows of 2 floats, 2 tail floats (88)
        // replies: 5 rows of 2 floats and the tail float of each pull (48)
        assertEquals(new KeyedRoundStats(5, 5, 4, 128, 48, 4, k.tableBytes()), k);
        assertTrue(k.tableBytes() > 4 * 2 * 2 * 4, "the table holds its pages: " + k);

        String text = server.metrics().prometheus();
        assertEquals(4, sum(text, "sparkps_ps_table_keys{"), text);
        assertEquals(4, sum(text, "sparkps_ps_round_keys_updated{"), text);
        assertEquals(5, sum(text, "sparkps_ps_keys_pushed_total{"), text);
        assertEquals(k.tableBytes(), sum(text, "sparkps_ps_table_bytes{"), text);
      }
    }
  }

  /** The sum of the samples of one metric over its shards. */
  private static long sum(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
