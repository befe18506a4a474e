package io.sparkps.ps.client;

import io.sparkps.ps.api.JobIds;
import io.sparkps.ps.security.Tokens;
import io.sparkps.ps.wire.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * @param trustedCertificate the server's PEM certificate (its text) for TLS, pinned: exactly
 *     this certificate is trusted; empty for plain TCP
 * @param requestTimeout how long to wait for a reply, beyond any server-side deadline
 * @param pullDeadline how long a pull may wait for its round (the server names missing partitions)
 * @param retry what to do about retryable errors
 * @param maxFrameBytes the largest reply frame accepted
 * @param clientName a name for the server's log (for example "partition-3")
 * @param jobId the job every job-scoped request names (not 0); the driver draws one per run and
 *     ships it to the workers, so the server refuses messages of any other job
 */
public record ClientConfig(
    List<InetSocketAddress> shards, String token, Optional<String> trustedCertificate,
    Duration requestTimeout, Duration pullDeadline, RetryPolicy retry, int maxFrameBytes,
    String clientName, long jobId) {

  public ClientConfig {
    shards = List.copyOf(shards);
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one shard address, got none.");
    }
    Tokens.require(token);
    if (jobId == 0) {
      throw new IllegalArgumentException("jobId must not be 0 (it means \"no job\"); draw one "
          + "per run (JobIds.random()).");
    }
  }

  /** Plain TCP, 30 s request timeout, 60 s pull deadline, standard retries, job id 1. */
  public static ClientConfig of(List<InetSocketAddress> shards, String token) {
    return new ClientConfig(shards, token, Optional.empty(), Duration.ofSeconds(30),
        Duration.ofSeconds(60), RetryPolicy.standard(), Protocol.DEFAULT_MAX_FRAME_BYTES,
        "client", 1);
  }

  public ClientConfig withPullDeadline(Duration deadline) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, deadline, retry,
        maxFrameBytes, clientName, jobId);
  }

  public ClientConfig withRetry(RetryPolicy policy) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, pullDeadline,
        policy, maxFrameBytes, clientName, jobId);
  }

  /** Trusts exactly the certificate in the PEM file {@code pem} (TLS). */
  public ClientConfig withTrustedCertificate(Path pem) {
    try {
      return withTrustedCertificatePem(Files.readString(pem, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the trusted certificate " + pem + " ("
          + e.getClass().getSimpleName() + "); pass the server's PEM certificate.", e);
    }
  }

  /** Trusts exactly the certificate whose PEM text is {@code pem} (TLS). */
  public ClientConfig withTrustedCertificatePem(String pem) {
    return new ClientConfig(shards, token, Optional.of(pem), requestTimeout, pullDeadline, retry,
        maxFrameBytes, clientName, jobId);
  }

  public ClientConfig withName(String name) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, pullDeadline,
        retry, maxFrameBytes, name, jobId);
  }

  /** The configuration with the token hidden (configurations get logged). */
  @Override
  public String toString() {
    return "ClientConfig[shards=" + shards + ", token=(hidden), tls=" + (trustedCertificate
        .isPresent() ? "pinned" : "off") + ", requestTimeout=" + requestTimeout
        + ", pullDeadline=" + pullDeadline + ", retry=" + retry + ", maxFrameBytes="
        + maxFrameBytes + ", clientName=" + clientName + ", jobId=" + JobIds.format(jobId) + "]";
  }

  public ClientConfig withJobId(long id) {
    return new ClientConfig(shards, token, trustedCertificate, requestTimeout, pullDeadline,
        retry, maxFrameBytes, clientName, id);
  }
}
