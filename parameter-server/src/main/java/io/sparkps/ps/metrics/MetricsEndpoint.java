package io.sparkps.ps.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * Serves {@link ServerMetrics} at {@code GET /metrics} with the Prometheus Java client's HTTP
 * server (a small thread pool over the JDK's server; text, OpenMetrics or protobuf as the
 * scraper asks, gzip when accepted), plus {@code /-/healthy}.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer http;

  private MetricsEndpoint(HTTPServer http) {
    this.http = http;
  }

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public static MetricsEndpoint start(String host, int port, ServerMetrics metrics)
      throws IOException {
    return new MetricsEndpoint(HTTPServer.builder().hostname(host).port(port)
        .registry(metrics.registry()).buildAndStart());
  }

  public int port() {
    return http.getPort();
  }

  @Override
  public void close() {
    http.close();
  }
}
