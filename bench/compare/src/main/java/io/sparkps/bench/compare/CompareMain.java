package io.sparkps.bench.compare;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The comparison: prepares each dataset once, then trains every trainer on it in a JVM of its
 * own (same heap limit, {@code local[cores]}, the same rows and held-out split), and writes
 * {@code results.md}, {@code results.csv} and one plot per dataset into the output folder,
 * rewriting them after every run so an interrupted comparison keeps what it measured.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains SparkPS, Spark MLlib and DL4J side by side and reports time to "
        + "accuracy, rows per second, memory and traffic (see bench/README.md).")
public final class CompareMain implements Callable<Integer> {

  static final String DL4J = "dl4j-mlp";
  /** The line the comparison appends to the log of a trainer it killed, before the seconds. */
  static final String KILLED = "killed by the comparison at its time limit of ";

  @Option(names = "--datasets", split = ",",
      defaultValue = "synth-200000,synth-1000000,synth-4000000,a9a,ijcnn1,ctr-1000000",
      description = "Datasets, comma separated: synth-N, a9a, ijcnn1 (dense trainers), ctr-N "
          + "(sparse trainers; a9a has both forms). Default: ${DEFAULT-VALUE}.")
  List<String> datasets;

  @Option(names = "--trainers", split = ",",
      defaultValue = "mllib-lr,sparkps-lr-defaults,sparkps-lr,sparkps-lr-local,mllib-mlp,"
          + "dl4j-mlp,sparkps-mlp-defaults,sparkps-mlp,sparkps-mlp-local,mllib-lr-sparse,mllib-fm,"
          + "sparkps-lr-sparse,sparkps-lr-sparse-defaults,sparkps-fm,sparkps-fm-defaults,"
          + "sparkps-wide-deep,sparkps-wide-deep-defaults",
      description = "Trainers, comma separated: " + "mllib-lr, mllib-mlp, dl4j-mlp, sparkps-lr, "
          + "sparkps-lr-local, sparkps-lr-defaults, sparkps-mlp, sparkps-mlp-local, "
          + "sparkps-mlp-defaults (dense rows; the -defaults rows: SparkPS given only --model and "
          + "--hidden); mllib-lr-sparse, mllib-fm, sparkps-lr-sparse, sparkps-fm, "
          + "sparkps-wide-deep, sparkps-lr-keyed, sparkps-fm-keyed (sparse rows: ctr-N and a9a; "
          + "wide & deep needs fields, ctr-N only; -keyed: --ps-layout keyed), each also as "
          + "NAME-defaults (SparkPS given only --model, --factors K for an fm, and --ps-layout "
          + "keyed for the keyed ones). "
          + "Each runs on the datasets that have its form. Default: ${DEFAULT-VALUE}.")
  List<String> trainers;

  @Option(names = "--scaling", split = ",", defaultValue = "synth-1000000",
      description = "Datasets on which SparkPS's perceptron also runs with 1 and 2 workers "
          + "(sparkps-mlp-1w, sparkps-mlp-2w); empty for none. Default: ${DEFAULT-VALUE}.")
  List<String> scaling;

  @Option(names = "--scaling-pairs", defaultValue = "5",
      description = "How many 1-worker and 2-worker runs alternate on each scaling dataset (1w "
          + "2w, 2w 1w, 1w 2w, ...); the scaling figure is the median of the pairs' ratios, since "
          + "single pairs on a shared 2-core machine ranged from 1.45x to 2.10x within an hour. "
          + "Default: ${DEFAULT-VALUE}.")
  int scalingPairs;

  @Option(names = "--data-dir", defaultValue = "../shared/datasets",
      description = "Folder holding a9a/ and ijcnn1/. Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(names = "--hash-bits", defaultValue = "20",
      description = "ctr-N is hashed into 2^B columns (MLlib's FeatureHasher, once for every "
          + "trainer). Default: ${DEFAULT-VALUE}.")
  int hashBits;

  @Option(names = "--cache", defaultValue = "bench/compare/target/bench-data",
      description = "Where prepared datasets are kept between runs. Default: ${DEFAULT-VALUE}.")
  Path cache;

  @Option(names = "--out", defaultValue = "bench/results",
      description = "Where results.md, results.csv, the plots and logs go; an earlier run's "
          + "results, plots and logs there are removed first (nothing else is). Default: "
          + "${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--cores", defaultValue = "2", description = "Spark cores, local[N]. "
      + "Default: ${DEFAULT-VALUE}.")
  int cores;

  @Option(names = "--heap", defaultValue = "8g",
      description = "-Xmx of every trainer's JVM. Default: ${DEFAULT-VALUE}.")
  String heap;

  @Option(names = "--budget-seconds", defaultValue = "300",
      description = "Training time after which MLlib's and DL4J's iterative trainers stop. "
          + "Default: ${DEFAULT-VALUE}.")
  double budget;

  @Option(names = "--time-limit-seconds", defaultValue = "0",
      description = "Wall-clock limit of each trainer's JVM (start, loading, warm-up, fits and "
          + "evaluation), after which it is killed; 0: 3 x --budget-seconds + 600. "
          + "Default: ${DEFAULT-VALUE}.")
  long timeLimit;

  @Option(names = "--trainer-args", defaultValue = "",
      description = "Extra arguments for every trainer JVM (e.g. \"--epochs 3\").")
  String trainerArgs;

  @Option(names = "--compare-classpath",
      defaultValue = "bench/compare/target/classpath.txt",
      description = "Class path file of bench/compare (written by its package phase).")
  Path compareClasspath;

  @Option(names = "--dl4j-classpath", defaultValue = "bench/dl4j/target/classpath.txt",
      description = "Class path file of bench/dl4j (written by its package phase).")
  Path dl4jClasspath;

  @Override
  public Integer call() throws Exception {
    int cleared = clearEarlierRun(out);
    if (cleared > 0) {
      System.out.printf("Removed %d files of an earlier run from %s%n", cleared, out);
    }
    Files.createDirectories(out.resolve("logs"));
    List<TrainerResult> results = new ArrayList<>();
    String machine = machine();
    System.out.println(machine);
    for (String name : datasets) {
      List<String> run = new ArrayList<>(trainers);
      boolean sparseOnly = SparseBenchData.sparseOnly(name);
      run.removeIf(t -> TrainerMain.sparse(Report.trainerOf(t))
          ? !SparseBenchData.has(name) : sparseOnly);
      // wide & deep embeds each input field; LibSVM rows (a9a) have none
      run.removeIf(t -> Report.trainerOf(t).startsWith(SparseTargets.SPARKPS_WIDE_DEEP)
          && !sparseOnly);
      if (run.isEmpty() && !scaling.contains(name)) {
        System.out.printf("%s: none of the trainers %s runs on it (dense trainers: synth-N, "
            + "a9a, ijcnn1; sparse trainers: ctr-N, a9a); skipped%n", name, trainers);
        continue;
      }
      Forms forms = prepare(name, run);
      if (forms.sparse() != null && Files.exists(forms.sparse().truth())) {
        results.add(TrainerResult.read(forms.sparse().truth()));
      }
      if (scaling.contains(name) && !sparseOnly) {
        // the pairs run the 1- and 2-worker perceptron: named in --trainers too, they would run
        // once more under the first pair's labels and count as a pair of their own
        List<String> pairs = scalingRuns(scalingPairs);
        run.removeAll(pairs);
        run.addAll(pairs);
      }
      for (String label : run) {
        String trainer = Report.trainerOf(label);
        Path result = out.resolve("json").resolve(name + "-" + label + ".json");
        Files.deleteIfExists(result);
        boolean sparse = TrainerMain.sparse(trainer);
        int code = sparse
            ? launch(trainer, label, name, forms.sparse().dir(), forms.sparse().parts(), result)
            : launch(trainer, label, name, forms.dense().dir(), forms.dense().parts(), result);
        if (code == 0 && Files.exists(result)) {
          TrainerResult r = TrainerResult.read(result).withTrainer(label);
          results.add(r);
          System.out.printf("  %-22s fit %8.2f s  accuracy %.4f  log loss %.4f%s  peak RSS %s%n",
              label, r.fitSeconds(), r.last().accuracy(), r.last().logLoss(),
              r.last().auc() == null ? "" : String.format(Locale.ROOT, "  AUC %.4f",
              r.last().auc()), Report.bytes(r.peakRssBytes()));
        } else {
          System.out.printf("  %-22s FAILED (exit %d); see %s%n", label, code,
              log(name, label));
        }
        write(new Report(results, machine));
      }
    }
    System.out.println("\n" + String.join("\n", new Report(results, machine).targets()));
    System.out.println("Results in " + out.resolve("results.md"));
    return 0;
  }

  /**
   * Deletes what an earlier comparison wrote into {@code dir} (its results, plots, per-trainer
   * JSON and logs), so that a trainer or data set left out of this run leaves nothing behind to
   * be mistaken for this run's; other files and sub-folders stay. Returns how many were deleted.
   */
  static int clearEarlierRun(Path dir) throws IOException {
    int n = 0;
    n += deleteMatching(dir, "{results.md,results.csv,loss-vs-time-*.png}");
    n += deleteMatching(dir.resolve("json"), "*.json");
    n += deleteMatching(dir.resolve("logs"), "*.log");
    return n;
  }

  private static int deleteMatching(Path dir, String glob) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (var files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(f);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * The scaling runs in order: pairs of the 1- and 2-worker perceptron, alternating which goes
   * first so that a machine getting busier or quieter during the pairs does not favour either.
   * Runs after the first pair are labelled {@code -run2}, {@code -run3}, ...
   */
  static List<String> scalingRuns(int pairs) {
    List<String> runs = new ArrayList<>();
    for (int k = 1; k <= pairs; k++) {
      String suffix = k == 1 ? "" : Report.RUN_SUFFIX + k;
      String one = "sparkps-mlp-1w" + suffix;
      String two = "sparkps-mlp-2w" + suffix;
      runs.addAll(k % 2 == 1 ? List.of(one, two) : List.of(two, one));
    }
    return runs;
  }

  private Path log(String dataset, String trainer) {
    return out.resolve("logs").resolve(dataset + "-" + trainer + ".log");
  }

  /** The forms of one dataset this run needs: dense, sparse, or both (null: not needed). */
  private record Forms(BenchData.Prepared dense, SparseBenchData.Prepared sparse) {
  }

  private Forms prepare(String name, List<String> run) {
    boolean dense = run.stream().anyMatch(t -> !TrainerMain.sparse(Report.trainerOf(t)))
        || scaling.contains(name) && !SparseBenchData.sparseOnly(name);
    boolean sparse = run.stream().anyMatch(t -> TrainerMain.sparse(Report.trainerOf(t)));
    BenchData.Prepared d = null;
    SparseBenchData.Prepared s = null;
    if (dense) {
      long t0 = System.nanoTime();
      d = BenchData.prepare(name, dataDir, cache, cores);
      System.out.printf("%s: %d train / %d held-out rows x %d features (ready in %.1f s)%n",
          name, d.trainRows(), d.testRows(), d.features(), (System.nanoTime() - t0) / 1e9);
    }
    if (sparse) {
      long t0 = System.nanoTime();
      s = SparseBenchData.prepare(name, dataDir, cache, cores, hashBits);
      System.out.printf("%s (sparse): %d train / %d held-out rows x %d columns (ready in %.1f "
          + "s)%n", name, s.trainRows(), s.testRows(), s.features(),
          (System.nanoTime() - t0) / 1e9);
    }
    return new Forms(d, s);
  }

  private int launch(String trainer, String label, String dataset, Path dir, int parts,
      Path result) throws IOException, InterruptedException {
    boolean dl4j = trainer.equals(DL4J);
    Path cpFile = dl4j ? dl4jClasspath : compareClasspath;
    if (!Files.isRegularFile(cpFile)) {
      throw new IllegalStateException("missing " + cpFile + "; build first: mvn -Pbench -pl "
          + "bench/compare,bench/dl4j -am package -DskipTests");
    }
    Path classes = cpFile.resolveSibling("classes");
    String cp = classes.toAbsolutePath() + java.io.File.pathSeparator
        + Files.readString(cpFile).trim();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
    cmd.add("-Djdk.reflect.useDirectMethodHandle=false");
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(dl4j ? "io.sparkps.bench.dl4j.Dl4jTrainerMain" : TrainerMain.class.getName());
    cmd.addAll(List.of("--trainer", trainer, "--prepared", dir.toString(), "--dataset",
        dataset, "--parts", Integer.toString(parts), "--cores",
        Integer.toString(cores), "--budget-seconds", Double.toString(budget), "--result",
        result.toString()));
    if (!trainerArgs.isBlank()) {
      cmd.addAll(List.of(trainerArgs.trim().split("\\s+")));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log(dataset, label).toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    System.out.printf("  %-22s running (log %s) ...%n", label, log(dataset, label));
    Process p = pb.start();
    // the budget bounds training; data loading, evaluation and start-up get generous room
    long limit = timeLimit > 0 ? timeLimit : (long) (budget * 3 + 600);
    if (!p.waitFor(limit, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      Files.writeString(log(dataset, label), "\n" + KILLED + limit + " s\n",
          java.nio.file.StandardOpenOption.APPEND);
      System.out.printf("  %-22s killed after %d s%n", label, limit);
      return 124;
    }
    return p.exitValue();
  }

  private void write(Report report) {
    writeAtomically(out.resolve("results.md"), report.markdown());
    writeAtomically(out.resolve("results.csv"), report.csv());
    ReportPlots.write(report, out);
  }

  private static void writeAtomically(Path file, String text) {
    AtomicFiles.write(file, tmp -> Files.writeString(tmp, text));
  }

  /** The machine in one line: cores, memory, Java, load, date. */
  static String machine() {
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      memKb = 0;
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format(Locale.ROOT, "Machine: %d cores, %.0f GiB memory, Java %s, %s; load "
        + "average %.1f at the start; %s.", Runtime.getRuntime().availableProcessors(),
        memKb / 1048576.0, System.getProperty("java.version"), System.getProperty("os.name"),
        load, Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareMain()).execute(args));
  }
}
