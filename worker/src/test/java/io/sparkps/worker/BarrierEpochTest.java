package io.sparkps.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Sgd;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ServerAccess;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An epoch is one barrier result stage; when a task fails, the epoch runs again (Spark would
 * abort the job) and ends as an epoch without the failure does, every round counted once.
 */
@Timeout(180)
class BarrierEpochTest {
  private static final String TOKEN = "barrier-epoch-token-0123456789";
  /** Failures still to inject into partition 0's task (local mode: one JVM). */
  private static final AtomicInteger FAILURES = new AtomicInteger();
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("barrier-epoch")
        .set("spark.ui.enabled", "false").set("spark.stage.maxConsecutiveAttempts", "3"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void aFailedAttemptRunsAgainAndCountsEveryRoundOnce() throws Exception {
    Epoch clean = epoch(0);
    Epoch retried = epoch(1);
    assertTrue(clean.reports().stream().allMatch(r -> r.attempt() == 0), clean.toString());
    assertTrue(retried.reports().stream().allMatch(r -> r.attempt() == 1000),
        "both tasks ran in the second attempt: " + retried.reports());
    assertEquals(clean.rounds(), retried.rounds());
    for (RoundStats r : retried.history()) {
      assertEquals(2, r.pushes(), "round " + r.round() + " counted each partition once");
    }
    // the server counted every row once; a task of the second attempt may find its first round
    // completed already (its push from the first attempt counted) and skip it
    assertEquals(8000, retried.history().stream().mapToLong(RoundStats::examples).sum());
    long skipped = retried.reports().stream().mapToLong(EpochReport::roundsSkipped).sum();
    assertEquals(8000 - 100 * skipped,
        retried.reports().stream().mapToLong(EpochReport::examples).sum());
    assertArrayEquals(clean.params(), retried.params(), "the same parameters as without a failure");
  }

  @Test
  void aTaskThatFailsInEveryAttemptFailsTheEpochAfterTheLastOne() {
    SparkException e = assertThrows(SparkException.class, () -> epoch(3));
    assertTrue(e.getMessage().contains(BarrierEpoch.FAILED_BARRIER_STAGE), e.getMessage());
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertEquals(0, FAILURES.get(), "three attempts, three failures");
  }

  @Test
  void onlyAFailedBarrierStageIsRetried() {
    assertTrue(BarrierEpoch.retryable(new SparkException("Job aborted due to stage failure: "
        + BarrierEpoch.FAILED_BARRIER_STAGE + ". Most recent failure reason: lost task")));
    assertFalse(BarrierEpoch.retryable(new SparkException("Job 3 cancelled because "
        + "SparkContext was shut down")));
  }

  private record Epoch(List<EpochReport> reports, List<RoundStats> history, long rounds,
      float[] params) {
  }

  /** One epoch of logistic regression over two blocks; partition 0 fails {@code failures} times. */
  private static Epoch epoch(int failures) throws Exception {
    FAILURES.set(failures);
    ParameterServer server = ParameterServer.start(ServerConfig.loopback(TOKEN));
    try {
      ClientConfig cfg = ClientConfig.of(List.of(new InetSocketAddress("127.0.0.1",
          server.port())), TOKEN);
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        ModelSpec spec = ModelSpec.logistic(SynthData.FEATURES);
        int params = spec.build().parameterCount();
        admin.init(new JobSpec(params, Sgd.of(0.1), new InitialValues.Values(new float[params]),
            2, new io.sparkps.ps.api.ConsistencyMode.Sync()));
        ExampleBlock all = SynthData.block(8000);
        List<ExampleBlock> blocks = List.of(range(all, 0, 4000), range(all, 4000, 8000));
        EpochPlan plan = EpochPlan.of(new int[] {4000, 4000}, 100, 1);
        TrainingConfig config = new TrainingConfig(1, 100, Sgd.of(0.1), Regularizer.NONE, 0, 7,
            0, 0, 1);
        EpochJob job = new EpochJob(spec, config, plan, 1, 0,
            new ServerAccess(List.of("127.0.0.1:" + server.port()), TOKEN, 1, ""), 30, true,
            "cpu");
        JavaRDD<ExampleBlock> rdd = sc.parallelize(blocks, 2).map(new FailFirst());
        List<EpochReport> reports = BarrierEpoch.run(rdd, job);
        return new Epoch(reports, admin.history(0), plan.rounds(), admin.snapshot().values());
      }
    } finally {
      server.kill(); // no drain: a failed epoch leaves a round in flight
    }
  }

  private static ExampleBlock range(ExampleBlock b, int from, int to) {
    int c = b.cols();
    return new ExampleBlock(to - from, c, java.util.Arrays.copyOfRange(b.features(), from * c,
        to * c), java.util.Arrays.copyOfRange(b.labels(), from, to));
  }

  /** Fails partition 0's task while {@link #FAILURES} is positive. */
  private static final class FailFirst implements Function<ExampleBlock, ExampleBlock> {
    private static final long serialVersionUID = 1L;

    @Override
    public ExampleBlock call(ExampleBlock b) {
      if (TaskContext.getPartitionId() == 0 && FAILURES.getAndUpdate(n -> Math.max(0, n - 1))
          > 0) {
        throw new IllegalStateException("injected failure");
      }
      return b;
    }
  }
}
