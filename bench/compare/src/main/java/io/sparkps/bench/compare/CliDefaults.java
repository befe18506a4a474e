package io.sparkps.bench.compare;

import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.core.train.TrainingDefaults;
import io.sparkps.driver.cli.AlgorithmOptions;
import io.sparkps.driver.cli.ModelOptions;
import java.util.List;

/**
 * Settings as {@code sparkps train} gives them from its defaults, for the bench's "defaults"
 * rows: the command line's own option classes parse the given model flags ({@code --model} and,
 * where the model has them, {@code --hidden} or {@code --factors}) and supply every other
 * setting: the model family's batch size and rate ({@link TrainingDefaults}), the step schedule,
 * {@code --local-steps auto}, {@code --backend auto}, at most 20 epochs stopped by convergence of
 * the validation loss, no L2. As {@code train} does with its default {@code --validation 0.2}, the
 * rows of each training block (in random order) are split: the last fifth is held out for the
 * convergence checks.
 *
 * @param flags the command line flags given, as a user would type them
 * @param spec the model they name on the data
 * @param config the training configuration the defaults give for the data's training rows
 */
record CliDefaults(List<String> flags, ModelSpec spec, TrainingConfig config) {
  /** The CLI's default {@code --validation}. */
  static final double VALIDATION = 0.2;

  /**
   * The settings of {@code modelFlags} for rows {@code width} columns wide with labels 0 and 1,
   * sparse or not, {@code fields} fields a row (hashed columns; 0 for none), {@code trainRows}
   * training rows (the validation fifth excluded) over {@code workers} workers. {@code shown} are
   * flags the command line takes besides the model's (such as {@code --ps-layout keyed}), named
   * in the row's settings only.
   */
  static CliDefaults of(List<String> modelFlags, List<String> shown, int width, boolean sparse,
      int fields, long trainRows, int workers) {
    ModelOptions model = new ModelOptions();
    new picocli.CommandLine(model).parseArgs(modelFlags.toArray(String[]::new));
    ModelSpec spec = model.toSpec(width, List.of("0", "1"), sparse, fields);
    AlgorithmOptions algorithm = AlgorithmOptions.parse(); // every algorithm option at its default
    TrainingConfig config = algorithm.toConfig(TrainingDefaults.familyOf(spec), VALIDATION,
        trainRows, workers);
    List<String> flags = new java.util.ArrayList<>(modelFlags);
    flags.addAll(shown);
    return new CliDefaults(List.copyOf(flags), spec, config);
  }

  /** The rows of a block of {@code rows} that train; the rest validate. */
  static int cut(int rows) {
    return rows - (int) Math.round(rows * VALIDATION);
  }

  /** The training rows of blocks of {@code partitionRows} rows, the validation rows excluded. */
  static long trainRows(int[] partitionRows) {
    long n = 0;
    for (int rows : partitionRows) {
      n += cut(rows);
    }
    return n;
  }

  /** "given only --model ...", as a row's settings start. */
  String given() {
    return "given only " + String.join(" ", flags);
  }
}
