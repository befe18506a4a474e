package io.sparkps.dl4j;

import io.sparkps.core.optim.Optimizer;
import io.sparkps.core.optim.Sgd;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.driver.train.ParameterServerSession;
import io.sparkps.driver.train.RuntimeSettings;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DL4J network over cached partitions with SparkPS's parameter server, as
 * {@link io.sparkps.driver.train.DistributedTrainer} trains SparkPS's own models: one barrier
 * stage per epoch ({@link BarrierEpoch}), rounds paced by the server, the driver only starting
 * stages and reading the server's parameters back after each epoch. The workers' part is
 * {@link Dl4jEpochTask}.
 *
 * <p>Lifecycle: construct with the settings; call {@link #fit} any number of times (DL4J's Spark
 * API trains one epoch per {@code fit} call); {@link #close} stops the server. Between calls the
 * job stays on the server, with its optimizer state and round numbers, as long as the network
 * still holds the parameters the last call gave it and the data has the same partitions; else
 * the job starts again from the network's parameters (and, with gradients, a fresh optimizer
 * state), which the log says.
 */
public final class Dl4jTrainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dl4jTrainer.class);

  /**
   * Algorithm and runtime settings.
   *
   * @param batchSize examples per worker and minibatch (SparkPS's {@link EpochPlan} cuts each
   *     partition into the same number of minibatches, about this size)
   * @param localSteps 0: workers push gradients and the server applies {@code optimizer}; K >= 1:
   *     workers take K steps of DL4J's own updater per round and push the change
   * @param optimizer the server's rule with gradients; empty reads it from the network's updater
   * @param seed the shuffle seed
   * @param shuffle whether each epoch visits a partition's examples in a new seeded order
   * @param runtime where the server runs, its synchronization mode and pull deadline
   */
  public record Settings(int batchSize, int localSteps, Optional<Optimizer> optimizer, long seed,
      boolean shuffle, RuntimeSettings runtime) implements java.io.Serializable {
    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSizePerWorker must be at least 1, got "
            + batchSize);
      }
      if (localSteps < 0) {
        throw new IllegalArgumentException("localSteps must be at least 1, got " + localSteps);
      }
    }
  }

  /**
   * One epoch: its number in this trainer, mean training loss, examples, rounds, the server's
   * version after it, its wall time, and of the slowest worker the seconds spent computing and
   * waiting for the server (push, the other workers, and the reply).
   */
  public record EpochResult(int epoch, double meanLoss, long examples, int rounds,
      long version, double seconds, double computeSeconds, double waitSeconds) {
  }

  private final Settings settings;
  private final org.apache.spark.api.java.JavaSparkContext sc;
  private final Dl4jCheckpoints checkpoints;
  private ParameterServerSession session;
  private float[] lastVector = new float[0];
  private int[] lastRows = new int[0];
  private int countedRdd = -1;
  private int[] counted = new int[0];
  private long version;
  private int epochs;

  /**
   * A trainer; with the runtime's {@code checkpointDir} it claims that directory for a new run
   * and checkpoints after every epoch ({@link Dl4jCheckpoints}).
   */
  public Dl4jTrainer(org.apache.spark.api.java.JavaSparkContext sc, Settings settings) {
    this(sc, settings, Dl4jCheckpoints.of(settings.runtime(), sc.hadoopConfiguration()));
  }

  /**
   * A trainer checkpointing into {@code checkpoints}: none, a new run's, or the run being
   * resumed ({@link Dl4jCheckpoints#resume}), whose state {@link #resume} loads.
   */
  public Dl4jTrainer(org.apache.spark.api.java.JavaSparkContext sc, Settings settings,
      Dl4jCheckpoints checkpoints) {
    this.sc = sc;
    this.settings = settings;
    this.checkpoints = checkpoints;
  }

  /** Every epoch of this run so far, the resumed run's included, as checkpointed. */
  public List<io.sparkps.core.train.EpochStats> history() {
    return checkpoints.history();
  }

  /**
   * Continues the checkpointed run: restores the parameter server's checkpoint (parameters, the
   * server's optimizer state, and with local steps DL4J's updater state in the same vector),
   * loads it into {@code net} with DL4J's iteration and epoch counters of the epochs done, and
   * returns their number. {@code net} is the run's network as configured (the counters of a
   * fresh network); {@code blocks} the same partitions as the run's. Without a checkpoint to
   * resume it returns 0 and changes nothing.
   */
  public int resume(Dl4jNet net, JavaRDD<NetBlock> blocks) {
    if (!checkpoints.resuming() || session != null) {
      return session == null ? 0 : epochs;
    }
    int[] rows = rows(blocks);
    EpochPlan plan = plan(rows);
    session = openSession();
    try {
      version = session.admin().restore();
      epochs = checkpoints.restored(version, plan.rounds(), settings.localSteps());
      lastVector = session.admin().snapshot().values();
      if (lastVector.length != vector(net).length) {
        throw new IllegalStateException("the checkpoint holds " + lastVector.length + " values "
            + "but the network has " + vector(net).length + " (parameters"
            + (settings.localSteps() > 0 ? " and updater state" : "") + "); resume with the "
            + "network and --local-steps of the checkpointed run");
      }
    } catch (RuntimeException | Error ex) {
      abandon();
      throw ex;
    }
    load(net, lastVector);
    net.setIterationCount(net.iterationCount() + epochs * plan.stepsPerEpoch());
    net.setEpochCount(net.epochCount() + epochs);
    lastRows = rows;
    LOG.info("resumed after epoch {} (round {}) from the checkpoint of run {}", epochs, version,
        checkpoints.runId());
    return epochs;
  }

  /** Each partition's examples: one Spark job per cached RDD (0.4-1 s on a busy cluster). */
  private int[] rows(JavaRDD<NetBlock> blocks) {
    if (blocks.id() != countedRdd) {
      int[] rows = blocks.map(NetBlock::rows).collect().stream().mapToInt(Integer::intValue)
          .toArray();
      if (Arrays.stream(rows).sum() == 0) {
        throw new IllegalArgumentException("the training data holds no examples");
      }
      counted = rows;
      countedRdd = blocks.id();
    }
    return counted.clone();
  }

  private EpochPlan plan(int[] rows) {
    return EpochPlan.of(rows, settings.batchSize(), Math.max(1, settings.localSteps()));
  }

  private ParameterServerSession openSession() {
    return ParameterServerSession.open(settings.runtime(),
        sc.getConf().get("spark.driver.host", "127.0.0.1"), checkpoints.psDir());
  }

  /**
   * Trains {@code net} (changed in place: parameters, updater state with local steps, DL4J's
   * iteration and epoch counters) for {@code epochs} epochs over {@code blocks}, one cached
   * block per partition, and returns each epoch's account.
   */
  public List<EpochResult> fit(Dl4jNet net, JavaRDD<NetBlock> blocks, int epochCount,
      Consumer<EpochResult> listener) {
    resume(net, blocks);
    int[] rows = rows(blocks);
    float[] vector = vector(net);
    Runnable init = () -> { };
    if (session == null || !Arrays.equals(rows, lastRows) || !Arrays.equals(vector, lastVector)) {
      if (checkpoints.enabled() && epochs > 0) {
        throw new IllegalStateException("the network's parameters or the data's partitions "
            + "changed since the last fit of this checkpointed run, or its last epoch failed; "
            + "its parameter server job would start again at round 0. Keep the network and the "
            + "RDD between fits, continue a failed run from its checkpoint (a new master built "
            + "with resumeFrom, or 'sparkps resume'), or train without a checkpoint directory");
      }
      if (session != null) {
        LOG.info("The network's parameters or the data's partitions changed since the last fit: "
            + "the parameter server's job starts again from the network.");
      }
      JobSpec spec = new JobSpec(vector.length, optimizer(net), new InitialValues.Values(vector),
          rows.length, RuntimeSettings.mode(settings.runtime().sync()));
      if (session == null) {
        session = openSession();
      }
      ParameterServerSession ps = session;
      init = () -> ps.admin().init(spec);
      version = 0;
    }
    boolean sync = RuntimeSettings.mode(settings.runtime().sync()) instanceof ConsistencyMode.Sync;
    List<EpochResult> results = new ArrayList<>();
    try {
      for (int e = 0; e < epochCount; e++) {
        long t0 = System.nanoTime();
        EpochPlan plan = plan(rows);
        int epoch = ++epochs;
        Dl4jEpochJob job = new Dl4jEpochJob(net.configJson(), settings.localSteps(), plan, epoch,
            net.epochCount(), version, net.iterationCount(), settings.seed(), settings.shuffle(),
            session.workers(), settings.runtime().pullDeadlineSeconds(), sync);
        List<EpochReport> reports = BarrierEpoch.run(blocks, epoch, EpochReport.class,
            new Dl4jEpochTask(job), e == 0 ? init : () -> { });
        version += plan.rounds();
        lastVector = session.admin().snapshot().values();
        load(net, lastVector);
        net.setIterationCount(net.iterationCount() + plan.stepsPerEpoch());
        net.setEpochCount(net.epochCount() + 1);
        long examples = reports.stream().mapToLong(EpochReport::examples).sum();
        double loss = reports.stream().mapToDouble(EpochReport::lossSum).sum();
        EpochResult r = new EpochResult(epoch, examples == 0 ? Double.NaN : loss / examples,
            examples, plan.rounds(), version, (System.nanoTime() - t0) / 1e9,
            reports.stream().mapToDouble(EpochReport::computeSeconds).max().orElse(0),
            reports.stream().mapToDouble(EpochReport::waitSeconds).max().orElse(0));
        LOG.info(String.format(java.util.Locale.ROOT, "epoch %d: training loss %.6f over %d "
            + "examples, %d rounds, %.2f s (slowest worker: %.2f s computing, %.2f s waiting, "
            + "%.2f s setting up)", r.epoch(), r.meanLoss(), examples, plan.rounds(), r.seconds(),
            r.computeSeconds(), r.waitSeconds(),
            reports.stream().mapToDouble(EpochReport::setupSeconds).max().orElse(0)));
        // checkpointed before anyone hears of the epoch: what was reported can be resumed
        checkpoints.epochEnded(session.admin(), r, settings.localSteps());
        results.add(r);
        listener.accept(r);
      }
      lastRows = rows;
      return results;
    } catch (RuntimeException | Error ex) {
      // the server's job is in an unknown round: the next fit starts again, and the checkpoint
      // of the last completed epoch stays the one to resume from (no last checkpoint)
      abandon();
      throw ex;
    }
  }

  private void abandon() {
    if (session != null) {
      session.abandon();
      session = null;
      lastVector = new float[0];
    }
  }

  /** The server's vector for {@code net}: its parameters, then (local steps) updater state. */
  private float[] vector(Dl4jNet net) {
    float[] p = net.params();
    if (settings.localSteps() == 0) {
      return p;
    }
    float[] s = net.updaterState();
    float[] v = Arrays.copyOf(p, p.length + s.length);
    System.arraycopy(s, 0, v, p.length, s.length);
    return v;
  }

  private void load(Dl4jNet net, float[] v) {
    net.load(v);
  }

  /** The server's rule: with gradients the network's updater (or the given one), else adding. */
  private Optimizer optimizer(Dl4jNet net) {
    if (settings.localSteps() > 0) {
      return Sgd.of(1); // unused: the server adds the mean delta of the workers
    }
    return settings.optimizer().orElseGet(() -> ServerOptimizer.of(net));
  }

  /**
   * The server's account of the pushes of the current job: {@code duplicates} were acknowledged
   * and ignored (a retried task's pushes the server had counted), {@code irregularRounds} are
   * rounds whose counted pushes differ from the number of partitions, which a synchronous run
   * never has; both only while the server's job runs (before {@link #close}).
   */
  public record PushAccount(long rounds, long duplicates, long irregularRounds) {
  }

  /** The pushes of the server's current job so far ({@link PushAccount}). */
  public PushAccount pushAccount() {
    if (session == null) {
      throw new IllegalStateException("no parameter server job: fit first, and ask before close");
    }
    List<io.sparkps.ps.api.RoundStats> rounds = session.admin().history(0);
    boolean sync = RuntimeSettings.mode(settings.runtime().sync()) instanceof ConsistencyMode.Sync;
    int partitions = lastRows.length;
    return new PushAccount(rounds.size(),
        rounds.stream().mapToLong(io.sparkps.ps.api.RoundStats::duplicates).sum(),
        sync ? rounds.stream().filter(r -> r.pushes() != partitions).count() : 0);
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
      session = null;
      lastVector = new float[0];
    }
  }
}
