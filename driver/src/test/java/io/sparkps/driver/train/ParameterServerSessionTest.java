package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.client.ServerAccess;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process server of a run speaks TLS with a certificate made for the run, which the
 * workers pin; they get the worker token only, and nothing the run logs shows a token.
 */
@Timeout(30)
class ParameterServerSessionTest {

  @Test
  void theRunsServerSpeaksTlsAndItsWorkersHoldNoAdminPower() {
    try (ParameterServerSession ps = ParameterServerSession.open(RuntimeSettings.embedded(1),
        "127.0.0.1")) {
      ServerAccess w = ps.workers();
      assertTrue(w.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
      assertNotEquals(0, w.jobId());
      ps.admin().init(JobSpec.sync(4, Sgd.of(0.1), 1));
      ClientConfig pinned = w.clientConfig().withRetry(RetryPolicy.none());
      try (ParameterServerClient c = ParameterServerClient.connect(pinned)) {
        assertEquals(4, c.pull(0).length);
      }
      // the worker token cannot start or replace a job
      try (ParameterServerAdmin asWorker = ParameterServerAdmin.connect(pinned)) {
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParameterServerException.class,
            () -> asWorker.replace(JobSpec.sync(4, Sgd.of(0.1), 1))).code());
      }
      // a client without the pinned certificate gets no plaintext service
      ClientConfig plain = new ClientConfig(pinned.shards(), pinned.token(), Optional.empty(),
          pinned.requestTimeout(), pinned.pullDeadline(), pinned.retry(),
          pinned.maxFrameBytes(), "plain", pinned.jobId());
      try (ParameterServerClient c = ParameterServerClient.connect(plain)) {
        assertThrows(ParameterServerException.class, () -> c.pull(0));
      }
      assertFalse(w.toString().contains(w.workerToken()), w.toString());
    }
  }

  @Test
  void aPreparedCertificateServesOneServerOnlyAndItsWorkersPinIt() {
    ParameterServerSession.prepareTls();
    try (ParameterServerSession first = ParameterServerSession.open(RuntimeSettings.embedded(1),
        "127.0.0.1");
        ParameterServerSession second = ParameterServerSession.open(
            RuntimeSettings.embedded(1), "127.0.0.1")) {
      assertNotEquals(first.workers().certificatePem(), second.workers().certificatePem(),
          "each server its own key and certificate");
      for (ParameterServerSession ps : List.of(first, second)) {
        ps.admin().init(JobSpec.sync(3, Sgd.of(0.1), 1));
        try (ParameterServerClient c = ParameterServerClient.connect(
            ps.workers().clientConfig().withRetry(RetryPolicy.none()))) {
          assertEquals(3, c.pull(0).length);
        }
      }
      // pinned to the other server's certificate, a worker is refused
      ClientConfig crossed = second.workers().clientConfig().withRetry(RetryPolicy.none())
          .withTrustedCertificatePem(first.workers().certificatePem());
      assertThrows(RuntimeException.class, () -> {
        try (ParameterServerClient c = ParameterServerClient.connect(crossed)) {
          c.pull(0);
        }
      });
    }
  }

  @Test
  void runtimeSettingsHideTheTokens() {
    RuntimeSettings s = new RuntimeSettings(2, List.of("h:1"), "worker-secret-123",
        "admin-secret-456", "", 1, "sync", 60, "cpu", Optional.empty());
    assertFalse(s.toString().contains("secret"), s.toString());
  }

  @Test
  void aRenewedSessionFencesTheOldJobIdAndWaitsForItsShards() {
    ParameterServerSession ps = ParameterServerSession.open(RuntimeSettings.embedded(1),
        "127.0.0.1");
    ps.admin().init(JobSpec.sync(4, Sgd.of(0.1), 1));
    ServerAccess old = ps.workers();
    ParameterServerSession renewed = ps.renew();
    try {
      assertNotEquals(old.jobId(), renewed.workers().jobId());
      assertEquals(old.shards(), renewed.workers().shards(), "the same shards");
      renewed.awaitShards(java.time.Duration.ofSeconds(5));
      renewed.admin().replace(JobSpec.sync(4, Sgd.of(0.1), 1));
      try (ParameterServerClient c = ParameterServerClient.connect(
          old.clientConfig().withRetry(RetryPolicy.none()))) {
        ParameterServerException e = assertThrows(ParameterServerException.class,
            () -> c.pull(0));
        assertEquals(ErrorCode.WRONG_JOB, e.code(), e.getMessage());
      }
    } finally {
      renewed.close();
    }
    IllegalStateException gone = assertThrows(IllegalStateException.class,
        () -> renewed.awaitShards(java.time.Duration.ofMillis(300)));
    assertTrue(gone.getMessage().contains("did not answer within")
        && gone.getMessage().contains("sparkps resume"), gone.getMessage());
  }
}
