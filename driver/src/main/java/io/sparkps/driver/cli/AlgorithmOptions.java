package io.sparkps.driver.cli;

import io.sparkps.core.model.ModelKind;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Ftrl;
import io.sparkps.core.optim.Optimizers;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.core.train.TrainingDefaults;
import picocli.CommandLine.Option;

/**
 * Algorithm settings: epochs, batches, optimizer, schedule, penalties, stopping by convergence,
 * local steps, seed. {@code auto} values take the model family's defaults
 * ({@link TrainingDefaults}); the YAML job file uses the same names.
 */
public final class AlgorithmOptions {
  private static final String AUTO = "auto";

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + TrainingDefaults.MAX_EPOCHS,
      description = "The most passes over the training data; training usually stops sooner, by "
          + "convergence (--tol, --patience). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = AUTO,
      description = "Examples per update and worker; auto: 256 for linear, logistic and "
          + "softmax, 128 for mlp, less on small data (16 updates an epoch, at least 8 rows). "
          + "Default: ${DEFAULT-VALUE}.")
  String batchSize;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
      description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, or ftrl "
          + "(FTRL-Proximal, McMahan et al. 2013: --lr is its alpha, --l1 and --l2 its own "
          + "penalties, stepped per key on the servers; only with --ps-layout keyed). "
          + "Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--ftrl-beta", paramLabel = "X", defaultValue = "" + Ftrl.DEFAULT_BETA,
      description = "FTRL's beta, added to the root of a coordinate's summed squared gradients "
          + "before it scales the rate (McMahan et al.: 1 is usually good enough). "
          + "Default: ${DEFAULT-VALUE}.")
  double ftrlBeta;

  @Option(names = "--lr", paramLabel = "X", defaultValue = AUTO,
      description = "Learning rate (the first with --schedule step); auto: 0.01 for "
          + "linear, logistic and softmax, 0.003 for mlp, 0.1 (alpha) with --optimizer ftrl. "
          + "Default: ${DEFAULT-VALUE}.")
  String lr;

  @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "step",
      description = "Learning-rate schedule: step (halves at every convergence check: each "
          + "epoch, or each --check-rows rows of a longer one; at most every 500 updates), "
          + "constant, or cosine (down to lr/100 at the last update of --epochs). "
          + "Default: ${DEFAULT-VALUE}.")
  String schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
      description = "Linear warm-up over this many updates first. Default: ${DEFAULT-VALUE}.")
  long warmup;

  @Option(names = "--l1", paramLabel = "X", defaultValue = "0",
      description = "L1 penalty on the weights (with --optimizer ftrl FTRL's own L1, whose "
          + "exact zeros are not stored: about 0.001 to 0.1 for minibatch mean gradients). "
          + "Default: ${DEFAULT-VALUE}.")
  double l1;

  @Option(names = "--l2", paramLabel = "X", defaultValue = "0",
      description = "L2 penalty on the weights (with --optimizer ftrl FTRL's own L2). "
          + "Default: ${DEFAULT-VALUE}.")
  double l2;

  @Option(names = "--clip-norm", paramLabel = "X", defaultValue = "0",
      description = "Clip each gradient to this L2 norm; 0 is off. Default: ${DEFAULT-VALUE}.")
  double clipNorm;

  @Option(names = "--tol", paramLabel = "X", defaultValue = "" + TrainingDefaults.TOL,
      description = "Convergence tolerance: a check improves when the validation loss (the "
          + "training loss without --validation) falls by this share of the last improving "
          + "one. Default: ${DEFAULT-VALUE}.")
  double tol;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "" + TrainingDefaults.PATIENCE,
      description = "Stop after N checks in a row without improving by --tol, keeping the best "
          + "model seen; 0 runs all --epochs. Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--check-rows", paramLabel = "ROWS",
      defaultValue = "" + TrainingDefaults.CHECK_ROWS,
      description = "Check convergence at the end of every epoch and, in longer epochs, after "
          + "about every ROWS training rows; 0 only at epoch ends. Default: ${DEFAULT-VALUE}.")
  long checkRows;

  @Option(names = "--local-steps", paramLabel = "K", defaultValue = AUTO,
      description = "Optimizer steps each worker takes on its own per round; 1 pushes gradients, "
          + "more pushes parameter deltas (parameter averaging); auto picks K so a round computes "
          + "4x as long as it waits, with at least 8 rounds an epoch (1 on small data), "
          + "measuring a minibatch and the round trip first unless the model is too small for "
          + "that to change K. Default: ${DEFAULT-VALUE}.")
  String localSteps;

  @Option(names = "--overlap", description = "With --local-steps: each worker sends a round's "
      + "delta and computes the next round before the average comes back, from the last average "
      + "plus its own delta, so the round trip and the wait for the slowest worker hide behind "
      + "compute (deltas one round stale; one worker trains as without).")
  boolean overlap;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seeds initialization, shuffling and the validation split. "
          + "Default: ${DEFAULT-VALUE}.")
  long seed;

  /** Options parsed from {@code args} alone (the defaults for the rest), as the CLI reads them. */
  public static AlgorithmOptions parse(String... args) {
    AlgorithmOptions o = new AlgorithmOptions();
    new picocli.CommandLine(o).parseArgs(args);
    return o;
  }

  /** The batch size, {@code auto} resolved for {@code kind} and the rows of a worker. */
  public int batchSize(ModelKind kind, long rowsPerWorker) {
    return AUTO.equals(batchSize.trim()) ? TrainingDefaults.of(kind).batchSizeFor(rowsPerWorker)
        : positiveInt("--batch-size", batchSize);
  }

  /** The learning rate, {@code auto} resolved for {@code kind}. */
  public double learningRate(ModelKind kind) {
    if (AUTO.equals(lr.trim())) {
      return ftrl() ? Ftrl.DEFAULT_ALPHA : TrainingDefaults.of(kind).learningRate();
    }
    try {
      return Double.parseDouble(lr.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--lr must be a number or auto, got '" + lr + "'");
    }
  }

  /** The local steps: {@link TrainingConfig#AUTO_LOCAL_STEPS} for auto. */
  int localSteps() {
    return AUTO.equals(localSteps.trim()) ? TrainingConfig.AUTO_LOCAL_STEPS
        : positiveInt("--local-steps", localSteps);
  }

  private static int positiveInt(String option, String value) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the message below names the value
    }
    throw new IllegalArgumentException(option + " must be a whole number of at least 1 or auto, "
        + "got '" + value + "'");
  }

  /**
   * The training configuration of a {@code kind} model for {@code trainRows} rows over
   * {@code workers} partitions: the optimizer steps per epoch (minibatches of the batch size per
   * worker; with local steps the workers' own optimizers take them) size the schedules: the
   * step schedule halves the rate after the steps of each convergence check (an epoch, or a
   * part of about --check-rows rows of a longer one), and at most once per
   * {@link TrainingDefaults#MIN_STEPS_PER_DECAY} steps; the cosine one ends at the last step of
   * the last epoch.
   */
  public TrainingConfig toConfig(ModelKind kind, double validationFraction, long trainRows,
      int workers) {
    int batch = batchSize(kind, trainRows / Math.max(1, workers));
    long perStep = (long) workers * batch;
    long perEpoch = Math.max(1, (trainRows + perStep - 1) / perStep);
    TrainingConfig c = config(batch, validationFraction, new LearningRateSchedule.Constant(1));
    long perDecay = Math.max(TrainingDefaults.MIN_STEPS_PER_DECAY,
        perEpoch / c.checksPerEpoch(trainRows));
    double rate = learningRate(kind);
    LearningRateSchedule s = switch (schedule.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "step" -> new LearningRateSchedule.StepDecay(rate, perDecay,
          TrainingDefaults.DECAY_PER_CHECK);
      case "constant" -> new LearningRateSchedule.Constant(rate);
      case "cosine" -> new LearningRateSchedule.Cosine(rate, Math.max(2, epochs * perEpoch
          - warmup), rate / 100);
      default -> throw new IllegalArgumentException("--schedule must be step, constant or "
          + "cosine, got '" + schedule + "'");
    };
    if (warmup > 0) {
      s = new LearningRateSchedule.WarmUp(warmup, s);
    }
    return config(batch, validationFraction, s);
  }

  private TrainingConfig config(int batch, double validationFraction, LearningRateSchedule s) {
    boolean f = ftrl();
    return new TrainingConfig(epochs, batch, f ? new Ftrl(s, ftrlBeta, l1, l2)
        : Optimizers.parse(optimizer, s), f ? new Regularizer(0, 0) : new Regularizer(l1, l2),
        clipNorm, seed, validationFraction, patience, localSteps(), overlap, tol, checkRows);
  }

  /**
   * Whether the optimizer is FTRL, whose L1 and L2 (from {@code --l1} and {@code --l2}) are its
   * own, applied by the servers' per-key rule rather than by the workers' regularizer.
   */
  public boolean ftrl() {
    return "ftrl".equals(optimizer.strip().toLowerCase(java.util.Locale.ROOT));
  }
}
