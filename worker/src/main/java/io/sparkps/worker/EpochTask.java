package io.sparkps.worker;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.train.Overlap;
import io.sparkps.core.train.PartitionWorker;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.Parameters;
import java.time.Duration;
import java.util.Iterator;

/**
 * One partition's epoch: shuffle its rows with the epoch's seed, then for each round pull the
 * parameters, compute with the core {@link PartitionWorker}, and push. The parameter server's
 * round numbers are the only clock: a pull of round {@code r} returns once every partition has
 * pushed round {@code r - 1}.
 *
 * <p>Each push also returns the next round's parameters ({@code pushAndPull}), so a round costs
 * one round trip. A retried task ({@link BarrierEpoch} reruns a failed epoch whole) starts
 * from the epoch's first round again. In synchronous mode a pull that returns a newer version than its
 * round means this partition had pushed that round before failing, so the round is skipped; a
 * push the server has already counted is acknowledged as a duplicate and ignored. Either way
 * nothing counts twice.
 *
 * <p>With {@link io.sparkps.core.train.TrainingConfig#overlap()}, the push of round {@code r} is
 * sent and round {@code r + 1} computed before its reply is read ({@link Overlap}): the round trip
 * and the wait for the slowest partition hide behind the compute. The epoch still ends on the
 * last round's reply, so the next epoch starts from the server's parameters; a retried task
 * starts from them too.
 *
 * <p>When Spark kills the task (another task of the barrier stage failed), a {@link KillWatch}
 * aborts its client, so a pull blocked waiting for a round that will never come fails at once and
 * the executor slot is free for the stage's retry.
 */
public final class EpochTask {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EpochTask.class);
  /** Whether this JVM has logged which backend its tasks run on. */
  private static final java.util.concurrent.atomic.AtomicBoolean BACKEND_LOGGED =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final EpochJob job;

  public EpochTask(EpochJob job) {
    this.job = job;
  }

  /** Runs the epoch's rounds {@code [fromRound, toRound)} over the partition's single block. */
  public EpochReport run(int partition, int attempt, Iterator<Block> blocks) {
    long start = System.nanoTime();
    Block block = planned(partition, blocks);
    if (job.keyed() != null) {
      return new KeyedEpochTask(job).run(partition, attempt, block, start);
    }
    return rounds(partition, attempt, block, start).report();
  }

  /**
   * A task's report and its score of the stage's final parameters on its validation block
   * ({@link BarrierEpoch#runScored}).
   */
  public record Scored(EpochReport report, HeldOutScore score) implements java.io.Serializable {
  }

  /**
   * As {@link #run}, then scores the parameters the rounds ended with (in synchronous mode the
   * server's parameters after the stage's last round, the same for every partition) on the
   * partition's {@code validation} block: its loss, and with {@code withMetrics} its metrics.
   */
  public Scored runScored(int partition, int attempt, Iterator<Block> train, Block validation,
      boolean withMetrics) {
    if (job.keyed() != null || !job.synchronous()) {
      throw new IllegalArgumentException("only a dense synchronous job scores its validation "
          + "rows in the stage: the parameters a task ends with are then the server's");
    }
    long start = System.nanoTime();
    Done done = rounds(partition, attempt, planned(partition, train), start);
    return new Scored(done.report(), HeldOutScore.of(done.model(), done.params(), validation,
        withMetrics));
  }

  /** The partition's single block, checked against the epoch's plan. */
  private Block planned(int partition, Iterator<Block> blocks) {
    if (!blocks.hasNext()) {
      throw new IllegalStateException("partition " + partition + " holds no block; the driver "
          + "caches exactly one block per partition");
    }
    Block block = blocks.next();
    int planned = job.plan().partitionRows()[partition];
    if (block.rows() != planned) {
      throw new IllegalStateException("partition " + partition + " holds " + block.rows()
          + " rows but the epoch's plan was made for " + planned + "; the rows given to the "
          + "trainer do not match its cached blocks");
    }
    if (BACKEND_LOGGED.compareAndSet(false, true)) {
      LOG.info(ComputeBackends.describe(job.backend()));
    }
    return block;
  }

  /** A dense stage's report, the parameters its last round ended with and the model it ran. */
  private record Done(EpochReport report, float[] params, Model model) {
  }

  /** The dense rounds {@code [fromRound, toRound)} over {@code block}. */
  @SuppressWarnings("try") // the kill watch is only opened and closed
  private Done rounds(int partition, int attempt, Block block, long start) {
    Model model = job.spec().build(ComputeBackends.byName(job.backend()));
    // the epoch's row order; minibatches are gathered from the cached block as they are needed,
    // never a shuffled copy of the whole block
    int[] order = PartitionWorker.order(block.rows(), job.config().seed(), job.epoch(),
        partition);
    PartitionWorker worker = new PartitionWorker(model, job.config(), job.plan(), partition,
        job.epoch());
    float[] payload = new float[model.parameterCount()];
    ClientConfig cc = job.server().clientConfig()
        .withPullDeadline(Duration.ofSeconds(job.pullDeadlineSeconds()))
        .withName("partition-" + partition + "-attempt-" + attempt);
    long examples = 0;
    double lossSum = 0;
    int run = 0;
    int skipped = 0;
    long computeNanos = 0;
    long waitNanos = 0;
    long setupNanos = 0;
    float[] last;
    // the watch aborts the client when Spark kills this task, even in a blocked pull
    try (ParameterServerClient client = ParameterServerClient.connect(cc);
        KillWatch watch = KillWatch.of(client)) {
      int r = job.fromRound();
      int end = job.toRound();
      long t0 = System.nanoTime();
      setupNanos = t0 - start;
      Parameters first = client.pullVersioned(job.firstRound() + r);
      float[] params = first.values();
      // a retried task skips the rounds it had pushed before it failed (sync mode only)
      while (job.synchronous() && r < end && first.version() > job.firstRound() + r) {
        skipped++;
        if (++r < end) {
          first = client.pullVersioned(job.firstRound() + r);
          params = first.values();
        }
      }
      waitNanos += System.nanoTime() - t0;
      boolean overlap = job.config().overlap();
      // with overlap: where the next round starts, the pushed delta's buffer and its reply
      float[] from = overlap ? params.clone() : params;
      float[] inFlight = overlap ? new float[payload.length] : null;
      ParameterServerClient.PendingPull pending = null;
      for (; r < end; r++) {
        long round = job.firstRound() + r;
        long t1 = System.nanoTime();
        PartitionWorker.Contribution c = worker.round(from, block, order, r, payload);
        long t2 = System.nanoTime();
        computeNanos += t2 - t1;
        GradientPush push = job.config().localSteps() == 1
            ? GradientPush.gradient(round, partition, attempt, c.examples(), c.lossSum(), payload)
            : GradientPush.delta(round, partition, attempt, c.examples(), c.lossSum(), payload);
        if (overlap) {
          if (pending != null) {
            params = pending.await(); // the parameters this round began with on the server
          }
          Overlap.nextStart(params, payload, from);
          // params are read; they receive the next round's while round r + 1 computes
          pending = client.pushThenPull(push, params);
          // the pushed delta stays untouched until its reply is read (a retry resends it)
          float[] sent = payload;
          payload = inFlight;
          inFlight = sent;
        } else {
          // one round trip: the push of round r returns the parameters of round r + 1, written
          // over those of round r (computed from and no longer needed)
          params = client.pushAndPull(push, params);
          from = params;
        }
        waitNanos += System.nanoTime() - t2;
        examples += c.examples();
        lossSum += c.lossSum();
        run++;
      }
      if (pending != null) {
        long t3 = System.nanoTime();
        params = pending.await(); // the parameters after the last round
        waitNanos += System.nanoTime() - t3;
      }
      last = params;
    }
    long bytes = 8L * payload.length * run;
    return new Done(new EpochReport(partition, attempt, examples, lossSum, run, skipped,
        computeNanos / 1e9, waitNanos / 1e9, bytes, setupNanos / 1e9), last, model);
  }
}
