package io.sparkps.ps;

import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.security.TlsFiles;
import io.sparkps.ps.security.TlsIdentity;
import io.sparkps.ps.security.Tokens;
import io.sparkps.ps.server.ConnectionLimits;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import io.sparkps.ps.wire.Protocol;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar sparkps-parameter-server-<version>-standalone.jar --port P --shards K
 * --checkpoint-dir URI --token-file F}: runs shards {@code first-shard} to
 * {@code first-shard + K - 1} on one port until SIGTERM (or an admin shutdown), then stops after
 * the round in flight and writes a last checkpoint.
 */
@Command(name = "sparkps-ps", mixinStandardHelpOptions = true, version = "SparkPS parameter "
    + "server, protocol " + Protocol.VERSION, description = "Runs parameter-server shards of a "
    + "SparkPS job as a standalone service.")
public final class ParameterServerMain implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on "
      + "(default: ${DEFAULT-VALUE}, loopback only; give the address workers reach, or 0.0.0.0, "
      + "to serve other machines: see SECURITY.md).")
  String host;

  @Option(names = "--port", defaultValue = "7070", description = "Port for all hosted shards; "
      + "0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--shards", defaultValue = "1", description = "How many shards this process "
      + "hosts (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--first-shard", defaultValue = "0", description = "Id of the first hosted "
      + "shard, when several processes share a job (default: ${DEFAULT-VALUE}).")
  int firstShard;

  @Option(names = "--process-index", paramLabel = "I", description = "Index of this process "
      + "among processes that each host --shards shards: hosts shards I x shards onwards, "
      + "instead of --first-shard (in a Kubernetes StatefulSet, the pod's index).")
  Optional<Integer> processIndex;

  @Option(names = "--token-file", required = true, description = "File whose first line is the "
      + "worker token: it may push and pull.")
  Path tokenFile;

  @Option(names = "--admin-token-file", description = "File whose first line is the admin "
      + "token, which alone may init, restore, checkpoint and shut down. Without it the worker "
      + "token grants admin requests too.")
  Optional<Path> adminTokenFile;

  @Option(names = "--checkpoint-dir", description = "Checkpoint directory URI (file://, hdfs://).")
  Optional<URI> checkpointDir;

  @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint every N "
      + "versions; 0 only on request (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--no-restore", description = "Do not load the latest checkpoint on start. "
      + "A shard loaded on start serves no run until its driver restores it (the admin's "
      + "restore); workers get UNCLAIMED meanwhile.")
  boolean noRestore;

  @Option(names = "--metrics-port", description = "Serve Prometheus metrics at /metrics here.")
  Optional<Integer> metricsPort;

  @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Address of the "
      + "metrics endpoint, which has no authentication (default: ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(names = "--max-connections", defaultValue = "1024", description = "Open connections "
      + "at most; more are refused with a retryable error (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--idle-timeout-ms", defaultValue = "600000", description = "Close an "
      + "authenticated connection idle this long; must exceed the workers' pull deadline "
      + "(default: ${DEFAULT-VALUE}).")
  long idleMillis;

  @Option(names = "--max-failed-hellos", defaultValue = "10", description = "Failed hellos one "
      + "address may make per minute before its connections are refused for the rest of the "
      + "minute (default: ${DEFAULT-VALUE}).")
  int failedHellos;

  @Option(names = "--tls-cert", description = "PEM certificate chain; enables TLS with --tls-key.")
  Optional<Path> tlsCert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert.")
  Optional<Path> tlsKey;

  @Option(names = "--max-frame-bytes", defaultValue = "" + Protocol.DEFAULT_MAX_FRAME_BYTES,
      description = "Largest frame accepted (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(names = "--frame-timeout-ms", defaultValue = "10000", description = "A started frame "
      + "that stalls this long is truncated (default: ${DEFAULT-VALUE}).")
  long frameTimeoutMillis;

  @Option(names = "--drain-ms", defaultValue = "30000", description = "On SIGTERM, how long to "
      + "wait for the round in flight (default: ${DEFAULT-VALUE}).")
  long drainMillis;

  /** Builds the server configuration from the options. */
  ServerConfig config() {
    if (shards < 1 || firstShard < 0) {
      throw new IllegalArgumentException("--shards must be at least 1 and --first-shard at "
          + "least 0, got " + shards + " and " + firstShard + ".");
    }
    int first = firstShard(processIndex, firstShard, shards);
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together; got only "
          + (tlsCert.isPresent() ? "--tls-cert" : "--tls-key") + ".");
    }
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      ids.add(first + i);
    }
    Optional<TlsIdentity> tls = tlsCert.map(c -> new TlsFiles(c, tlsKey.orElseThrow()));
    String worker = Tokens.read(tokenFile);
    Credentials credentials = adminTokenFile.map(f -> new Credentials(worker, Tokens.read(f)))
        .orElse(Credentials.single(worker));
    return new ServerConfig(host, port, ids, credentials, maxFrameBytes,
        frameTimeoutMillis, tls, checkpointDir, checkpointEvery, !noRestore, metricsPort,
        drainMillis, metricsHost, new ConnectionLimits(maxConnections, idleMillis, failedHellos,
        60_000));
  }

  /** The first hosted shard: {@code index x shards} when a process index is given. */
  static int firstShard(Optional<Integer> index, int firstShard, int shards) {
    if (index.isEmpty()) {
      return firstShard;
    }
    int i = index.get();
    if (firstShard != 0) {
      throw new IllegalArgumentException("give --process-index or --first-shard, not both (got "
          + i + " and " + firstShard + ").");
    }
    if (i < 0 || (long) i * shards > Integer.MAX_VALUE - shards) {
      throw new IllegalArgumentException("--process-index must be between 0 and "
          + (Integer.MAX_VALUE / shards - 1) + " with --shards " + shards + ", got " + i + ".");
    }
    return i * shards;
  }

  @Override
  public Integer call() throws Exception {
    ParameterServer server = ParameterServer.start(config());
    Thread hook = new Thread(server::stop, "sparkps-ps-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("sparkps-ps listening on port " + server.port()
        + server.metricsPort().map(p -> ", metrics on port " + p).orElse(""));
    server.blockUntilShutdown();
    return 0;
  }

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "sparkps-ps-log4j2.xml");
    }
    // Our SIGTERM hook logs the drain and the last checkpoint: keep logging alive until then.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    CommandLine cli = new CommandLine(new ParameterServerMain());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("sparkps-ps: " + e.getMessage());
      return 2;
    });
    System.exit(cli.execute(args));
  }
}
