package io.sparkps.ps.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link ServerMetrics#prometheus()} at {@code GET /metrics} with the JDK's HTTP server. */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer http;

  private MetricsEndpoint(HttpServer http) {
    this.http = http;
  }

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public static MetricsEndpoint start(String host, int port, ServerMetrics metrics)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext("/metrics", ex -> respond(ex, metrics));
    http.setExecutor(null);
    http.start();
    return new MetricsEndpoint(http);
  }

  private static void respond(HttpExchange ex, ServerMetrics metrics) throws IOException {
    byte[] body = metrics.prometheus().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
