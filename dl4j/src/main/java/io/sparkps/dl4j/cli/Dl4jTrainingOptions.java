package io.sparkps.dl4j.cli;

import io.sparkps.dl4j.Dl4jTrainer;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a DL4J network trains, shared by {@code train --model dl4j} and its {@code retrain}. */
public final class Dl4jTrainingOptions {

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
      description = "Passes over the training data (retrain: the new data). Default: "
          + "${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32",
      description = "Examples per worker and minibatch. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--local-steps", paramLabel = "K", defaultValue = "0",
      description = "0: workers push gradients and the server applies the network's updater; "
          + "K >= 1: workers take K steps of DL4J's own updater per round and the server "
          + "averages parameters and updater state. Default: ${DEFAULT-VALUE}.")
  int localSteps;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the validation split and the shuffles. Default: ${DEFAULT-VALUE}.")
  long seed;

  /** The trainer's settings for these options on {@code runtime}. */
  Dl4jTrainer.Settings settings(RuntimeSettings runtime) {
    return new Dl4jTrainer.Settings(batchSize, localSteps, Optional.empty(), seed, true,
        runtime);
  }
}
