package io.sparkps.driver.train;

import java.util.List;
import java.util.Locale;

/**
 * How a training run is executed, apart from what it computes: the number of workers, where the
 * parameter server runs and how it synchronizes, and how long a round may wait. Algorithm
 * settings live in {@link io.sparkps.core.train.TrainingConfig}.
 *
 * @param workers Spark partitions that train, one barrier task each
 * @param parameterServers {@code host:port} of running shards in shard order; empty starts an
 *     in-process server with {@code shards} shards on a free port and a fresh token
 * @param token the worker token of running shards (ignored for the in-process server)
 * @param adminToken the admin token of running shards, or "" when their worker token grants
 *     admin requests too (ignored for the in-process server, which draws both per run)
 * @param psCertificatePem the PEM certificate running shards present (their --tls-cert), which
 *     the run pins, or "" when they speak plain TCP (ignored for the in-process server, which
 *     always speaks TLS with a certificate made for the run)
 * @param shards shards of the in-process server
 * @param sync {@code sync}, {@code ssp:S} or {@code async}
 * @param pullDeadlineSeconds how long a worker waits for the slowest one before failing
 * @param backend the compute backend workers run on ({@code auto}, {@code cpu}, {@code vector},
 *     or a plug-in's name)
 * @param checkpointDir where the in-process server checkpoints after each epoch (any Hadoop
 *     file system URI), or empty for no checkpoints
 */
public record RuntimeSettings(int workers, List<String> parameterServers, String token,
    String adminToken, String psCertificatePem, int shards, String sync, long pullDeadlineSeconds, String backend,
    java.util.Optional<java.net.URI> checkpointDir) {

  public RuntimeSettings {
    parameterServers = List.copyOf(parameterServers);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    if (pullDeadlineSeconds < 1) {
      throw new IllegalArgumentException("the pull deadline must be at least 1 s, got "
          + pullDeadlineSeconds);
    }
    if (!parameterServers.isEmpty() && (token == null || token.isBlank())) {
      throw new IllegalArgumentException("--ps needs the shards' token (--ps-token-file)");
    }
    mode(sync);
  }

  /** An in-process server, bulk synchronous, one shard, the {@code auto} backend. */
  public static RuntimeSettings embedded(int workers) {
    return new RuntimeSettings(workers, List.of(), "", "", "", 1, "sync", 600, "auto",
        java.util.Optional.empty());
  }

  /** These settings with another compute backend (a trainer narrowing {@code auto}). */
  public RuntimeSettings withBackend(String name) {
    return new RuntimeSettings(workers, parameterServers, token, adminToken, psCertificatePem,
        shards, sync, pullDeadlineSeconds, name, checkpointDir);
  }

  /** The settings with the tokens hidden (settings get logged). */
  @Override
  public String toString() {
    return "RuntimeSettings[workers=" + workers + ", parameterServers=" + parameterServers
        + ", token=(hidden), adminToken=(hidden), tls=" + (psCertificatePem.isEmpty() ? "off"
        : "pinned") + ", shards=" + shards + ", sync=" + sync
        + ", pullDeadlineSeconds=" + pullDeadlineSeconds + ", backend=" + backend
        + ", checkpointDir=" + checkpointDir + "]";
  }

  /** The parsed synchronization mode. */
  public static io.sparkps.ps.api.ConsistencyMode mode(String sync) {
    String s = sync.trim().toLowerCase(Locale.ROOT);
    if (s.equals("sync")) {
      return new io.sparkps.ps.api.ConsistencyMode.Sync();
    }
    if (s.equals("async")) {
      return new io.sparkps.ps.api.ConsistencyMode.Async();
    }
    if (s.startsWith("ssp:")) {
      try {
        return new io.sparkps.ps.api.ConsistencyMode.Ssp(Integer.parseInt(s.substring(4)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--sync ssp needs a staleness bound, as in ssp:2; got '"
            + sync + "'");
      }
    }
    throw new IllegalArgumentException("--sync must be sync, ssp:S or async, got '" + sync + "'");
  }
}
