package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded staleness, async (Downpour) and parameter-delta pushes. */
@Timeout(20)
class ConsistencyModeTest {
  private static final int SIZE = 8;
  private ParameterServer server;
  private ClientConfig config;
  private ParameterServerAdmin admin;
  private ParameterServerClient client;

  @BeforeEach
  void start() throws Exception {
    server = Fixtures.server(2);
    config = Fixtures.client(Fixtures.addresses(server, 2)).withRetry(RetryPolicy.none())
        .withPullDeadline(Duration.ofMillis(300));
    admin = ParameterServerAdmin.connect(config);
    client = ParameterServerClient.connect(config);
  }

  @AfterEach
  void stop() {
    client.close();
    admin.close();
    server.kill();
  }

  private void init(ConsistencyMode mode) {
    admin.init(new JobSpec(SIZE, Fixtures.sgd(1.0), new InitialValues.Zeros(), 2, mode));
  }

  private static float[] filled(float v) {
    float[] g = new float[SIZE];
    Arrays.fill(g, v);
    return g;
  }

  @Test
  void sspLetsAWorkerRunAtMostSRoundsAhead() {
    init(new ConsistencyMode.Ssp(1));
    client.push(GradientPush.gradient(0, 0, 0, 1, 0, filled(1)));
    assertEquals(-1f, client.pull(1)[0], "applied on arrival; round 1 may start (s = 1)");
    client.push(GradientPush.gradient(1, 0, 0, 1, 0, filled(1)));
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> client.pull(2));
    assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("partitions [1 (at round 0)]"), e.getMessage());
    assertEquals(ErrorCode.UNKNOWN_ROUND, assertThrows(ParameterServerException.class,
        () -> client.push(GradientPush.gradient(3, 0, 0, 1, 0, filled(1)))).code());
    client.push(GradientPush.gradient(0, 1, 0, 1, 0, filled(1)));
    assertEquals(1, client.pullVersioned(2).version());
    assertEquals(-3f, client.pull(2)[SIZE - 1]);
  }

  @Test
  void asyncAppliesEachPushOnArrivalAndNeverWaits() {
    init(new ConsistencyMode.Async());
    client.push(GradientPush.gradient(0, 0, 0, 5, 0, filled(2)));
    assertEquals(-2f, client.pull(50)[0]);
    assertEquals(PushOutcome.DUPLICATE,
        client.push(GradientPush.gradient(0, 0, 1, 5, 0, filled(2))));
    client.push(GradientPush.gradient(1, 0, 0, 5, 0, filled(1)));
    assertEquals(-3f, client.pull(0)[3]);
    assertEquals(0, client.pullVersioned(0).version(), "partition 1 has not pushed");
  }

  @Test
  void syncDeltasAreAveragedByExamples() {
    init(new ConsistencyMode.Sync());
    client.push(GradientPush.delta(0, 0, 0, 1, 0, filled(1)));
    client.push(GradientPush.delta(0, 1, 0, 3, 0, filled(2)));
    assertEquals(1.75f, client.pull(1)[0]);
  }

  @Test
  void mixingGradientsAndDeltasInOneRoundIsRefused() {
    init(new ConsistencyMode.Sync());
    client.push(GradientPush.delta(0, 0, 0, 1, 0, filled(1)));
    assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(ParameterServerException.class,
        () -> client.push(GradientPush.gradient(0, 1, 0, 1, 0, filled(1)))).code());
  }
}
