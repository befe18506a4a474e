package io.sparkps.driver.train;

import io.sparkps.ps.api.JobIds;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ServerAccess;
import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.security.SelfSignedTls;
import io.sparkps.ps.server.ConnectionLimits;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The parameter server a run talks to: shards started in this JVM on a free port of the driver's
 * address with fresh worker and admin tokens and TLS with a certificate made for the run (its
 * workers pin it), or running shards named by {@code --ps}. Closing stops what this
 * session started.
 */
public final class ParameterServerSession implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      ParameterServerSession.class);
  /** The next in-process server's TLS identity, made in the background ({@link #prepareTls}). */
  private static final java.util.concurrent.atomic.AtomicReference<
      java.util.concurrent.CompletableFuture<SelfSignedTls>> PREPARED =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final Optional<ParameterServer> embedded;
  private final ServerAccess workers;
  private final ParameterServerAdmin admin;
  private final String adminToken;
  private boolean abandoned;

  private ParameterServerSession(Optional<ParameterServer> embedded, ServerAccess workers,
      String adminToken) {
    this.embedded = embedded;
    this.workers = workers;
    this.adminToken = adminToken;
    ClientConfig c = workers.clientConfig();
    this.admin = ParameterServerAdmin.connect(new ClientConfig(c.shards(), adminToken,
        c.trustedCertificate(), c.requestTimeout(), c.pullDeadline(), c.retry(),
        c.maxFrameBytes(), "driver", c.jobId()));
  }

  /**
   * Starts in-process shards on {@code host}, or connects to the running ones of the settings.
   * Either way the run gets a fresh job id, so a shard refuses the messages of any other run.
   */
  public static ParameterServerSession open(RuntimeSettings settings, String host) {
    return open(settings, host, Optional.empty());
  }

  /**
   * As {@link #open(RuntimeSettings, String)}, in-process shards checkpointing under
   * {@code checkpointDir} if given (the run's own directory, see {@link RunCheckpoint#psDir}).
   */
  public static ParameterServerSession open(RuntimeSettings settings, String host,
      Optional<java.net.URI> checkpointDir) {
    long jobId = JobIds.random();
    if (!settings.parameterServers().isEmpty()) {
      return new ParameterServerSession(Optional.empty(), new ServerAccess(
          settings.parameterServers(), settings.token(), jobId, settings.psCertificatePem()),
          settings.adminToken().isEmpty() ? settings.token() : settings.adminToken());
    }
    // two secrets per run: the executors get the worker token only
    String token = HexFormat.of().formatHex(randomBytes());
    String adminToken = HexFormat.of().formatHex(randomBytes());
    // TLS on every connection: a certificate made for this run, pinned by its workers
    SelfSignedTls tls = takeTls();
    ServerConfig cfg = new ServerConfig(host, 0,
        IntStream.range(0, settings.shards()).boxed().toList(),
        new Credentials(token, adminToken),
        ServerConfig.loopback(token).maxFrameBytes(), 10_000, Optional.of(tls),
        checkpointDir, 0, false, Optional.empty(), 30_000, "127.0.0.1",
        ConnectionLimits.defaults());
    try {
      ParameterServer server = ParameterServer.start(cfg);
      String address = host + ":" + server.port();
      return new ParameterServerSession(Optional.of(server), new ServerAccess(
          IntStream.range(0, settings.shards()).mapToObj(i -> address).toList(), token, jobId,
          tls.certificatePem()), adminToken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the in-process parameter server on " + host
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts making the next in-process server's key and certificate on a background thread,
   * with a first TLS context built from them (loading the JDK's and Netty's TLS classes, most of
   * the cost in a fresh JVM) and one handshake in memory with it ({@link TlsWarmUp}), so that
   * {@link #open} and the first connections find them ready: the command line calls it
   * before it reads the data. The identity is used by one server only (the next {@code open} of
   * in-process shards takes it; later ones make their own) and, as one made in {@code open},
   * never leaves this JVM.
   */
  public static void prepareTls() {
    PREPARED.compareAndSet(null, java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      SelfSignedTls tls = SelfSignedTls.generate("sparkps-ps");
      // and one handshake in memory: the connections of the first epoch find the JDK's TLS
      // handshake code loaded
      TlsWarmUp.handshake(tls.serverContext(), tls.certificatePem());
      return tls;
    }));
  }

  /** The prepared identity, waiting for it if still in the making, or a new one. */
  private static SelfSignedTls takeTls() {
    java.util.concurrent.CompletableFuture<SelfSignedTls> prepared = PREPARED.getAndSet(null);
    if (prepared == null) {
      return SelfSignedTls.generate("sparkps-ps");
    }
    try {
      return prepared.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /**
   * The same shards (and in-process server) under a fresh job id; this session's admin
   * connection is closed, and closing the returned session stops what this one started. Every
   * message of the old id (a task of a cancelled epoch still running, say) is refused from the
   * moment the shards take the new id ({@code ParameterServerAdmin.restore} or an init).
   */
  public ParameterServerSession renew() {
    admin.close();
    return new ParameterServerSession(embedded, new ServerAccess(workers.shards(),
        workers.workerToken(), JobIds.random(), workers.certificatePem()), adminToken);
  }

  /**
   * Waits until every shard answers (a restarted server process is back), polling twice a
   * second for at most {@code timeout}; fails with the fix after it.
   */
  public void awaitShards(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        admin.describe();
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the parameter server did not answer within "
              + timeout.toSeconds() + " s (--pull-deadline): " + e.getMessage() + ". Restart "
              + "the server processes (sparkps ps with their --checkpoint-dir) and continue "
              + "with 'sparkps resume --checkpoint DIR'.", e);
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the parameter server", e);
      }
    }
  }

  /** How the run's workers reach the server (shipped to the executors with each epoch). */
  public ServerAccess workers() {
    return workers;
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
    abandoned = true;
    admin.close();
    embedded.ifPresent(ParameterServer::kill);
  }

  /**
   * Ends the session. On running shards ({@code --ps}) a run that was not abandoned ends its job
   * there ({@code ParameterServerAdmin.endJob}), so the next run against the same processes is
   * not refused as a second driver; an abandoned run's job stays, for whoever investigates or
   * restores it. In-process shards stop.
   */
  @Override
  public void close() {
    if (embedded.isEmpty() && !abandoned) {
      try {
        admin.endJob();
      } catch (RuntimeException e) {
        LOG.warn("could not end the job on the parameter server (the next run against it must "
            + "replace it): " + e.getMessage());
      }
    }
    admin.close();
    embedded.ifPresent(ParameterServer::close);
  }
}
