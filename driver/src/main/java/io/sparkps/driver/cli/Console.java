package io.sparkps.driver.cli;

import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EpochStats;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.train.RunReport;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run tells the person watching it: a progress bar within each epoch when
 * standard error is a terminal (plain log lines otherwise), a line per epoch, and the results.
 */
final class Console {
  private static final int BAR = 30;

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean terminal;
  private boolean barShown;

  Console(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
    this.terminal = System.console() != null && System.getenv("CI") == null;
  }

  void start(ModelSpec spec, int parameters, SparkDataset ds, RuntimeSettings runtime) {
    String width = ds.hashing().map(h -> String.format(Locale.ROOT, "sparse rows, %d columns "
        + "hashed into 2^%d buckets,", h.columns().size(), h.hashBits()))
        .orElse(ds.sparse() ? String.format(Locale.ROOT, "sparse rows of %,d features",
            ds.features()) : String.format(Locale.ROOT, "rows x %d features", ds.features()));
    err.printf(Locale.ROOT, "loaded %,d training and %,d validation %s in %.1f s%s%n",
        ds.trainRows(), ds.validationRows(), width, ds.loadSeconds(),
        ds.skippedRows() > 0 ? String.format(Locale.ROOT, " (%,d bad rows skipped)",
            ds.skippedRows()) : "");
    err.printf(Locale.ROOT, "training %s %s, %,d parameters, on %d workers, %s, parameter "
        + "server %s%n", spec.name(), spec.shape(), parameters, runtime.workers(),
        runtime.sync(), runtime.parameterServers().isEmpty() ? "in process ("
            + runtime.shards() + " shard" + (runtime.shards() > 1 ? "s)" : ")")
            : String.join(",", runtime.parameterServers()));
    err.flush();
  }

  /** Within an epoch: a bar with rounds, rate and time left, on terminals only. */
  void rounds(int epoch, int epochs, long done, long total, double elapsed) {
    if (!terminal || total == 0) {
      return;
    }
    int filled = (int) (BAR * done / total);
    double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
    err.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d rounds, %.0f rounds/s, ETA %s   ", epoch,
        epochs, "#".repeat(filled), ".".repeat(BAR - filled), done, total, done / elapsed,
        Double.isNaN(eta) ? "?" : String.format(Locale.ROOT, "%.0fs", eta));
    err.flush();
    barShown = true;
  }

  void epoch(EpochStats s) {
    if (barShown) {
      err.print("\r" + " ".repeat(BAR + 60) + "\r");
      barShown = false;
    }
    StringBuilder validation = new StringBuilder();
    if (!Double.isNaN(s.validationLoss())) {
      validation.append(String.format(Locale.ROOT, ", validation loss %.5f", s.validationLoss()));
    }
    s.validationMetrics().entrySet().stream().findFirst().ifPresent(e -> validation.append(
        String.format(Locale.ROOT, ", validation %s %.4f", e.getKey(), e.getValue())));
    err.printf(Locale.ROOT, "epoch %d: loss %.5f%s, %,.0f rows/s, %.1f s%n", s.epoch(),
        s.trainLoss(), validation, s.rowsPerSecond(), s.seconds());
    err.flush();
  }

  void results(Map<String, Double> metrics, RunReport r) {
    err.printf(Locale.ROOT, "trained in %.1f s: %,d rounds, %,.0f rows/s, %.1f MB exchanged%s%n",
        r.trainSeconds(), r.rounds(), r.rowsPerSecond(), r.bytesExchanged() / 1e6,
        r.stoppedEarly() ? ", stopped early (best epoch " + r.bestEpoch() + ")" : "");
    err.flush();
    metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%-22s %.6f%n", k, v));
    out.flush();
  }
}
