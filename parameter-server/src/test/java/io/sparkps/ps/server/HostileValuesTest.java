package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Values that pass the per-field checks but would hang or corrupt a shard: round numbers far
 * ahead of the version, a round that wraps the partition clock, example counts whose weight or
 * sum overflows, and an update that makes the parameters non-finite.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileValuesTest {
  private static final int SIZE = 8;

  private static JobState async(int partitions) {
    ShardJob job = new ShardJob(0, 1, SIZE, 0, SIZE, Sgd.of(0.1), "{}",
        new ConsistencyMode.Async(), partitions, 1);
    return JobState.fresh(job, new float[SIZE]);
  }

  private static PushData push(long round, int partition) {
    float[] g = new float[SIZE];
    Arrays.fill(g, 1f);
    return new PushData(round, partition, 0, 1, 0.5, PayloadKind.GRADIENT, g);
  }

  /** Async push for round 10^15: refused at once, instead of 10^15 version steps under a lock. */
  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void asyncPushFarAheadIsRefusedWithoutStepping() {
    JobState s = async(1);
    List<RoundStats> published = new ArrayList<>();
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> s.push(push(1_000_000_000_000_000L, 0), published));
    assertEquals(ErrorCode.UNKNOWN_ROUND, e.code());
    assertTrue(e.getMessage().contains("more than 65536 rounds ahead"), e.getMessage());
    assertEquals(0, s.version());
    assertEquals(PushOutcome.ACCEPTED, s.push(push(0, 0), published));
    assertEquals(1, s.version());
  }

  /** Round Long.MAX_VALUE must not wrap a partition's clock and switch off duplicate checks. */
  @Test
  void roundLongMaxDoesNotWrapTheClock() {
    JobState s = async(2);
    List<RoundStats> published = new ArrayList<>();
    assertEquals(PushOutcome.ACCEPTED, s.push(push(0, 0), published));
    ParameterServerException e = assertThrows(ParameterServerException.class,
        () -> s.push(push(Long.MAX_VALUE, 0), published));
    assertEquals(ErrorCode.UNKNOWN_ROUND, e.code());
    assertEquals(PushOutcome.DUPLICATE, s.push(push(0, 0), published));
    assertEquals(1, s.clocks()[0]);
  }

  /** A jump of many rounds in async mode moves the version once, publishing only what ran. */
  @Test
  void asyncVersionJumpsToTheSlowestClock() {
    JobState s = async(1);
    List<RoundStats> published = new ArrayList<>();
    s.push(push(60_000, 0), published);
    assertEquals(60_001, s.version());
    assertEquals(List.of(60_000L), published.stream().map(RoundStats::round).toList());
  }

  private static ClientConfig start(ParameterServer server) {
    return Fixtures.client(Fixtures.addresses(server, 1)).withRetry(RetryPolicy.none())
        .withPullDeadline(Duration.ofMillis(500));
  }

  /** examples has an upper bound: Long.MAX_VALUE would wrap the round's sum of examples. */
  @Test
  void examplesOverTheBoundAreRefused() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = start(server);
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(SIZE, Fixtures.sgd(0.1), 2));
        float[] g = new float[SIZE];
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.push(GradientPush.gradient(0, 0, 0, Long.MAX_VALUE, 0, g)));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertTrue(e.getMessage().contains("examples 0 to 2147483647"), e.getMessage());
        assertEquals(0, admin.describe().get(0).version());
      }
    }
  }

  /**
   * A round whose update overflows the parameters is refused and named; the version stays at the
   * last good one, nothing non-finite is ever served or checkpointed, and pulls get the error
   * at once instead of waiting for their deadline.
   */
  @Test
  void anUpdateThatMakesParametersNonFiniteIsRefused() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = start(server).withPullDeadline(Duration.ofSeconds(10));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(SIZE, Fixtures.sgd(1e30), 1));
        float[] before = c.pull(0);
        float[] g = new float[SIZE];
        g[3] = 1e20f; // finite, but 1e30 * 1e20 is not a float
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.push(GradientPush.gradient(0, 0, 0, 1, 0, g)));
        assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
        assertTrue(e.getMessage().contains("round 0 was refused")
            && e.getMessage().contains("parameter 3"), e.getMessage());
        long t0 = System.nanoTime();
        ParameterServerException pull = assertThrows(ParameterServerException.class,
            () -> c.pull(1));
        assertEquals(ErrorCode.NON_FINITE_VALUES, pull.code());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(0, admin.describe().get(0).version());
        // the shard's memory holds part of the refused update: it serves no parameters at all
        assertEquals(ErrorCode.NON_FINITE_VALUES,
            assertThrows(ParameterServerException.class, () -> c.pull(0)).code());
        assertTrue(Float.isFinite(before[3]));
      }
    }
  }
}
