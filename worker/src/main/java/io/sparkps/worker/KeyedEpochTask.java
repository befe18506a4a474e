package io.sparkps.worker;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.CompactBatch;
import io.sparkps.core.train.KeyedPartitionWorker;
import io.sparkps.core.train.PartitionWorker;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import java.time.Duration;

/**
 * One partition's epoch of a keyed job: for each round, the sorted unique keys of the round's
 * minibatches ({@link KeyedPartitionWorker#prepare}), a pull of only their rows and the dense
 * tail ({@link io.sparkps.ps.client.KeyedParameters#pull}), the gradient or local steps' delta
 * over that compact vector, and a push of only those rows ({@link KeyedPush}). What a round
 * holds grows with the keys it touches, never with the model's key count.
 *
 * <p>Retries as in {@link EpochTask}: a retried task starts from the epoch's first round; in
 * synchronous mode a pull that answers with a version past its round means this partition had
 * pushed that round before failing, so the round is skipped, and a push the servers have counted
 * already is acknowledged as a duplicate and ignored. A round whose minibatches are empty still
 * pulls and pushes (no keys, zero tail, no examples), so synchronous rounds complete.
 *
 * <p>The push of a round and the pull of the next are two round trips (the keys of the next
 * round differ), and {@code --overlap} does not apply to keyed rounds.
 */
final class KeyedEpochTask {
  private final EpochJob job;

  KeyedEpochTask(EpochJob job) {
    this.job = job;
  }

  /** Rounds {@code [fromRound, toRound)} of the epoch over the partition's block. */
  @SuppressWarnings("try") // the kill watch is only opened and closed
  EpochReport run(int partition, int attempt, Block block, long start) {
    Model built = job.spec().build(ComputeBackends.byName(job.backend()));
    if (!(built instanceof SparseModel model)) {
      throw new IllegalArgumentException("a keyed job trains a sparse model (logistic, linear, "
          + "softmax, fm, wide-deep), got " + job.spec().name() + "; use the dense layout.");
    }
    int[] order = PartitionWorker.order(block.rows(), job.config().seed(), job.epoch(),
        partition);
    KeyedPartitionWorker worker = new KeyedPartitionWorker(model, job.config(), job.plan(),
        partition, job.epoch());
    PayloadKind kind = job.config().localSteps() == 1 ? PayloadKind.GRADIENT : PayloadKind.DELTA;
    ClientConfig cc = job.server().clientConfig()
        .withPullDeadline(Duration.ofSeconds(job.pullDeadlineSeconds()))
        .withName("partition-" + partition + "-attempt-" + attempt);
    Tally t = new Tally();
    try (KeyedClient client = KeyedClient.connect(cc, model.rowWidth(), model.denseTail(),
        job.keyed().shardingSeed());
        KillWatch watch = KillWatch.of(client::abort)) {
      t.setupNanos = System.nanoTime() - start;
      float[] tail = new float[model.denseTail()];
      for (int r = job.fromRound(); r < job.toRound(); r++) {
        long round = job.firstRound() + r;
        long t0 = System.nanoTime();
        CompactBatch batch = worker.prepare(block, order, r);
        float[] rows = new float[batch.rowFloats()];
        long t1 = System.nanoTime();
        long version = client.pull(round, batch.keys(), batch.count(), rows, tail);
        long t2 = System.nanoTime();
        t.waitNanos += t2 - t1;
        if (job.synchronous() && version > round) {
          t.skipped++; // this partition pushed the round before its task failed
          continue;
        }
        float[] params = new float[batch.parameterCount()];
        batch.assemble(rows, tail, params);
        float[] payload = new float[params.length];
        PartitionWorker.Contribution c = worker.compute(batch, params, r, payload);
        batch.split(payload, rows, tail);
        long t3 = System.nanoTime();
        t.computeNanos += (t1 - t0) + (t3 - t2);
        client.push(new KeyedPush(round, partition, attempt, c.examples(), c.lossSum(), kind,
            batch.keys(), batch.count(), rows, tail));
        t.waitNanos += System.nanoTime() - t3;
        t.examples += c.examples();
        t.lossSum += c.lossSum();
        t.run++;
        // keys and both directions' rows and tails
        t.bytes += 16L * batch.count() + 8L * rows.length + 8L * tail.length;
      }
    }
    return new EpochReport(partition, attempt, t.examples, t.lossSum, t.run, t.skipped,
        t.computeNanos / 1e9, t.waitNanos / 1e9, t.bytes, t.setupNanos / 1e9);
  }

  /** The epoch's counters. */
  private static final class Tally {
    long examples;
    double lossSum;
    int run;
    int skipped;
    long computeNanos;
    long waitNanos;
    long setupNanos;
    long bytes;
  }
}
