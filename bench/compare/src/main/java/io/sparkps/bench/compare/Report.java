package io.sparkps.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the trainers' results into the comparison's Markdown table and CSV, and checks the
 * targets of the issue as ratios within the same run (the plots: {@link ReportPlots}).
 */
public final class Report {

  /** Held-out accuracy a trainer must reach for "time to target" on each dataset. */
  static double accuracyTarget(String dataset) {
    String d = dataset.toLowerCase(Locale.ROOT);
    if (d.startsWith("synth-")) {
      return 0.925; // the perceptron's level in SYNTH.md (MLlib reaches 0.926-0.928)
    }
    if (d.equals("a9a")) {
      return 0.845; // LIBLINEAR's logistic regression reaches 0.8495
    }
    if (d.equals("ijcnn1")) {
      return 0.95; // above any linear model (0.919); perceptrons reach 0.97-0.98
    }
    return Double.NaN;
  }

  /** What a repeated run's label adds to its trainer's name: {@code sparkps-mlp-2w-run2}. */
  static final String RUN_SUFFIX = "-run";

  /** The trainer a run's label names. */
  static String trainerOf(String label) {
    int i = label.lastIndexOf(RUN_SUFFIX);
    return i > 0 && label.substring(i + RUN_SUFFIX.length()).matches("\\d+")
        ? label.substring(0, i) : label;
  }

  /** The name of the ground truth's reference result on ctr-N (its true probabilities). */
  static final String TRUTH = "truth";

  /** Slack on MLlib's final log loss that counts as reaching it. */
  static final double LOSS_SLACK = 1.005;

  private final List<TrainerResult> results;
  private final String machine;

  public Report(List<TrainerResult> results, String machine) {
    this.results = List.copyOf(results);
    this.machine = machine;
  }

  /** MLlib logistic regression's final held-out log loss on {@code dataset}, times the slack. */
  Optional<Double> lossTarget(String dataset) {
    return find(dataset, "mllib-lr").map(r -> r.last().logLoss() * LOSS_SLACK);
  }

  Optional<TrainerResult> find(String dataset, String trainer) {
    return results.stream().filter(r -> r.dataset().equals(dataset)
        && r.trainer().equals(trainer)).findFirst();
  }

  private List<String> datasets() {
    return results.stream().map(TrainerResult::dataset).distinct().toList();
  }

  /** Every trainer's result, in the order given. */
  List<TrainerResult> results() {
    return results;
  }

  /** The datasets of this report, in the order of their first result. */
  List<String> datasetNames() {
    return datasets();
  }

  /** One line per trainer and dataset. */
  public String csv() {
    StringBuilder b = new StringBuilder("dataset,trainer,model,train_rows,test_rows,cores,"
        + "fit_seconds,seconds_to_loss_target,loss_target,seconds_to_accuracy_target,"
        + "accuracy_target,final_accuracy,final_log_loss,final_auc,rows_per_second_per_core,rounds,"
        + "bytes_per_round,peak_rss_bytes,peak_heap_bytes,max_heap_bytes,settings,note\n");
    for (TrainerResult r : results) {
      double lt = lossTarget(r.dataset()).orElse(Double.NaN);
      double at = accuracyTarget(r.dataset());
      b.append(String.join(",", r.dataset(), r.trainer(), quote(r.model()),
          Long.toString(r.trainRows()), Long.toString(r.testRows()), Integer.toString(r.cores()),
          num(r.fitSeconds()), num(r.secondsToLogLoss(lt)), num(lt),
          num(r.secondsToAccuracy(at)), num(at), num(r.last().accuracy()),
          num(r.last().logLoss()), num(r.last().aucOrNaN()), num(r.rowsPerSecondPerCore()),
          Long.toString(r.rounds()),
          r.bytesPerRound() == null ? "" : num(r.bytesPerRound()),
          Long.toString(r.peakRssBytes()), Long.toString(r.peakHeapBytes()),
          Long.toString(r.maxHeapBytes()), quote(r.settings()), quote(r.note()))).append('\n');
    }
    return b.toString();
  }

  /** The Markdown report: machine, targets, then one table per dataset. */
  public String markdown() {
    StringBuilder b = new StringBuilder("# SparkPS against Spark MLlib and DL4J\n\n");
    b.append(machine).append("\n\n");
    b.append("## Targets (ratios within this run)\n\n");
    targets().forEach(t -> b.append("- ").append(t).append('\n'));
    b.append('\n');
    for (String d : datasets()) {
      double lt = lossTarget(d).orElse(Double.NaN);
      double at = accuracyTarget(d);
      b.append("## ").append(d).append("\n\n");
      b.append("Loss target: MLlib logistic regression's final held-out log loss x ")
          .append(LOSS_SLACK).append(" = ").append(fmt(lt, 4))
          .append("; accuracy target: ").append(fmt(at, 3)).append(".\n\n");
      b.append("| trainer | model | fit s | s to loss target | s to accuracy target "
          + "| accuracy | log loss | AUC | rows/s/core | rounds | bytes/round | peak RSS | settings "
          + "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (TrainerResult r : results) {
        if (!r.dataset().equals(d)) {
          continue;
        }
        if (r.trainer().equals(TRUTH)) {
          b.append("| ").append(TRUTH).append(" | ").append(r.model()).append(" | - | - | - | ")
              .append(fmt(r.last().accuracy(), 4)).append(" | ")
              .append(fmt(r.last().logLoss(), 4)).append(" | ")
              .append(fmt(r.last().aucOrNaN(), 4)).append(" | - | - | - | - | ")
              .append(r.settings()).append("; ").append(r.note()).append(" |\n");
          continue;
        }
        b.append("| ").append(r.trainer()).append(" | ").append(r.model()).append(" | ")
            .append(fmt(r.fitSeconds(), 2)).append(" | ")
            .append(fmt(r.secondsToLogLoss(lt), 2)).append(" | ")
            .append(fmt(r.secondsToAccuracy(at), 2)).append(" | ")
            .append(fmt(r.last().accuracy(), 4)).append(" | ")
            .append(fmt(r.last().logLoss(), 4)).append(" | ")
            .append(fmt(r.last().aucOrNaN(), 4)).append(" | ")
            .append(si(r.rowsPerSecondPerCore())).append(" | ")
            .append(r.rounds()).append(" | ")
            .append(r.bytesPerRound() == null ? "-" : bytes(r.bytesPerRound())).append(" | ")
            .append(bytes(r.peakRssBytes())).append(" | ")
            .append(r.settings()).append(r.note().isEmpty() ? "" : "; " + r.note())
            .append(" |\n");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** The targets, each with its measured ratio and whether it is met. */
  public List<String> targets() {
    List<String> out = new ArrayList<>();
    String d = "synth-1000000";
    Optional<TrainerResult> mllibLr = find(d, "mllib-lr");
    // the tuned rows' target: judged only in a run that has one of them
    if (mllibLr.isPresent() && (find(d, "sparkps-lr").isPresent()
        || find(d, "sparkps-lr-local").isPresent())) {
      double lt = lossTarget(d).orElseThrow();
      double best = bestTime(d, List.of("sparkps-lr", "sparkps-lr-local"),
          r -> r.secondsToLogLoss(lt));
      double ratio = best / mllibLr.get().fitSeconds();
      out.add(String.format(Locale.ROOT, "Logistic regression, %s: SparkPS reaches MLlib's final "
          + "log loss (%.4f, within 0.5%%) in %s s; MLlib's fit takes %s s: %s of MLlib's time "
          + "(goal at most 1/10): %s", d, lt, fmt(best, 2), fmt(mllibLr.get().fitSeconds(), 2),
          fraction(ratio), verdict(ratio <= 0.1)));
    }
    out.addAll(defaultsTargets(d));
    double at = accuracyTarget(d);
    double ps = bestTime(d, List.of("sparkps-mlp", "sparkps-mlp-local"),
        r -> r.secondsToAccuracy(at));
    boolean tunedRan = find(d, "sparkps-mlp").isPresent()
        || find(d, "sparkps-mlp-local").isPresent();
    for (String other : List.of("dl4j-mlp", "mllib-mlp")) {
      Optional<TrainerResult> o = find(d, other);
      // the tuned rows' target: not judged in a run without them (a defaults-only run)
      if (o.isEmpty() || !tunedRan) {
        continue;
      }
      double t = o.get().secondsToAccuracy(at);
      String base = Double.isNaN(t) ? "does not reach it in " + fmt(o.get().fitSeconds(), 0)
          + " s" : "takes " + fmt(t, 1) + " s";
      double bound = Double.isNaN(t) ? o.get().fitSeconds() : t;
      double ratio = ps / bound;
      out.add(String.format(Locale.ROOT, "Perceptron, %s: SparkPS reaches %.3f held-out accuracy "
          + "in %s s; %s %s: %s%s (goal at most 1/8): %s", d, at, fmt(ps, 1), other, base,
          Double.isNaN(t) ? "at most " : "", fraction(ratio),
          verdict(!Double.isNaN(ps) && ratio <= 0.125)));
    }
    List<Double> ratios = scalingRatios(d, TrainerResult::fitSeconds);
    if (!ratios.isEmpty()) {
      String each = ratios.stream().map(r -> fmt(r, 2)).collect(
          java.util.stream.Collectors.joining(", "));
      List<Double> compute = scalingRatios(d, r -> r.computeSeconds() == null ? Double.NaN
          : r.computeSeconds());
      String computeEach = compute.stream().map(r -> fmt(r, 2)).collect(
          java.util.stream.Collectors.joining(", "));
      List<Double> kept = efficiency(ratios, compute);
      String keptEach = kept.stream().map(e -> String.format(Locale.ROOT, "%.0f%%", 100 * e))
          .collect(java.util.stream.Collectors.joining(", "));
      String alone = compute.stream().anyMatch(r -> Double.isNaN(r)) ? ""
          : String.format(Locale.ROOT, "; the workers' compute alone (per epoch the slower "
          + "worker's minibatch steps, without set-up and waiting on the server) scales %.2fx "
          + "(%s), the most the fit could reach on this machine then; the fit's ratio is "
          + "%.0f%% of it (median of the pairs' %s)", median(compute), computeEach,
          100 * median(kept), keptEach);
      int n = ratios.size();
      out.add(String.format(Locale.ROOT, "Scaling, %s perceptron: 2 workers give %.2fx the rows "
          + "per second of 1 worker (%s; goal at least 1.8x): %s%s", d, median(ratios),
          n == 1 ? "one pair" : "median of " + n + " pairs, in run order " + each,
          verdict(median(ratios) >= 1.8), alone));
    }
    String big = "synth-4000000";
    Optional<TrainerResult> ml4 = find(big, "mllib-lr");
    Optional<TrainerResult> ps4 = find(big, "sparkps-lr").or(() -> find(big, "sparkps-lr-local"));
    if (ml4.isPresent() && ps4.isPresent()) {
      double m = ml4.get().peakRssBytes();
      double p = ps4.get().peakRssBytes();
      out.add(String.format(Locale.ROOT, "Memory, %s logistic regression: SparkPS peak RSS %s, "
          + "MLlib %s, same heap limit %s (goal no higher): %s", big, bytes(p), bytes(m),
          bytes(ml4.get().maxHeapBytes()), verdict(p <= m)));
    }
    out.addAll(SparseTargets.lines(this));
    if (out.isEmpty()) {
      out.add("not measured in this run (needs synth-1000000 with mllib-lr and the perceptrons, "
          + "or ctr-1000000 with the sparse trainers)");
    }
    return out;
  }

  /**
   * Rows per second of 2 workers over those of 1 worker, one ratio per pair of runs in run order:
   * the k-th run of each ({@code sparkps-mlp-1w}, then {@code sparkps-mlp-1w-run2}, ...), with
   * the seconds each run took by {@code seconds} (the fit, or the workers' compute within it).
   */
  List<Double> scalingRatios(String dataset, java.util.function.ToDoubleFunction<TrainerResult>
      seconds) {
    List<TrainerResult> ones = runsOf(dataset, "sparkps-mlp-1w");
    List<TrainerResult> twos = runsOf(dataset, "sparkps-mlp-2w");
    List<Double> ratios = new ArrayList<>();
    for (int k = 0; k < Math.min(ones.size(), twos.size()); k++) {
      TrainerResult one = ones.get(k);
      TrainerResult two = twos.get(k);
      ratios.add((two.rowsProcessed() / seconds.applyAsDouble(two))
          / (one.rowsProcessed() / seconds.applyAsDouble(one)));
    }
    return ratios;
  }

  /**
   * Each pair's fit ratio over its compute ratio: how much of what the cores gave in that pair
   * SparkPS's rounds and epochs kept (the rest is waiting on the server and the epochs' set-up).
   */
  static List<Double> efficiency(List<Double> fit, List<Double> compute) {
    List<Double> out = new ArrayList<>();
    for (int k = 0; k < Math.min(fit.size(), compute.size()); k++) {
      out.add(fit.get(k) / compute.get(k));
    }
    return out;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private List<TrainerResult> runsOf(String dataset, String trainer) {
    return results.stream().filter(r -> r.dataset().equals(dataset)
        && trainerOf(r.trainer()).equals(trainer)).toList();
  }

  /**
   * The targets of SparkPS given only --model and --hidden (the -defaults rows): its final
   * held-out log loss against MLlib's (within 0.5%) and its fit time against MLlib's default fit
   * (at most 1/10); its final held-out accuracy (at least the accuracy target) and its fit time
   * against DL4J's (at most 1/8).
   */
  private List<String> defaultsTargets(String d) {
    List<String> out = new ArrayList<>();
    Optional<TrainerResult> lr = find(d, "sparkps-lr-defaults");
    Optional<TrainerResult> mllib = find(d, "mllib-lr");
    if (lr.isPresent() && mllib.isPresent()) {
      double lt = lossTarget(d).orElseThrow();
      double loss = lr.get().last().logLoss();
      double ratio = lr.get().fitSeconds() / mllib.get().fitSeconds();
      out.add(String.format(Locale.ROOT, "Defaults, logistic regression, %s: SparkPS given only "
          + "--model ends at held-out log loss %.4f (goal at most %.4f, MLlib's within 0.5%%) in "
          + "%s s against MLlib's %s s: %s of MLlib's time (goal at most 1/10): %s", d, loss, lt,
          fmt(lr.get().fitSeconds(), 2), fmt(mllib.get().fitSeconds(), 2), fraction(ratio),
          verdict(loss <= lt && ratio <= 0.1)));
    }
    Optional<TrainerResult> mlp = find(d, "sparkps-mlp-defaults");
    Optional<TrainerResult> dl4j = find(d, "dl4j-mlp");
    if (mlp.isPresent() && dl4j.isPresent()) {
      double at = accuracyTarget(d);
      double acc = mlp.get().last().accuracy();
      // the reference: DL4J's time for 3 epochs (its whole fit if it ran fewer)
      double dl4jSeconds = dl4j.get().points().stream().filter(p -> p.step() == 3)
          .mapToDouble(TrainerResult.Point::seconds).findFirst()
          .orElse(dl4j.get().fitSeconds());
      int dl4jEpochs = (int) Math.min(3, dl4j.get().points().size());
      double ratio = mlp.get().fitSeconds() / dl4jSeconds;
      out.add(String.format(Locale.ROOT, "Defaults, perceptron, %s: SparkPS given only --model "
          + "and --hidden ends at held-out accuracy %.4f (goal at least %.3f) in %s s against "
          + "DL4J's %s s for %d epochs%s: %s of DL4J's time (goal at most 1/8): %s", d, acc, at,
          fmt(mlp.get().fitSeconds(), 1), fmt(dl4jSeconds, 1), dl4jEpochs,
          dl4jEpochs < 3 ? " (its budget ended before 3: at most)" : "", fraction(ratio),
          verdict(acc >= at && ratio <= 0.125)));
    }
    return out;
  }

  private double bestTime(String dataset, List<String> trainers,
      java.util.function.ToDoubleFunction<TrainerResult> f) {
    double best = Double.NaN;
    for (String t : trainers) {
      Optional<TrainerResult> r = find(dataset, t);
      if (r.isPresent()) {
        double v = f.applyAsDouble(r.get());
        if (!Double.isNaN(v) && (Double.isNaN(best) || v < best)) {
          best = v;
        }
      }
    }
    return best;
  }

  static String verdict(boolean met) {
    return met ? "**met**" : "**not met**";
  }

  static String fraction(double ratio) {
    if (Double.isNaN(ratio)) {
      return "n/a";
    }
    return ratio > 0 && ratio < 1 ? String.format(Locale.ROOT, "1/%.1f", 1 / ratio)
        : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  static String fmt(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  static String si(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    return v >= 1e3 ? String.format(Locale.ROOT, "%.1fk", v / 1e3)
        : String.format(Locale.ROOT, "%.0f", v);
  }

  static String bytes(double v) {
    if (v >= 1 << 30) {
      return String.format(Locale.ROOT, "%.2f GB", v / (1 << 30));
    }
    if (v >= 1 << 20) {
      return String.format(Locale.ROOT, "%.0f MB", v / (1 << 20));
    }
    return v >= 1 << 10 ? String.format(Locale.ROOT, "%.0f KB", v / (1 << 10))
        : String.format(Locale.ROOT, "%.0f B", v);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
