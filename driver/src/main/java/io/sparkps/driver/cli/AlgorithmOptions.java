package io.sparkps.driver.cli;

import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Optimizers;
import io.sparkps.core.train.TrainingConfig;
import picocli.CommandLine.Option;

/** Algorithm settings: epochs, batches, optimizer, schedule, penalties, early stopping, seed. */
public final class AlgorithmOptions {

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "20",
      description = "Passes over the training data. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64",
      description = "Examples per update. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
      description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw. "
          + "Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--lr", paramLabel = "X", defaultValue = "0.01",
      description = "Learning rate. Default: ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
      description = "Learning-rate schedule: constant or cosine (down to lr/100 at the last "
          + "update). Default: ${DEFAULT-VALUE}.")
  String schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
      description = "Linear warm-up over this many updates first. Default: ${DEFAULT-VALUE}.")
  long warmup;

  @Option(names = "--l1", paramLabel = "X", defaultValue = "0",
      description = "L1 penalty on the weights. Default: ${DEFAULT-VALUE}.")
  double l1;

  @Option(names = "--l2", paramLabel = "X", defaultValue = "0",
      description = "L2 penalty on the weights. Default: ${DEFAULT-VALUE}.")
  double l2;

  @Option(names = "--clip-norm", paramLabel = "X", defaultValue = "0",
      description = "Clip each gradient to this L2 norm; 0 is off. Default: ${DEFAULT-VALUE}.")
  double clipNorm;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
      description = "Stop after N epochs without a better validation loss; 0 never stops early. "
          + "Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--local-steps", paramLabel = "K", defaultValue = "1",
      description = "Optimizer steps each worker takes on its own per round; 1 pushes gradients, "
          + "more pushes parameter deltas (parameter averaging). Default: ${DEFAULT-VALUE}.")
  int localSteps;

  @Option(names = "--overlap", description = "With --local-steps: each worker sends a round's "
      + "delta and computes the next round before the average comes back, from the last average "
      + "plus its own delta, so the round trip and the wait for the slowest worker hide behind "
      + "compute (deltas one round stale; one worker trains as without).")
  boolean overlap;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seeds initialization, shuffling and the validation split. "
          + "Default: ${DEFAULT-VALUE}.")
  long seed;

  /**
   * The training configuration for {@code trainRows} rows over {@code workers} partitions: the
   * optimizer steps per epoch (minibatches of {@code batchSize} rows per worker; with local
   * steps the workers' own optimizers take them) size the cosine schedule, which ends at the
   * last step of the last epoch.
   */
  public TrainingConfig toConfig(double validationFraction, long trainRows, int workers) {
    // the schedule counts optimizer steps: one per round on the server with one local step, one
    // per minibatch on each worker with several
    long perStep = (long) workers * batchSize;
    return toConfig(validationFraction, (trainRows + perStep - 1) / perStep);
  }

  /**
   * The training configuration; {@code updatesPerEpoch} sizes the cosine schedule, which ends at
   * the last update of the last epoch.
   */
  public TrainingConfig toConfig(double validationFraction, long updatesPerEpoch) {
    long total = Math.max(2, epochs * Math.max(1, updatesPerEpoch) - warmup);
    LearningRateSchedule s = switch (schedule.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "constant" -> new LearningRateSchedule.Constant(lr);
      case "cosine" -> new LearningRateSchedule.Cosine(lr, total, lr / 100);
      default -> throw new IllegalArgumentException("--schedule must be constant or cosine, got '"
          + schedule + "'");
    };
    if (warmup > 0) {
      s = new LearningRateSchedule.WarmUp(warmup, s);
    }
    return new TrainingConfig(epochs, batchSize, Optimizers.parse(optimizer, s),
        new Regularizer(l1, l2), clipNorm, seed, validationFraction, patience, localSteps,
        overlap);
  }
}
