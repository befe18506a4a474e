package io.sparkps.bench.compare;

import io.sparkps.driver.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One trainer on one prepared dataset, in a JVM of its own; {@link CompareMain} starts it. Writes
 * a {@link TrainerResult} as JSON.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Trains one SparkPS or Spark MLlib trainer on a prepared dataset and writes "
        + "its result as JSON (started by the comparison, one JVM per trainer).")
public final class TrainerMain implements Callable<Integer> {

  /** Trainers this class path runs; DL4J's run from bench/dl4j. */
  public static final List<String> TRAINERS = java.util.stream.Stream.concat(Stream.of(
      "mllib-lr", "mllib-mlp", "sparkps-lr", "sparkps-lr-local", "sparkps-lr-defaults",
      "sparkps-mlp", "sparkps-mlp-local", "sparkps-mlp-defaults", "sparkps-mlp-1w",
      "sparkps-mlp-2w", "mllib-lr-sparse", "mllib-fm", "sparkps-lr-sparse", "sparkps-fm",
      "sparkps-wide-deep", SparkPsKeyedTrainers.LR, SparkPsKeyedTrainers.FM),
      SparkPsSparseDefaults.NAMES.stream()).toList();

  /** Trainers of the sparse comparison (ctr-N, a9a as sparse rows). */
  public static boolean sparse(String trainer) {
    return SparseTrainers.NAMES.contains(trainer)
        || SparkPsSparseTrainers.NAMES.contains(trainer)
        || SparkPsKeyedTrainers.NAMES.contains(trainer)
        || SparkPsSparseDefaults.NAMES.contains(trainer);
  }

  @Option(names = "--trainer", required = true, description = "One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = Names.class)
  String trainer;

  @Option(names = "--epochs", defaultValue = "0", description = "Override the epochs (SparkPS).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "0", description = "Override (SparkPS).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0", description = "Override (SparkPS).")
  double lr;

  @Option(names = "--local-steps", defaultValue = "0", description = "Override (SparkPS).")
  int localSteps;

  @Option(names = "--backend", description = "Override the compute backend (SparkPS).")
  String backend;

  @Option(names = "--sync", description = "Override the parameter server's mode: sync, ssp:S or "
      + "async (SparkPS).")
  String consistency;

  @Option(names = "--overlap", arity = "1", description = "Override overlapped rounds, true or false "
      + "(SparkPS, local steps only).")
  Boolean overlap;

  @Option(names = "--factors", defaultValue = "8",
      description = "Factor size of the factorization machines. Default: ${DEFAULT-VALUE}.")
  int factors;

  @Option(names = "--reg-param", defaultValue = SparseTrainers.REG_PARAM,
      description = "L2 regParam of MLlib's sparse trainers. Default: ${DEFAULT-VALUE}.")
  double regParam;

  @Option(names = "--fm-step-size", defaultValue = SparseTrainers.FM_STEP_SIZE,
      description = "FMClassifier's stepSize (MLlib's own default, 1.0, diverges here). "
          + "Default: ${DEFAULT-VALUE}.")
  double fmStepSize;

  @Option(names = "--fm-max-iter", defaultValue = "100",
      description = "FMClassifier's largest maxIter: its fits (5, 15, 40, 100) stop at this one "
          + "(added if not among them). Default: ${DEFAULT-VALUE}.")
  int fmMaxIter;

  @CommandLine.Mixin
  TrainerOptions options;

  static final class Names extends java.util.ArrayList<String> {
    Names() {
      super(TRAINERS);
    }
  }

  @Override
  public Integer call() {
    if (!TRAINERS.contains(trainer)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--trainer '" + trainer
          + "' is not one of " + TRAINERS);
    }
    TrainerOptions o = options;
    if (sparse(trainer)) {
      return runSparse(o);
    }
    BenchData.Prepared data = BenchData.open(o.dataset, o.prepared, o.parts);
    String registrators = trainer.startsWith("sparkps") ? SparkSessions.REGISTRATORS : "";
    SparkSession spark = BenchSpark.start("bench " + trainer + " " + o.dataset, o.cores,
        registrators);
    try {
      BenchContext ctx = new BenchContext(trainer, data, data.test(), spark, o.cores, o.budget,
          o.hidden, o.seed, o.warmsUp() ? o.warmupRows : 0, o.warmup());
      TrainerResult r = switch (trainer) {
        case "mllib-lr" -> MllibTrainers.logistic(ctx);
        case "mllib-mlp" -> MllibTrainers.perceptron(ctx);
        case "sparkps-lr-defaults" -> SparkPsDefaults.run(ctx, false);
        case "sparkps-mlp-defaults" -> SparkPsDefaults.run(ctx, true);
        default -> SparkPsTrainers.run(ctx, overrides(SparkPsTrainers.defaults(trainer,
            o.cores, data.trainRows())));
      };
      r.write(o.result);
      System.out.printf("%s on %s: %.2f s, held-out accuracy %.4f, log loss %.5f%n", trainer,
          o.dataset, r.fitSeconds(), r.last().accuracy(), r.last().logLoss());
      return 0;
    } finally {
      spark.stop();
    }
  }

  private int runSparse(TrainerOptions o) {
    SparseBenchData.Prepared data = SparseBenchData.open(o.dataset, o.prepared, o.parts);
    String registrators = trainer.startsWith("sparkps") ? SparkSessions.REGISTRATORS : "";
    SparkSession spark = BenchSpark.start("bench " + trainer + " " + o.dataset, o.cores,
        registrators);
    try {
      SparseContext ctx = new SparseContext(trainer, data, data.test(), spark, o.cores,
          o.budget, factors, regParam, fmStepSize, fmMaxIter, o.seed, o.warmsUp() ? o.warmupRows : 0,
          o.warmup());
      TrainerResult r;
      if (SparkPsSparseDefaults.NAMES.contains(trainer)) {
        r = SparkPsSparseDefaults.run(ctx);
      } else if (SparkPsKeyedTrainers.NAMES.contains(trainer)) {
        r = SparkPsKeyedTrainers.run(ctx, overrides(SparkPsKeyedTrainers.defaults(trainer,
            o.cores)));
      } else if (SparkPsSparseTrainers.NAMES.contains(trainer)) {
        r = SparkPsSparseTrainers.run(ctx, overrides(SparkPsSparseTrainers.defaults(trainer,
            o.cores, data.trainRows())));
      } else {
        r = SparseTrainers.run(ctx);
      }
      r.write(o.result);
      System.out.printf("%s on %s: %.2f s, held-out AUC %.4f, log loss %.5f%n", trainer,
          o.dataset, r.fitSeconds(), r.last().aucOrNaN(), r.last().logLoss());
      return 0;
    } finally {
      spark.stop();
    }
  }

  private SparkPsTrainers.Settings overrides(SparkPsTrainers.Settings s) {
    return new SparkPsTrainers.Settings(s.mlp(), epochs > 0 ? epochs : s.epochs(),
        batchSize > 0 ? batchSize : s.batchSize(), lr > 0 ? lr : s.lr(),
        localSteps > 0 ? localSteps : s.localSteps(), s.workers(),
        backend != null ? backend : s.backend(),
        consistency != null ? consistency : s.consistency(),
        overlap != null ? overlap : s.overlap());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainerMain()).execute(args));
  }
}
