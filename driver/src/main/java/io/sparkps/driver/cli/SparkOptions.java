package io.sparkps.driver.cli;

import io.sparkps.driver.SparkSessions;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Runtime settings: the Spark master, the workers and the parameter server. */
public final class SparkOptions {

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master. Default: what spark-submit set, else local[*].")
  String master;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
      description = "Training partitions, one barrier task each; at most the cluster's cores. "
          + "Default: Spark's default parallelism.")
  int workers;

  @Option(names = "--ps", paramLabel = "HOST:PORT", split = ",",
      description = "Running parameter-server shards, in shard order. Default: start one in "
          + "this process on a free port with a fresh token.")
  List<String> parameterServers = List.of();

  @Option(names = "--ps-token-file", paramLabel = "FILE",
      description = "File holding the running shards' worker token (with --ps).")
  Path tokenFile;

  @Option(names = "--ps-admin-token-file", paramLabel = "FILE",
      description = "File holding the running shards' admin token (with --ps), when they were "
          + "started with --admin-token-file; only the driver uses it, workers get the worker "
          + "token.")
  Path adminTokenFile;

  @Option(names = "--ps-tls-cert", paramLabel = "FILE",
      description = "PEM certificate of the running shards (their --tls-cert), with --ps: the "
          + "run speaks TLS to them and trusts exactly this certificate. The in-process server "
          + "always speaks TLS, with a certificate made for the run.")
  Path psCertificate;

  @Option(names = "--shards", paramLabel = "S", defaultValue = "1",
      description = "Shards of the in-process parameter server. Default: ${DEFAULT-VALUE}.")
  int shards;

  @Option(names = "--sync", paramLabel = "MODE", defaultValue = "sync",
      description = "sync (bulk synchronous), ssp:S (at most S rounds of staleness) or async. "
          + "Default: ${DEFAULT-VALUE}.")
  String sync;

  @Option(names = "--pull-deadline", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long a worker waits for the slowest before failing the epoch. "
          + "Default: ${DEFAULT-VALUE}.")
  long pullDeadline;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
      description = "Compute backend of the workers: auto (vector where the JVM has "
          + "jdk.incubator.vector, else cpu; cpu also for a JVM's first model whose epoch is "
          + "at most 2^24 parameters x rows a worker, too little work for the vector kernels' "
          + "warm-up to pay, while a JVM that has trained before keeps vector; the log says "
          + "which and why), cpu (plain loops), vector (the "
          + "JDK Vector API; needs --add-modules jdk.incubator.vector on the executors, which "
          + "bin/sparkps and deploy/submit.sh add), or a plug-in's name. "
          + "Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--checkpoint-dir", paramLabel = "URI",
      description = "Checkpoint the run here after every epoch (file://, hdfs://, ...): the "
          + "driver's record under URI/run, in-process shards under URI/ps; --ps servers write "
          + "into their own --checkpoint-dir. A run that died continues with 'sparkps resume "
          + "--checkpoint URI'; a keyed run also rides out a --ps server's restart.")
  java.net.URI checkpointDir;

  /** The Spark session of this command (one per JVM). */
  public SparkSession session(String appName) {
    SparkSessions.Settings s = SparkSessions.Settings.defaults().withAppName(appName);
    return SparkSessions.getOrCreate(master == null ? s : s.withMaster(master));
  }

  private static String read(Path file, String option) {
    if (file == null) {
      return "";
    }
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + option + " " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** The runtime settings; {@code defaultWorkers} applies when --workers is not given. */
  public RuntimeSettings runtime(int defaultWorkers) {
    return new RuntimeSettings(workers > 0 ? workers : defaultWorkers, parameterServers,
        read(tokenFile, "--ps-token-file"), read(adminTokenFile, "--ps-admin-token-file"),
        read(psCertificate, "--ps-tls-cert"), shards, sync, pullDeadline, backend, java.util.Optional.ofNullable(checkpointDir));
  }
}
