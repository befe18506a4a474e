package io.sparkps.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link KernelBench} and prints a Markdown table of rows per second and GFLOP/s per
 * kernel and minibatch size, on one core.
 */
public final class KernelReport {
  private KernelReport() {
  }

  public static void main(String[] args) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(KernelBench.class.getSimpleName()).build()).run();
    System.out.println();
    System.out.println("| kernel | backend | batch | rows/s (one core) | GFLOP/s | error (99.9%) |");
    System.out.println("|---|---|---|---|---|---|");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      int batch = Integer.parseInt(r.getParams().getParam("batch"));
      double perSecond = r.getPrimaryResult().getScore();
      double rows = perSecond * batch;
      double flops = name.endsWith("logisticGradient") ? KernelBench.LOGISTIC_FLOPS_PER_ROW
          : KernelBench.MLP_FLOPS_PER_ROW;
      System.out.printf("| %s | %s | %d | %.3g | %.2f | %.1f%% |%n",
          name.substring(name.lastIndexOf('.') + 1), r.getParams().getParam("backend"), batch,
          rows, rows * flops / 1e9,
          100 * r.getPrimaryResult().getScoreError() / perSecond);
    }
  }
}
