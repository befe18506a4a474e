package io.sparkps.dl4j;

import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochStats;
import io.sparkps.driver.train.RunCheckpoint;
import io.sparkps.driver.train.RuntimeSettings;
import io.sparkps.ps.client.ParameterServerAdmin;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The checkpoints of a DL4J run, in SparkPS's layout ({@link RunCheckpoint}): after every epoch
 * the parameter server's shards checkpoint under {@code <dir>/ps/<run id>/} (the network's flat
 * parameters, the server's optimizer state, and with local steps DL4J's updater state, which
 * travels in the same vector), then the driver records the epoch and its history in
 * {@code <dir>/run/state.json}. Resuming restores the shards and continues after the last epoch
 * both recorded; the epoch's shuffle, DL4J's iteration and epoch counters and the rounds' numbers
 * all follow from the epoch number, so a resumed run in sync mode ends with the parameters of
 * the uninterrupted one. DL4J runs have no early stopping: the state's best loss is NaN and its
 * best parameters empty.
 */
public final class Dl4jCheckpoints {
  private final Optional<RunCheckpoint> run;
  private final Optional<RunCheckpoint.Resumed> resumed;
  private final List<EpochStats> history = new ArrayList<>();

  private Dl4jCheckpoints(Optional<RunCheckpoint> run, Optional<RunCheckpoint.Resumed> resumed) {
    this.run = run;
    this.resumed = resumed;
  }

  /** No checkpoints. */
  public static Dl4jCheckpoints none() {
    return new Dl4jCheckpoints(Optional.empty(), Optional.empty());
  }

  /** A new run claiming the runtime's checkpoint directory, if it names one. */
  public static Dl4jCheckpoints of(RuntimeSettings runtime, Configuration hadoop) {
    return new Dl4jCheckpoints(runtime.checkpointDir().map(d -> RunCheckpoint.create(d, hadoop)),
        Optional.empty());
  }

  /** A new run's checkpoints, the directory already claimed (and its job.yaml written). */
  public static Dl4jCheckpoints create(RunCheckpoint claimed) {
    return new Dl4jCheckpoints(Optional.of(claimed), Optional.empty());
  }

  /**
   * The checkpoints of the run that claimed {@code dir}, to continue it after the last epoch it
   * recorded (from the start when it recorded none).
   */
  public static Dl4jCheckpoints resume(RunCheckpoint opened) {
    return new Dl4jCheckpoints(Optional.of(opened), opened.read());
  }

  /** As {@link #resume(RunCheckpoint)}, opening the run of {@code dir}. */
  public static Dl4jCheckpoints resume(URI dir, Configuration hadoop) {
    return resume(RunCheckpoint.open(dir, hadoop));
  }

  /** Whether there is a recorded epoch to continue after. */
  public boolean resuming() {
    return resumed.isPresent();
  }

  /** Whether epochs are checkpointed. */
  public boolean enabled() {
    return run.isPresent();
  }

  /** The epochs the resumed run recorded (0 without one). */
  public int recordedEpochs() {
    return resumed.map(r -> r.state().epoch()).orElse(0);
  }

  /** Where the in-process parameter server checkpoints, if epochs are checkpointed. */
  public Optional<URI> psDir() {
    return run.map(RunCheckpoint::psDir);
  }

  /** The run's id, or "none". */
  public String runId() {
    return run.map(RunCheckpoint::runId).orElse("none");
  }

  /** Every epoch recorded so far, the resumed run's first. */
  public List<EpochStats> history() {
    return List.copyOf(history);
  }

  /**
   * Takes the resumed state once the server restored its checkpoint at {@code version}, with
   * {@code rounds} rounds per epoch; returns the epochs done. The server may be one epoch ahead
   * of the driver's state (killed between the two writes): that epoch is recorded now.
   */
  int restored(long version, int rounds, int localSteps) {
    RunCheckpoint.State s = resumed.orElseThrow().state();
    if (version % rounds != 0 || version / rounds < s.epoch()) {
      throw new IllegalStateException("the parameter server's checkpoint is at round " + version
          + " but the run's state is at the end of epoch " + s.epoch() + " (" + rounds
          + " rounds each); the checkpoint does not belong to this job: resume with the data, "
          + "--workers and --batch-size of the checkpointed run");
    }
    history.addAll(s.history());
    int done = (int) (version / rounds);
    if (done > s.epoch()) {
      history.add(new EpochStats(done, Double.NaN, Double.NaN, version, 0, 0));
      write(done, localSteps);
    }
    return done;
  }

  /** Checkpoints the server, then records the epoch; with no checkpoints only keeps history. */
  void epochEnded(ParameterServerAdmin admin, Dl4jTrainer.EpochResult r, int localSteps) {
    history.add(new EpochStats(r.epoch(), r.meanLoss(), Double.NaN, r.version(), r.examples(),
        r.seconds()));
    if (run.isPresent()) {
      admin.checkpoint();
      write(r.epoch(), localSteps);
    }
  }

  private void write(int epoch, int localSteps) {
    run.orElseThrow().write(new RunCheckpoint.State(epoch, List.copyOf(history), Double.NaN,
        epoch, 0, null, localSteps), new EarlyStopping.State(Double.NaN, epoch, 0, new float[0]));
  }
}
