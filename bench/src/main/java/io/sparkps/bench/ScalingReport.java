package io.sparkps.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link WorkerRoundBench} with one thread and with two and prints the rows per second of
 * each and their ratio: how far two workers' compute scales on this machine, with no Spark and
 * no parameter server in the way.
 */
public final class ScalingReport {
  private ScalingReport() {
  }

  public static void main(String[] args) throws RunnerException {
    double[] rowsPerSecond = new double[3];
    double[] error = new double[3];
    for (int threads = 1; threads <= 2; threads++) {
      RunResult r = new Runner(new OptionsBuilder()
          .include(WorkerRoundBench.class.getSimpleName()).threads(threads).build())
          .runSingle();
      // JMH sums the throughput of the threads
      rowsPerSecond[threads] = r.getPrimaryResult().getScore() * WorkerRoundBench.ROWS_PER_ROUND;
      error[threads] = r.getPrimaryResult().getScoreError() / r.getPrimaryResult().getScore();
    }
    System.out.println();
    System.out.println("| workers (threads) | rows/s, all threads | error (99.9%) |");
    System.out.println("|---|---|---|");
    for (int t = 1; t <= 2; t++) {
      System.out.printf("| %d | %.3g | %.1f%% |%n", t, rowsPerSecond[t], 100 * error[t]);
    }
    System.out.printf("%nTwo threads give %.2fx the rows per second of one.%n",
        rowsPerSecond[2] / rowsPerSecond[1]);
  }
}
