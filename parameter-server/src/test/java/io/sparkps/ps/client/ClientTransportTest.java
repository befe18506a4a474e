package io.sparkps.ps.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.server.ParameterServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's buffers: frames far larger than the first buffers (which then grow), of sizes
 * that are no multiple of the alignment, split by the kernel into many reads and writes.
 */
@Timeout(60)
class ClientTransportTest {
  private static final int SIZE = 1_000_003;
  private static final int PARTITIONS = 2;
  private static final int ROUNDS = 3;

  @Test
  void largeOddSizedRoundsOverTwoShardsMatchTheReference() throws Exception {
    Optimizer sgd = Fixtures.sgd(0.1);
    InitialValues.Seeded init = new InitialValues.Seeded(7, 0.5f);
    try (ParameterServer server = Fixtures.server(2)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 2));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(new JobSpec(SIZE, sgd, init, PARTITIONS, new ConsistencyMode.Sync()));
        Fixtures.runWorkers(cfg, PARTITIONS, 0, ROUNDS, true);
        float[] initial = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
          initial[i] = init.valueAt(i);
        }
        assertArrayEquals(Fixtures.reference(sgd, initial, PARTITIONS, ROUNDS),
            admin.snapshot().values());
      }
    }
  }

  @Test
  void pushAndPullRefusesToPullIntoThePayloadOrAWrongSize() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(10, Fixtures.sgd(0.1), 1));
      }
      try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        float[] params = c.pull(0);
        var push = Fixtures.push(params, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> c.pushAndPull(push, push.payload()));
        assertThrows(IllegalArgumentException.class, () -> c.pushAndPull(push, new float[9]));
      }
    }
  }
}
