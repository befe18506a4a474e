package io.sparkps.bench.compare;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every trainer JVM of the comparison takes, whichever library it runs (a picocli
 * mixin of {@link TrainerMain} and of DL4J's trainer in {@code bench/dl4j}); {@link CompareMain}
 * passes the first ones, the warm-up ones keep their defaults unless {@code --trainer-args} sets
 * them.
 */
public final class TrainerOptions {

  @Option(names = "--prepared", required = true, description = "Folder of the prepared dataset.")
  public Path prepared;

  @Option(names = "--dataset", required = true, description = "The dataset's name.")
  public String dataset;

  @Option(names = "--parts", defaultValue = "2", description = "Parts the data was prepared in.")
  public int parts;

  @Option(names = "--cores", defaultValue = "2", description = "Spark cores, local[N].")
  public int cores;

  @Option(names = "--budget-seconds", defaultValue = "600",
      description = "Training time after which iterative trainers stop.")
  public double budget;

  @Option(names = "--hidden", defaultValue = "64,64", split = ",",
      description = "Hidden layer widths of the perceptrons.")
  public List<Integer> hidden;

  @Option(names = "--seed", defaultValue = "42", description = "Seeds initialization and shuffles.")
  public long seed;

  @Option(names = "--warmup-rows", defaultValue = "100000",
      description = "Rows of the untimed warm-up fits before the timed one; 0 for none.")
  public int warmupRows;

  @Option(names = "--warmup-fits", defaultValue = "3",
      description = "Least number of untimed fits on the warm-up rows, each with the timed "
          + "fit's settings.")
  public int warmupFits;

  @Option(names = "--warmup-seconds", defaultValue = "10",
      description = "Warm-up fits go on until they have taken this long in all (and at least "
          + "--warmup-fits were made), so that JIT compilation has settled before the clock "
          + "starts whether one fit takes 50 ms or 5 s.")
  public double warmupSeconds;

  @Option(names = "--result", required = true, description = "Where to write the JSON result.")
  public Path result;

  /** Whether to warm up at all. */
  public boolean warmsUp() {
    return warmupRows > 0 && warmupFits > 0;
  }

  /** The warm-up policy these options set. */
  public Warmup warmup() {
    return new Warmup(warmsUp() ? warmupFits : 0, warmupSeconds);
  }

  /**
   * Untimed fits before the timed one, alike for every trainer: at least {@code fits}, and on
   * until they have taken {@code seconds} in all (JMH's time-bounded warm-up, so a trainer whose
   * fit takes 50 ms gets as much JIT warm-up as one whose fit takes seconds).
   *
   * @param fits least number of fits; 0 for no warm-up
   * @param seconds least total time of the fits
   */
  public record Warmup(int fits, double seconds) {
    /** Runs {@code fit} as this policy says; returns how many fits it made. */
    public int run(Runnable fit) {
      if (fits <= 0) {
        return 0;
      }
      long t0 = System.nanoTime();
      int n = 0;
      while (n < fits || (System.nanoTime() - t0) / 1e9 < seconds) {
        fit.run();
        n++;
      }
      System.out.printf("warm-up: %d fits in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      return n;
    }
  }
}
