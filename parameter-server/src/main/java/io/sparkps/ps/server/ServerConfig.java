package io.sparkps.ps.server;

import io.sparkps.ps.security.TlsIdentity;
import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.wire.Protocol;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Runtime settings of one parameter-server process. Algorithm settings (optimizer, mode,
 * partitions) come from the driver's init, not from here.
 *
 * @param bindHost the address to listen on (the standalone server's default is loopback)
 * @param port the port; 0 picks a free one ({@link ParameterServer#port()} tells which)
 * @param shardIds the shard ids this process hosts (all of them share the port; the shard id
 *     travels in each request header)
 * @param credentials the worker and admin tokens (its toString hides them)
 * @param maxFrameBytes the largest frame accepted, checked before its payload is read
 * @param frameTimeoutMillis how long a started frame may stall before it counts as truncated
 * @param tls the TLS identity (a user's PEM files, or a certificate made for one run), or empty
 *     for plain TCP
 * @param checkpointDir where checkpoints go (any Hadoop FileSystem URI), or empty for none
 * @param checkpointEvery checkpoint automatically every this many versions (0: only on request)
 * @param restoreOnStart load the latest checkpoint of each hosted shard on start, if any
 * @param metricsPort the Prometheus HTTP port (0 picks a free one), or empty for none
 * @param drainMillis on stop, how long to wait for the round in flight to complete
 * @param metricsHost the address the metrics endpoint listens on (loopback unless configured:
 *     it has no authentication)
 * @param limits connection cap, idle timeout and failed-hello throttling
 */
public record ServerConfig(
    String bindHost, int port, List<Integer> shardIds, Credentials credentials, int maxFrameBytes,
    long frameTimeoutMillis, Optional<TlsIdentity> tls, Optional<URI> checkpointDir,
    int checkpointEvery, boolean restoreOnStart, Optional<Integer> metricsPort,
    long drainMillis, String metricsHost, ConnectionLimits limits) {

  public ServerConfig {
    shardIds = List.copyOf(shardIds);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port + " (--port).");
    }
    if (shardIds.isEmpty() || shardIds.stream().anyMatch(i -> i < 0)
        || shardIds.stream().distinct().count() != shardIds.size()) {
      throw new IllegalArgumentException("shard ids must be distinct and at least 0, got "
          + shardIds + " (--shards / --first-shard).");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024, got "
          + maxFrameBytes + " (--max-frame-bytes).");
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery must be at least 0, got "
          + checkpointEvery + " (--checkpoint-every; 0 turns it off).");
    }
    if (checkpointEvery > 0 && checkpointDir.isEmpty()) {
      throw new IllegalArgumentException("checkpointEvery is " + checkpointEvery
          + " but no checkpoint directory is set; pass --checkpoint-dir.");
    }
  }

  /**
   * Loopback, a free port, shard 0 only, one token for both roles, no TLS, no checkpoints, no
   * metrics, default limits.
   */
  public static ServerConfig loopback(String token) {
    return new ServerConfig("127.0.0.1", 0, List.of(0), Credentials.single(token),
        Protocol.DEFAULT_MAX_FRAME_BYTES, 10_000, Optional.empty(), Optional.empty(), 0, false, Optional.empty(), 30_000,
        "127.0.0.1", ConnectionLimits.defaults());
  }

  public ServerConfig withShards(List<Integer> ids) {
    return new ServerConfig(bindHost, port, ids, credentials, maxFrameBytes, frameTimeoutMillis, tls,
        checkpointDir, checkpointEvery, restoreOnStart, metricsPort, drainMillis, metricsHost,
        limits);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(bindHost, newPort, shardIds, credentials, maxFrameBytes,
        frameTimeoutMillis, tls, checkpointDir, checkpointEvery, restoreOnStart, metricsPort,
        drainMillis, metricsHost, limits);
  }

  public ServerConfig withBindHost(String host) {
    return new ServerConfig(host, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis, tls,
        checkpointDir, checkpointEvery, restoreOnStart, metricsPort, drainMillis, metricsHost,
        limits);
  }

  public ServerConfig withLimits(int newMaxFrameBytes, long newFrameTimeoutMillis) {
    return new ServerConfig(bindHost, port, shardIds, credentials, newMaxFrameBytes,
        newFrameTimeoutMillis, tls, checkpointDir, checkpointEvery, restoreOnStart, metricsPort,
        drainMillis, metricsHost, limits);
  }

  public ServerConfig withConnectionLimits(ConnectionLimits newLimits) {
    return new ServerConfig(bindHost, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis,
        tls, checkpointDir, checkpointEvery, restoreOnStart, metricsPort, drainMillis,
        metricsHost, newLimits);
  }

  public ServerConfig withTls(TlsIdentity identity) {
    return new ServerConfig(bindHost, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis,
        Optional.of(identity), checkpointDir, checkpointEvery, restoreOnStart, metricsPort,
        drainMillis, metricsHost, limits);
  }

  public ServerConfig withCheckpoints(URI dir, int every, boolean restore) {
    return new ServerConfig(bindHost, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis,
        tls, Optional.of(dir), every, restore, metricsPort, drainMillis, metricsHost, limits);
  }

  /** Serves metrics on {@code host:metrics} (0 picks a free port). */
  public ServerConfig withMetrics(String host, int metrics) {
    return new ServerConfig(bindHost, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis,
        tls, checkpointDir, checkpointEvery, restoreOnStart, Optional.of(metrics), drainMillis,
        host, limits);
  }

  /** Serves metrics on {@link #metricsHost()} at {@code metrics} (0 picks a free port). */
  public ServerConfig withMetricsPort(int metrics) {
    return new ServerConfig(bindHost, port, shardIds, credentials, maxFrameBytes, frameTimeoutMillis,
        tls, checkpointDir, checkpointEvery, restoreOnStart, Optional.of(metrics), drainMillis,
        metricsHost, limits);
  }

  public ServerConfig withCredentials(Credentials newCredentials) {
    return new ServerConfig(bindHost, port, shardIds, newCredentials, maxFrameBytes,
        frameTimeoutMillis, tls, checkpointDir, checkpointEvery, restoreOnStart, metricsPort,
        drainMillis, metricsHost, limits);
  }
}
