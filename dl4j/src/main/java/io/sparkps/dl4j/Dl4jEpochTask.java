package io.sparkps.dl4j;

import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.PartitionWorker;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.Parameters;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochReport;
import io.sparkps.worker.KillWatch;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One partition's epoch of a DL4J network, as {@link io.sparkps.worker.EpochTask} runs one of a
 * SparkPS model: for each round pull the server's vector, compute, push, with the round numbers
 * of the server as the only clock; a retried task skips the rounds the server has completed and
 * a push the server already counted is acknowledged and ignored, so nothing counts twice.
 *
 * <p>What a round computes depends on the job ({@link Dl4jEpochJob#localSteps()}):
 * <ul>
 *   <li>gradients: the server's vector is the network's parameters; the worker pushes the mean
 *   gradient of its next minibatch, and the server averages the pushes weighted by their
 *   examples and applies its optimizer. In sync mode that is the gradient of the union of the
 *   partitions' minibatches: the step DL4J's single-JVM {@code fit} takes on that union.</li>
 *   <li>local steps: the vector is the parameters followed by the state of DL4J's updater; the
 *   worker loads both, takes {@code K} steps of DL4J's own {@code fit} (its updater,
 *   regularization and gradient normalization, with the iteration numbers a single JVM would
 *   use) and pushes the change of both. The server adds the mean change, so parameters and
 *   updater state are both averaged over the workers after each round (parameter averaging
 *   with averaged updater state, as DL4J's {@code ParameterAveragingTrainingMaster} does with
 *   {@code saveUpdater}; McMahan et al., 2017, "Communication-Efficient Learning of Deep
 *   Networks from Decentralized Data").</li>
 * </ul>
 */
final class Dl4jEpochTask implements BarrierEpoch.PartitionBody<NetBlock, EpochReport> {
  private static final long serialVersionUID = 1L;
  private final Dl4jEpochJob job;

  Dl4jEpochTask(Dl4jEpochJob job) {
    this.job = job;
  }

  @Override
  @SuppressWarnings("try") // the kill watch is only opened and closed
  public EpochReport run(int partition, int attempt, Iterator<NetBlock> blocks) {
    long start = System.nanoTime();
    NetBlock block = blocks.hasNext() ? blocks.next() : NetBlock.empty();
    EpochPlan plan = job.plan();
    if (block.rows() != plan.partitionRows()[partition]) {
      throw new IllegalStateException("partition " + partition + " holds " + block.rows()
          + " examples but the epoch's plan was made for " + plan.partitionRows()[partition]);
    }
    NetPool.Lease lease = NetPool.take(job.configJson(), (int) job.iterationsBefore(),
        job.dl4jEpoch());
    Dl4jNet net = lease.net();
    net.setEpochCount(job.dl4jEpoch());
    int[] order = order(block.rows(), partition);
    ClientConfig cc = job.server().clientConfig()
        .withPullDeadline(Duration.ofSeconds(job.pullDeadlineSeconds()))
        .withName("dl4j-partition-" + partition + "-attempt-" + attempt);
    Counts n = new Counts();
    try (ParameterServerClient client = ParameterServerClient.connect(cc);
        KillWatch watch = KillWatch.of(client)) {
      int r = 0;
      long t0 = System.nanoTime();
      n.setup = t0 - start;
      Parameters first = client.pullVersioned(job.firstRound());
      // a retried task skips the rounds it had pushed before it failed (sync mode only)
      while (job.synchronous() && r < plan.rounds() && first.version() > job.firstRound() + r) {
        n.skipped++;
        if (++r < plan.rounds()) {
          first = client.pullVersioned(job.firstRound() + r);
        }
      }
      n.wait += System.nanoTime() - t0;
      float[] vector = first.values();
      float[] payload = new float[vector.length];
      for (; r < plan.rounds(); r++) {
        long t1 = System.nanoTime();
        long examples = job.pushesGradients()
            ? gradient(net, block, order, partition, r, vector, payload, n)
            : localSteps(net, block, order, partition, r, vector, payload, n);
        long t2 = System.nanoTime();
        n.compute += t2 - t1;
        long round = job.firstRound() + r;
        GradientPush push = job.pushesGradients()
            ? GradientPush.gradient(round, partition, attempt, examples, n.roundLoss, payload)
            : GradientPush.delta(round, partition, attempt, examples, n.roundLoss, payload);
        vector = client.pushAndPull(push, vector);
        n.wait += System.nanoTime() - t2;
        n.examples += examples;
        n.lossSum += n.roundLoss;
        n.run++;
      }
    }
    NetPool.give(lease); // only after a task that ended well: a failed one's state is unknown
    return new EpochReport(partition, attempt, n.examples, n.lossSum, n.run, n.skipped,
        n.compute / 1e9, n.wait / 1e9, 8L * net.parameterCount() * n.run, n.setup / 1e9);
  }

  /** The examples' order this epoch: SparkPS's seeded per-partition shuffle, or as stored. */
  private int[] order(int rows, int partition) {
    if (job.shuffle()) {
      return PartitionWorker.order(rows, job.seed(), job.epoch(), partition);
    }
    int[] o = new int[rows];
    Arrays.setAll(o, i -> i);
    return o;
  }

  /** Counters of one task; {@code roundLoss} is the summed loss of the current round. */
  private static final class Counts {
    long examples;
    double lossSum;
    double roundLoss;
    int run;
    int skipped;
    long compute;
    long wait;
    long setup;
  }

  private long gradient(Dl4jNet net, NetBlock block, int[] order, int partition, int r,
      float[] params, float[] payload, Counts n) {
    int from = job.plan().from(partition, r);
    int to = job.plan().to(partition, r);
    n.roundLoss = 0;
    if (from == to) {
      Arrays.fill(payload, 0f);
      return 0;
    }
    net.setParams(params);
    double mean = net.meanGradient(block.select(order, from, to), payload);
    n.roundLoss = mean * (to - from);
    return to - from;
  }

  private long localSteps(Dl4jNet net, NetBlock block, int[] order, int partition, int r,
      float[] vector, float[] payload, Counts n) {
    net.load(vector);
    n.roundLoss = 0;
    long examples = 0;
    for (int k = 0; k < job.localSteps(); k++) {
      int step = r * job.localSteps() + k;
      int from = job.plan().from(partition, step);
      int to = job.plan().to(partition, step);
      if (from == to) {
        continue;
      }
      DataSet batch = block.select(order, from, to);
      net.setIterationCount((int) (job.iterationsBefore() + step));
      n.roundLoss += net.fit(batch) * (to - from);
      examples += to - from;
    }
    net.save(payload);
    for (int i = 0; i < payload.length; i++) {
      payload[i] -= vector[i];
    }
    return examples;
  }
}
