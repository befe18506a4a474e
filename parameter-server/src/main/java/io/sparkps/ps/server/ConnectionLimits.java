package io.sparkps.ps.server;

/**
 * What one server process allows its connections, so that no peer, authenticated or not, can
 * hold its resources without bound.
 *
 * @param maxConnections open connections at most; one more is answered with a retryable error
 *     and closed at once
 * @param idleMillis an authenticated connection that sends nothing for this long and waits for
 *     no reply is closed (clients reconnect on their next call); before the hello the limit is
 *     twice the frame timeout
 * @param failedHellos failed hellos one remote address may make per {@code failureWindowMillis};
 *     beyond that its connections are closed on arrival until the window has passed
 * @param failureWindowMillis the window of {@code failedHellos}
 */
public record ConnectionLimits(
    int maxConnections, long idleMillis, int failedHellos, long failureWindowMillis) {

  public ConnectionLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got "
          + maxConnections + " (--max-connections).");
    }
    if (idleMillis < 1_000) {
      throw new IllegalArgumentException("idleMillis must be at least 1000, got " + idleMillis
          + " (--idle-timeout-ms); it must also exceed the workers' pull deadline.");
    }
    if (failedHellos < 1 || failureWindowMillis < 1) {
      throw new IllegalArgumentException("failedHellos and failureWindowMillis must be at least "
          + "1, got " + failedHellos + " and " + failureWindowMillis + " (--max-failed-hellos).");
    }
  }

  /** 1024 connections, 10 minutes idle, 10 failed hellos per address per minute. */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(1024, 600_000, 10, 60_000);
  }
}
