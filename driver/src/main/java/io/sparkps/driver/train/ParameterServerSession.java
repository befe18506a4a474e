package io.sparkps.driver.train;

import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import io.sparkps.worker.EpochJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The parameter server a run talks to: shards started in this JVM on a free port of the driver's
 * address with a fresh token, or running shards named by {@code --ps}. Closing stops what this
 * session started.
 */
public final class ParameterServerSession implements AutoCloseable {
  private final Optional<ParameterServer> embedded;
  private final List<String> addresses;
  private final String token;
  private final ParameterServerAdmin admin;

  private ParameterServerSession(Optional<ParameterServer> embedded, List<String> addresses,
      String token) {
    this.embedded = embedded;
    this.addresses = List.copyOf(addresses);
    this.token = token;
    this.admin = ParameterServerAdmin.connect(ClientConfig.of(
        addresses.stream().map(EpochJob::parse).toList(), token)
        .withName("driver"));
  }

  /**
   * Starts in-process shards on {@code host}, checkpointing under {@code checkpointDir} if given,
   * or connects to the running ones of the settings.
   */
  public static ParameterServerSession open(RuntimeSettings settings, String host,
      Optional<java.net.URI> checkpointDir) {
    if (!settings.parameterServers().isEmpty()) {
      return new ParameterServerSession(Optional.empty(), settings.parameterServers(),
          settings.token());
    }
    String token = HexFormat.of().formatHex(randomBytes());
    ServerConfig cfg = new ServerConfig(host, 0,
        IntStream.range(0, settings.shards()).boxed().toList(), token,
        ServerConfig.loopback(token).maxFrameBytes(), 10_000, Optional.empty(),
        checkpointDir, 0, false, Optional.empty(), 30_000);
    try {
      ParameterServer server = ParameterServer.start(cfg);
      String address = host + ":" + server.port();
      return new ParameterServerSession(Optional.of(server),
          IntStream.range(0, settings.shards()).mapToObj(i -> address).toList(), token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the in-process parameter server on " + host
          + ": " + e.getMessage(), e);
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Shard addresses, {@code host:port}, in shard order. */
  public List<String> addresses() {
    return addresses;
  }

  public String token() {
    return token;
  }

  public ParameterServerAdmin admin() {
    return admin;
  }

  /**
   * Stops what this session started at once, as a crash would: no drain of the round in flight
   * (a failed epoch's round never completes, and the drain would wait its 30 s for it) and no
   * last checkpoint, so the checkpoint of the last completed epoch stays the one to resume from.
   */
  public void abandon() {
    admin.close();
    embedded.ifPresent(ParameterServer::kill);
  }

  @Override
  public void close() {
    admin.close();
    embedded.ifPresent(ParameterServer::close);
  }
}
