package io.sparkps.ps.client;

import java.time.Duration;

/**
 * How often and how patiently a client repeats a request that failed with a retryable error:
 * at most {@code maxAttempts} tries, waiting {@code initialBackoff}, then twice that, up to
 * {@code maxBackoff}, between them.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts
          + " (1 means no retry).");
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, got "
          + initialBackoff + " and " + maxBackoff + ".");
    }
  }

  /** Eight tries, 50 ms doubling to 2 s: rides out a parameter-server restart of ~10 s. */
  public static RetryPolicy standard() {
    return new RetryPolicy(8, Duration.ofMillis(50), Duration.ofSeconds(2));
  }

  /** One try, no retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /** The wait before try number {@code attempt} (2 for the first retry). */
  public Duration backoff(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 2));
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
