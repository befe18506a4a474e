package io.sparkps.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cost growth with the model's size (issue 15): the sparse comparison ({@link CompareMain}) on
 * the same ctr-N rows hashed into {@code 2^B} buckets for each {@code B} of {@code --bits}, in one
 * run, each trainer in a JVM of its own under the same heap limit; then one table of fit time,
 * peak heap and RSS and held-out log loss per trainer and {@code B}, with how a trainer failed
 * (out of memory, killed at the time limit, other) where it did, and issue 15's targets: keyed
 * logistic regression at {@code 2^22} reaching MLlib's held-out log loss (within 0.5%) in at
 * most 1/10 of MLlib's fit time, and SparkPS's fit time at the largest {@code B} at most 1.5x
 * its time at the smallest.
 */
@Command(name = "growth", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the sparse comparison at several --hash-bits on the same rows and "
        + "tabulates fit time, peak memory and failures per trainer (bench/README.md).")
public final class GrowthMain implements Callable<Integer> {
  static final String SPARKPS_LR = SparkPsKeyedTrainers.LR;

  @Option(names = "--dataset", defaultValue = "ctr-200000",
      description = "The ctr-N rows. Default: ${DEFAULT-VALUE}.")
  String dataset;

  @Option(names = "--bits", split = ",", defaultValue = "18,22,26",
      description = "Hash bits B, in order; the growth target compares the first with the "
          + "last (a width given twice reuses its folder). Default: ${DEFAULT-VALUE}.")
  List<Integer> bits;

  @Option(names = "--trainers", split = ",",
      defaultValue = "sparkps-lr-keyed,sparkps-fm-keyed,mllib-lr-sparse,mllib-fm",
      description = "Sparse trainers. Default: ${DEFAULT-VALUE}.")
  List<String> trainers;

  @Option(names = "--heap", defaultValue = "6g",
      description = "-Xmx of every trainer's JVM. Default: ${DEFAULT-VALUE}.")
  String heap;

  @Option(names = "--budget-seconds", defaultValue = "120",
      description = "Training time after which MLlib's trainers stop adding iterations. "
          + "Default: ${DEFAULT-VALUE}.")
  double budget;

  @Option(names = "--time-limit-seconds", defaultValue = "600",
      description = "Wall-clock limit of each trainer's JVM, after which it is killed and "
          + "reported as such. Default: ${DEFAULT-VALUE}.")
  long timeLimit;

  @Option(names = "--trainer-args", defaultValue = "--warmup-rows 0 --fm-max-iter 15",
      description = "Passed to every trainer. Default: ${DEFAULT-VALUE}.")
  String trainerArgs;

  @Option(names = "--out", defaultValue = "bench/results/growth",
      description = "Output folder: one sub-folder b<B> per width and growth.md. Default: "
          + "${DEFAULT-VALUE}.")
  Path out;

  /** Each width's machine line (load average, time) when its comparison started. */
  private final Map<Integer, String> starts = new LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    Map<Integer, Map<String, Cell>> table = new LinkedHashMap<>();
    for (int b : bits) {
      Path dir = out.resolve("b" + b);
      String machine = CompareMain.machine();
      starts.put(b, machine);
      System.out.printf("%n== %s at 2^%d buckets: %s%n", dataset, b, machine);
      int code = new CommandLine(new CompareMain()).execute("--datasets", dataset, "--scaling=",
          "--hash-bits", Integer.toString(b), "--trainers", String.join(",", trainers),
          "--heap", heap, "--budget-seconds", Double.toString(budget), "--time-limit-seconds",
          Long.toString(timeLimit), "--trainer-args", trainerArgs, "--out", dir.toString());
      if (code != 0) {
        throw new IllegalStateException("the comparison at 2^" + b + " failed with exit code "
            + code + "; see " + dir);
      }
      Map<String, Cell> row = new LinkedHashMap<>();
      for (String t : trainers) {
        row.put(t, cell(dir, t));
      }
      table.put(b, row);
      Files.writeString(out.resolve("growth.md"), markdown(table));
    }
    String md = markdown(table);
    Files.writeString(out.resolve("growth.md"), md);
    System.out.println("\n" + md);
    return 0;
  }

  /** One trainer at one width: its result, or how it failed. */
  record Cell(Optional<TrainerResult> result, String failure) {
  }

  private Cell cell(Path dir, String trainer) throws IOException {
    Path json = dir.resolve("json").resolve(dataset + "-" + trainer + ".json");
    if (Files.exists(json)) {
      return new Cell(Optional.of(TrainerResult.read(json)), "");
    }
    Path log = dir.resolve("logs").resolve(dataset + "-" + trainer + ".log");
    return new Cell(Optional.empty(), Files.exists(log) ? failure(Files.readString(log))
        : "did not run");
  }

  /** How a trainer's log says it failed, and the last fit it finished, if any. */
  static String failure(String log) {
    String last = log.lines().filter(l -> l.matches("\\S+ maxIter \\d+: .*"))
        .reduce((a, b) -> b).map(l -> "; its last finished fit: " + l).orElse(
        "; no fit finished");
    int killed = log.lastIndexOf(CompareMain.KILLED);
    if (killed >= 0) {
      return "killed at the time limit of " + log.substring(killed
          + CompareMain.KILLED.length()).trim() + last;
    }
    if (log.contains("java.lang.OutOfMemoryError")) {
      int at = log.indexOf("java.lang.OutOfMemoryError");
      int end = log.indexOf('\n', at);
      return "out of memory (" + log.substring(at, end < 0 ? log.length() : end).trim() + ")"
          + last;
    }
    return "failed (see its log)" + last;
  }

  String markdown(Map<Integer, Map<String, Cell>> table) {
    StringBuilder b = new StringBuilder("# Cost growth with the buckets: " + dataset + "\n\n");
    b.append("Heap ").append(heap).append(" per trainer, budget ").append((int) budget)
        .append(" s, time limit ").append(timeLimit).append(" s.\n\n");
    starts.forEach((width, machine) -> b.append("- 2^").append(width).append(": ")
        .append(machine).append('\n'));
    b.append('\n');
    b.append("| trainer | buckets | fit s | held-out log loss | AUC | peak heap | peak RSS | "
        + "note |\n|---|---|---|---|---|---|---|---|\n");
    for (String t : trainers) {
      for (Map.Entry<Integer, Map<String, Cell>> e : table.entrySet()) {
        Cell c = e.getValue().get(t);
        b.append("| ").append(t).append(" | 2^").append(e.getKey()).append(" | ");
        if (c.result().isEmpty()) {
          b.append("- | - | - | - | - | ").append(c.failure()).append(" |\n");
          continue;
        }
        TrainerResult r = c.result().get();
        b.append(String.format(Locale.ROOT, "%s | %.4f | %s | %s | %s | %s |%n",
            Report.fmt(r.fitSeconds(), 2), r.last().logLoss(), Report.fmt(r.last().aucOrNaN(), 4),
            Report.bytes(r.peakHeapBytes()), Report.bytes(r.peakRssBytes()),
            r.note() == null ? "" : r.note()));
      }
    }
    b.append('\n');
    for (String line : targets(table)) {
      b.append("- ").append(line).append('\n');
    }
    return b.toString();
  }

  /** Issue 15's cost targets, from what the table holds. */
  List<String> targets(Map<Integer, Map<String, Cell>> table) {
    List<String> out = new ArrayList<>();
    Map<String, Cell> at22 = table.get(22);
    if (at22 != null && at22.containsKey(SparseTargets.MLLIB_LR) && at22.containsKey(SPARKPS_LR)) {
      Optional<TrainerResult> ml = at22.get(SparseTargets.MLLIB_LR).result();
      Optional<TrainerResult> ps = at22.get(SPARKPS_LR).result();
      if (ml.isPresent() && ps.isPresent()) {
        double target = ml.get().last().logLoss() * Report.LOSS_SLACK;
        double t = ps.get().secondsToLogLoss(target);
        double ratio = t / ml.get().fitSeconds();
        out.add(String.format(Locale.ROOT, "Logistic at 2^22: MLlib's held-out log loss %.4f "
            + "x %.3f = %.4f, MLlib's fit %s s; %s reaches it in %s s (best %.4f): %s of MLlib's "
            + "time (goal at most 1/10): %s", ml.get().last().logLoss(), Report.LOSS_SLACK,
            target, Report.fmt(ml.get().fitSeconds(), 2), SPARKPS_LR, Report.fmt(t, 2),
            best(ps.get()), Report.fraction(ratio), Report.verdict(!Double.isNaN(t)
            && ratio <= 0.1)));
      } else {
        out.add("Logistic at 2^22: not measured (a trainer failed)");
      }
    }
    int lo = bits.get(0);
    int hi = bits.get(bits.size() - 1);
    for (String t : trainers) {
      if (!t.startsWith("sparkps")) {
        continue;
      }
      Optional<TrainerResult> a = table.getOrDefault(lo, Map.of()).getOrDefault(t,
          new Cell(Optional.empty(), "")).result();
      Optional<TrainerResult> z = table.getOrDefault(hi, Map.of()).getOrDefault(t,
          new Cell(Optional.empty(), "")).result();
      if (a.isPresent() && z.isPresent() && hi != lo) {
        double ratio = z.get().fitSeconds() / a.get().fitSeconds();
        out.add(String.format(Locale.ROOT, "%s: fit %s s at 2^%d against %s s at 2^%d, %.2fx "
            + "(goal at most 1.5x): %s", t, Report.fmt(z.get().fitSeconds(), 2), hi,
            Report.fmt(a.get().fitSeconds(), 2), lo, ratio, Report.verdict(ratio <= 1.5)));
      }
    }
    return out;
  }

  private static double best(TrainerResult r) {
    return r.points().stream().mapToDouble(TrainerResult.Point::logLoss).min().orElse(Double.NaN);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GrowthMain()).execute(args));
  }
}
