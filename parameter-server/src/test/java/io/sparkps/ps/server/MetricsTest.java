package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class MetricsTest {
  @Test
  void prometheusTextAndHistoryDescribeTheRounds() throws Exception {
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withMetricsPort(0))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(1000, Fixtures.sgd(0.1), 2));
        Fixtures.runWorkers(cfg, 2, 0, 5);
        admin.awaitRound(5, java.time.Duration.ofSeconds(5));
        List<RoundStats> history = admin.history(2);
        assertEquals(3, history.size());
        assertEquals(2, history.get(0).round());
        double expectedLoss = (1.5 * 1 + 2 * 4) / (double) (Fixtures.examples(0)
            + Fixtures.examples(1));
        assertEquals(expectedLoss, history.get(2).meanLoss(), 1e-12);
      }
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.metricsPort().orElseThrow() + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(text.contains("sparkps_ps_rounds_total{shard=\"0\"} 5"), text);
      assertTrue(text.contains("sparkps_ps_pushes_total{outcome=\"accepted\"} 10"), text);
      assertTrue(text.contains("# TYPE sparkps_ps_received_bytes_total counter"), text);
      assertTrue(text.contains("sparkps_ps_round_pushes{shard=\"0\"} 2"), text);
      assertTrue(text.contains("sparkps_ps_last_loss{shard=\"0\"}"), text);
      assertTrue(server.metrics().bytesIn() > 5 * 2 * 4000, text);
    }
  }

  /** The endpoint is the Prometheus client's: concurrent scrapes, its content types, health. */
  @Test
  void endpointAnswersConcurrentScrapesInTextAndOpenMetrics() throws Exception {
    try (ParameterServer server = ParameterServer.start(
        ServerConfig.loopback(Fixtures.TOKEN).withMetricsPort(0))) {
      assertEquals("127.0.0.1", ServerConfig.loopback(Fixtures.TOKEN).metricsHost());
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.metricsPort().orElseThrow() + "/metrics");
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> scrapes =
          new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        scrapes.add(http.sendAsync(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (var f : scrapes) {
        HttpResponse<String> r = f.get();
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("")
            .startsWith("text/plain; version=0.0.4"), r.headers().toString());
        assertTrue(r.body().contains("sparkps_ps_errors_total{code=\"FORBIDDEN\"} 0"),
            r.body());
      }
      HttpResponse<String> om = http.send(HttpRequest.newBuilder(uri).header("Accept",
              "application/openmetrics-text; version=1.0.0").build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(om.body().endsWith("# EOF\n"), om.body());
      assertTrue(om.body().contains("# TYPE sparkps_ps_sent_bytes counter"), om.body());
    }
  }

  /** More rounds than one reply holds come back whole, page by page (one reply used to hang). */
  @Test
  void historyLongerThanOneReplyArrivesWhole() throws Exception {
    try (ParameterServer server = ParameterServer.start(ServerConfig.loopback(Fixtures.TOKEN))) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1));
      int rounds = 2 * io.sparkps.ps.wire.Protocol.HISTORY_PAGE_ROUNDS + 7;
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(4, Fixtures.sgd(0.1), 1));
        Fixtures.runWorkers(cfg, 1, 0, rounds);
        admin.awaitRound(rounds, java.time.Duration.ofSeconds(10));
        List<RoundStats> history = admin.history(0);
        assertEquals(rounds, history.size());
        for (int r = 0; r < rounds; r++) {
          assertEquals(r, history.get(r).round());
        }
        assertEquals(10, admin.history(rounds - 10).size());
      }
    }
  }
}
