package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.client.ServerAccess;
import io.sparkps.ps.security.Credentials;
import io.sparkps.ps.wire.Message;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * The worker token pushes and pulls but cannot init, restore, checkpoint, end a job or stop the
 * server;
 * no configuration record, hello or metrics page shows a secret.
 */
@Timeout(20)
class CredentialsTest {
  private static final String WORKER = "worker-secret-0123456789";
  private static final String ADMIN = "admin-secret-9876543210";

  private static void assertForbidden(Executable call) {
    ParameterServerException e = assertThrows(ParameterServerException.class, call);
    assertEquals(ErrorCode.FORBIDDEN, e.code(), e.getMessage());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("admin token"), e.getMessage());
  }

  @Test
  void aWorkerTokenCannotSendAdminRequests(@TempDir Path dir) throws Exception {
    ServerConfig cfg = ServerConfig.loopback(WORKER).withCredentials(new Credentials(WORKER,
        ADMIN)).withCheckpoints(dir.toUri(), 0, false);
    try (ParameterServer server = ParameterServer.start(cfg)) {
      ClientConfig base = Fixtures.client(Fixtures.addresses(server, 1))
          .withRetry(RetryPolicy.none());
      ClientConfig asWorker = new ClientConfig(base.shards(), WORKER, base.trustedCertificate(),
          base.requestTimeout(), base.pullDeadline(), base.retry(), base.maxFrameBytes(), "w", 1);
      ClientConfig asAdmin = new ClientConfig(base.shards(), ADMIN, base.trustedCertificate(),
          base.requestTimeout(), base.pullDeadline(), base.retry(), base.maxFrameBytes(), "a", 1);
      JobSpec job = JobSpec.sync(4, Fixtures.sgd(0.5), 1);
      try (ParameterServerAdmin worker = ParameterServerAdmin.connect(asWorker);
           ParameterServerAdmin admin = ParameterServerAdmin.connect(asAdmin);
           ParameterServerClient client = ParameterServerClient.connect(asWorker)) {
        assertForbidden(() -> worker.init(job));
        admin.init(job);
        assertEquals(PushOutcome.ACCEPTED, client.push(GradientPush.gradient(0, 0, 0, 1, 0,
            new float[] {1, 1, 1, 1})));
        assertEquals(-0.5f, client.pull(1)[0], 1e-6f);
        assertForbidden(worker::checkpoint);
        assertForbidden(worker::restore);
        assertForbidden(worker::shutdown);
        assertForbidden(() -> worker.replace(job));
        assertForbidden(worker::endJob);
        // read-only requests are a worker's too
        assertEquals(1, worker.describe().get(0).version());
        assertEquals(1, worker.history(0).size());
        assertEquals(1, admin.checkpoint());
        assertEquals(-0.5f, client.pull(1)[0], 1e-6f); // still serving after the refusals
      }
      String metrics = server.metrics().prometheus();
      assertTrue(metrics.contains("sparkps_ps_errors_total{code=\"FORBIDDEN\"} 6"), metrics);
      assertFalse(metrics.contains(WORKER) || metrics.contains(ADMIN));
    }
  }

  @Test
  void noConfigurationOrMessageShowsASecret() {
    ServerConfig server = ServerConfig.loopback(WORKER).withCredentials(new Credentials(WORKER,
        ADMIN));
    ClientConfig client = ClientConfig.of(List.of(new java.net.InetSocketAddress("h", 1)),
        WORKER);
    ServerAccess access = new ServerAccess(List.of("h:1"), WORKER, 7, "");
    Message.Hello hello = new Message.Hello(ADMIN, 2, "driver");
    for (Object o : List.of(server, client, access, hello, server.credentials())) {
      String s = o.toString();
      assertFalse(s.contains(WORKER) || s.contains(ADMIN), s);
      assertTrue(s.contains("(hidden)"), s);
    }
    assertTrue(Credentials.single(WORKER).toString().contains("same as worker"));
  }
}
