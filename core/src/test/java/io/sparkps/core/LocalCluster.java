package io.sparkps.core;

import io.sparkps.core.io.LocalFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster of separate JVMs on 127.0.0.1 for integration tests: one
 * master and {@code workers} workers started by {@code deploy/local-cluster.sh} from the
 * Maven-resolved Spark jars, in a temporary directory and on free ports. Commands run from the
 * checkout's root with the cluster's environment; {@link #close} stops exactly what it started
 * and fails when something still runs.
 */
public final class LocalCluster implements AutoCloseable {
  private final Path root;
  private final Path dir;
  private final Map<String, String> env;
  private final int workers;
  private String master = "";

  /** A command's exit code and its output (stdout and stderr together). */
  public record Run(int code, String output) {
  }

  private LocalCluster(Path root, Path dir, Map<String, String> env, int workers) {
    this.root = root;
    this.dir = dir;
    this.env = env;
    this.workers = workers;
  }

  /**
   * Starts a cluster of {@code workers} workers; {@code settings} adds to (or overrides) the
   * script's environment, for example {@code SPARKPS_WORKER_CORES}.
   */
  public static LocalCluster start(Path root, int workers, Map<String, String> settings)
      throws Exception {
    Path dir = Files.createTempDirectory("sparkps-cluster-");
    Map<String, String> env = new HashMap<>(Map.of("SPARKPS_CLUSTER_DIR", dir.toString(),
        "SPARKPS_MASTER_PORT", Integer.toString(freePort()),
        "SPARKPS_MASTER_UI_PORT", Integer.toString(freePort()),
        "SPARK_HOME", dir.resolve("spark-home").toString(),
        "SPARK_LOCAL_IP", "127.0.0.1"));
    env.putAll(settings);
    LocalCluster c = new LocalCluster(root, dir, Map.copyOf(env), workers);
    Run start = c.run(180, "deploy/local-cluster.sh", "start", Integer.toString(workers));
    if (start.code() != 0) {
      throw new IllegalStateException("the local cluster did not start (exit code "
          + start.code() + "):\n" + start.output());
    }
    c.master = start.output().lines().filter(l -> l.startsWith("spark://")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the local cluster printed no master URL:\n"
            + start.output()));
    return c;
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  public String master() {
    return master;
  }

  /** The cluster's directory: {@code work/worker-N/app-*} hold the executors' logs. */
  public Path dir() {
    return dir;
  }

  /** A free TCP port on this machine (free when asked). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code cmd} from the checkout's root with the cluster's environment. */
  public Process launch(Path log, List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs {@code cmd} to its end, killed after {@code seconds} (exit code -1). */
  public Run run(int seconds, List<String> cmd) throws Exception {
    Path log = Files.createTempFile("sparkps-it-", ".log");
    try {
      Process p = launch(log, cmd);
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "timed out after " + seconds + " s:\n" + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** As {@link #run(int, List)}. */
  public Run run(int seconds, String... cmd) throws Exception {
    return run(seconds, List.of(cmd));
  }

  /** SIGKILLs worker {@code n} (1-based), as a failure drill. */
  public Run killWorker(String n) throws Exception {
    return run(30, "deploy/local-cluster.sh", "kill-worker", n);
  }

  /** The number of a worker running an executor of the newest application. */
  public String busyWorker() throws IOException {
    String newest = "";
    String worker = "";
    for (int i = 1; i <= workers; i++) {
      Path work = dir.resolve("work/worker-" + i);
      if (!Files.isDirectory(work)) {
        continue;
      }
      try (var apps = Files.list(work)) {
        for (Path a : apps.toList()) {
          String name = a.getFileName().toString();
          if (name.startsWith("app-") && name.compareTo(newest) >= 0) {
            newest = name;
            worker = Integer.toString(i);
          }
        }
      }
    }
    if (worker.isEmpty()) {
      throw new IllegalStateException("no worker runs an executor");
    }
    return worker;
  }

  /** The executors' stderr logs of every application so far, joined. */
  public String executorLogs() throws IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(dir.resolve("work"))) {
      for (Path f : files.filter(x -> x.getFileName().toString().equals("stderr")).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  /**
   * Stops the master and workers; fails when one still runs (its logs are then kept in
   * {@link #dir}), else deletes the directory.
   */
  @Override
  public void close() throws Exception {
    run(60, "deploy/local-cluster.sh", "stop");
    Run status = run(30, "deploy/local-cluster.sh", "status");
    if (status.output().contains("running")) {
      throw new IllegalStateException("stop left processes running (logs in " + dir + "):\n"
          + status.output());
    }
    LocalFiles.deleteTree(dir);
  }
}
