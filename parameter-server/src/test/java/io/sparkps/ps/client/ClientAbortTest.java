package io.sparkps.ps.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.server.ParameterServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ParameterServerClient#abort()} from another thread ends a blocked call at once. */
class ClientAbortTest {

  @Test
  void abortEndsABlockedPullFastAndForGood() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1))
          .withPullDeadline(Duration.ofSeconds(60));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(16, Fixtures.sgd(0.1), 2));
      }
      try (ParameterServerClient client = ParameterServerClient.connect(cfg)) {
        client.pull(0);
        // round 5 never comes: nobody pushes, so the pull waits for its 60 s deadline
        CompletableFuture<float[]> pull = CompletableFuture.supplyAsync(() -> client.pull(5));
        Thread.sleep(300);
        assertFalse(pull.isDone(), "the pull should be waiting for round 5");
        long t0 = System.nanoTime();
        client.abort();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> pull.get(5, TimeUnit.SECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis < 1000, "the aborted pull took " + millis + " ms to fail");
        ParameterServerException pse = (ParameterServerException) e.getCause();
        assertEquals(ErrorCode.ABORTED, pse.code());
        assertFalse(pse.retryable());
        assertTrue(pse.getMessage().contains("aborted"), pse.getMessage());
        // an aborted client stays aborted: no reconnect, no retry
        ParameterServerException later = assertThrows(ParameterServerException.class,
            () -> client.pull(0));
        assertEquals(ErrorCode.ABORTED, later.code());
      }
    }
  }
}
