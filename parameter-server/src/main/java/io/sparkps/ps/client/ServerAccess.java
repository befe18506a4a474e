package io.sparkps.ps.client;

import io.sparkps.ps.api.JobIds;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * How the workers of one training run reach its parameter server, shipped to the executors with
 * each epoch's job: the shard addresses, the worker credential (never the admin one), the run's
 * job id and, when the server speaks TLS, its certificate, which the workers pin. Its
 * {@link #toString()} never shows the credential.
 *
 * @param shards shard addresses as {@code host:port}, in shard order
 * @param workerToken the worker credential: push and pull only
 * @param jobId the run's job id, named by every job-scoped message
 * @param certificatePem the server's PEM certificate to pin, or "" for plain TCP
 */
public record ServerAccess(List<String> shards, String workerToken, long jobId,
    String certificatePem) implements Serializable {

  public ServerAccess {
    shards = List.copyOf(shards);
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one parameter-server shard.");
    }
    shards.forEach(ServerAccess::parse);
  }

  /** The shard addresses, parsed. */
  public List<InetSocketAddress> addresses() {
    return shards.stream().map(ServerAccess::parse).toList();
  }

  /** A client configuration for a worker of this run (timeouts and retries at their defaults). */
  public ClientConfig clientConfig() {
    ClientConfig c = ClientConfig.of(addresses(), workerToken).withJobId(jobId);
    return certificatePem.isEmpty() ? c : c.withTrustedCertificatePem(certificatePem);
  }

  /** Parses {@code host:port}, failing with the address and the fix. */
  public static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("parameter-server address '" + hostPort
          + "' is not host:port");
    }
    try {
      return new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter-server address '" + hostPort
          + "' has no numeric port");
    }
  }

  @Override
  public String toString() {
    return "ServerAccess[shards=" + shards + ", workerToken=(hidden), jobId="
        + JobIds.format(jobId) + ", tls=" + (certificatePem.isEmpty() ? "off" : "pinned") + "]";
  }
}
