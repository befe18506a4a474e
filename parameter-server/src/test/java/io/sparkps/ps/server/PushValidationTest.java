package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
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

/** Duplicate, late, missing, oversized and non-finite pushes, on two shards of one server. */
@Timeout(20)
class PushValidationTest {
  private static final int SIZE = 10;
  private static final int PARTITIONS = 3;
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
    admin.init(JobSpec.sync(SIZE, Fixtures.sgd(1.0), PARTITIONS));
    client = ParameterServerClient.connect(config);
  }

  @AfterEach
  void stop() {
    client.close();
    admin.close();
    server.kill();
  }

  private static GradientPush ones(long round, int partition, int attempt) {
    float[] g = new float[SIZE];
    Arrays.fill(g, partition + 1f);
    return GradientPush.gradient(round, partition, attempt, 1, 0.5, g);
  }

  @Test
  void duplicateIsAcknowledgedAndCountedOnce() {
    assertEquals(PushOutcome.ACCEPTED, client.push(ones(0, 0, 0)));
    assertEquals(PushOutcome.DUPLICATE, client.push(ones(0, 0, 1)));
    assertEquals(PushOutcome.ACCEPTED, client.push(ones(0, 1, 0)));
    assertEquals(PushOutcome.ACCEPTED, client.push(ones(0, 2, 0)));
    float[] p = client.pull(1);
    assertEquals(-2f, p[0], 1e-6f);
    assertEquals(0, admin.history(0).get(0).round());
    assertEquals(3, admin.history(0).get(0).pushes());
    assertEquals(1, admin.history(0).get(0).duplicates());
  }

  @Test
  void latePushForAnAppliedRoundIsIgnored() {
    for (int p = 0; p < PARTITIONS; p++) {
      client.push(ones(0, p, 0));
    }
    float[] after = client.pull(1);
    assertEquals(PushOutcome.DUPLICATE, client.push(ones(0, 1, 3)));
    assertArrayEquals(after, admin.snapshot().values());
    assertEquals(1, admin.snapshot().version());
  }

  @Test
  void missingPartitionsAreNamedWhenThePullDeadlineExpires() {
    client.push(ones(0, 1, 0));
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> client.pull(1));
    assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("missing partitions [0, 2] of 3"), e.getMessage());
  }

  @Test
  void pushForAFutureRoundIsRefused() {
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> client.push(ones(1, 0, 0)));
    assertEquals(ErrorCode.UNKNOWN_ROUND, e.code());
    assertFalse(e.retryable());
  }

  @Test
  void wrongLengthIsRefusedBeforeSending() {
    client.pull(0);
    assertThrows(IllegalArgumentException.class, () -> client.push(
        GradientPush.gradient(0, 0, 0, 1, 0, new float[SIZE + 1])));
  }

  @Test
  void nonFiniteValuesAreRefusedAndNotCounted() {
    float[] g = new float[SIZE];
    g[7] = Float.NaN;
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> client.push(GradientPush.gradient(0, 0, 0, 1, 0, g)));
    assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
    assertTrue(e.getMessage().contains("parameter 7"), e.getMessage());
    assertEquals(PushOutcome.ACCEPTED, client.push(ones(0, 0, 1)));
  }

  @Test
  void everyNonFiniteValueIsFoundWhereverItIs() {
    for (int length : new int[] {1, 7, 8, 9, 100_003}) {
      float[] v = new float[length];
      Arrays.fill(v, -3.4e38f);
      assertTrue(ShardService.allFinite(v), "length " + length);
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY}) {
        for (int at : new int[] {0, length / 2, length - 1}) {
          float keep = v[at];
          v[at] = bad;
          assertFalse(ShardService.allFinite(v), bad + " at " + at + " of " + length);
          v[at] = keep;
        }
      }
    }
  }

  @Test
  void partitionOutOfRangeIsRefused() {
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> client.push(ones(0, PARTITIONS, 0)));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().contains("partition must be 0 to 2, got 3"), e.getMessage());
  }

  @Test
  void jobWhoseShardsExceedTheFrameLimitIsRefusedAtInit() throws Exception {
    try (ParameterServer small = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withLimits(64 * 1024, 1000))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(small, 1))
          .withRetry(RetryPolicy.none());
      try (ParameterServerAdmin a = ParameterServerAdmin.connect(cfg)) {
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> a.init(JobSpec.sync(20_000, Fixtures.sgd(0.1), 1)));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains("over this server's limit of 65536"), e.getMessage());
      }
    }
  }

  @Test
  void pushBeforeInitIsRetryable() throws Exception {
    try (ParameterServer fresh = Fixtures.server(1);
         ParameterServerClient c = ParameterServerClient.connect(
             Fixtures.client(Fixtures.addresses(fresh, 1)).withRetry(RetryPolicy.none()))) {
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> c.push(ones(0, 0, 0)));
      assertEquals(ErrorCode.NOT_INITIALIZED, e.code());
      assertTrue(e.retryable());
    }
  }
}
