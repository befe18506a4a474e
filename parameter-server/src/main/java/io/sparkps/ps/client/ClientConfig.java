package io.sparkps.ps.client;

import io.sparkps.ps.security.Tokens;
import io.sparkps.ps.wire.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a client reaches a parameter server.
 *
 * @param shards the address of each shard, in shard order (shard i at index i; several entries
 *     may name the same process)
 * @param token the job's shared secret
 * @param trustedCertificate the server's PEM certificate for TLS, or empty for plain TCP
 * @param requestTimeout how long to wait for a reply, beyond any server-side deadline
 * @param pullDeadline how long a pull may wait for its round (the server names missing partitions)
 * @param retry what to do about retryable errors
 * @param maxFrameBytes the largest reply frame accepted
 * @param clientName a name for the server's log (for example "partition-3")
 */
public record ClientConfig(
    List<InetSocketAddress> shards, String token, Optional<Path> trustedCertificate,
    Duration requestTimeout, Duration pullDeadline, RetryPolicy retry, int maxFrameBytes,
    String clientName) {

  public ClientConfig {
    shards = List.copyOf(shards);
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one shard address, got none.");
    }
    Tokens.require(token);
  }

  /** Plain TCP, 30 s request timeout, 60 s pull deadline, standard retries. */
  public static ClientConfig of(List<InetSocketAddress> shards, String token) {
    return new ClientConfig(shards, token, Optional.empty(), Duration.ofSeconds(30),
        Duration.ofSeconds(60), RetryPolicy.standard(), Protocol.DEFAULT_MAX_FRAME_BYTES,
        "client");
  }

  public ClientConfig withPullDeadline(Duration deadline) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, deadline, retry,
        maxFrameBytes, clientName);
  }

  public ClientConfig withRetry(RetryPolicy policy) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, pullDeadline,
        policy, maxFrameBytes, clientName);
  }

  public ClientConfig withTrustedCertificate(Path pem) {
    return new ClientConfig(shards, token, Optional.of(pem), requestTimeout, pullDeadline, retry,
        maxFrameBytes, clientName);
  }

  public ClientConfig withName(String name) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, pullDeadline,
        retry, maxFrameBytes, name);
  }
}
